/** Quantize: pull note starts (and optionally ends) towards a grid, by a strength, with
 * swing. Pure; the piano roll, the drum grid and MIDI recording all use it.
 *
 * The grid restarts at every bar line (so odd meters stay aligned). Swing delays every
 * second grid point of a straight grid by `swing` of a step: 1/3 is a triplet feel (2:1),
 * 0.75 the hardest shuffle; triplet grids ignore swing (they already are one). */
import { barAt, type Bar } from "./geometry";
import { PPQ } from "./ticks";

export type QuantizeGrid = "1/4" | "1/8" | "1/16" | "1/8T" | "1/16T";

export const QUANTIZE_GRIDS: readonly { value: QuantizeGrid; label: string }[] = [
  { value: "1/4", label: "1/4" },
  { value: "1/8", label: "1/8" },
  { value: "1/16", label: "1/16" },
  { value: "1/8T", label: "1/8 triplet" },
  { value: "1/16T", label: "1/16 triplet" },
];

export interface QuantizeOptions {
  grid: QuantizeGrid;
  /** 0–1: how far towards the grid point a note moves (1 = onto it). */
  strength: number;
  /** 0–0.75 of a grid step: how late every second grid point sits. */
  swing: number;
  /** Quantize where notes end too (else each keeps its length). */
  ends: boolean;
}

export const DEFAULT_QUANTIZE: QuantizeOptions = { grid: "1/16", strength: 1, swing: 0,
                                                   ends: false };
export const MAX_SWING = 0.75;

export interface TimedNote {
  id: string;
  start: number;
  duration: number;
}

export function quantizeStep(grid: QuantizeGrid): number {
  switch (grid) {
    case "1/4": return PPQ;
    case "1/8": return PPQ / 2;
    case "1/16": return PPQ / 4;
    case "1/8T": return PPQ / 3;
    case "1/16T": return PPQ / 6;
  }
}

const isTriplet = (grid: QuantizeGrid) => grid.endsWith("T");

/** Where the bar containing `tick` starts (0 without bars: one endless 4/4 grid). */
function barStartOf(tick: number, bars: readonly Bar[] | undefined): number {
  return bars && bars.length ? barAt(bars, tick).start : 0;
}

/** The grid point nearest `tick` (swing applied; ties go to the earlier point). */
export function nearestGridPoint(tick: number, options: Pick<QuantizeOptions, "grid" | "swing">,
                                 bars?: readonly Bar[]): number {
  const step = quantizeStep(options.grid);
  const swing = isTriplet(options.grid) ? 0 : Math.min(MAX_SWING, Math.max(0, options.swing));
  const origin = barStartOf(tick, bars);
  const base = Math.floor((tick - origin) / step);
  let best = origin;
  let bestDistance = Infinity;
  for (let k = base - 1; k <= base + 2; k++) {
    const point = origin + k * step + (k % 2 !== 0 ? swing * step : 0);
    const distance = Math.abs(point - tick);
    if (distance < bestDistance) { best = point; bestDistance = distance; }
  }
  return Math.round(best);
}

/** New start/duration for each note that changes (notes already in place are left out). */
export function quantizeNotes(notes: readonly TimedNote[], options: QuantizeOptions,
                              bars?: readonly Bar[]): Map<string, { start: number;
                                                                     duration: number }> {
  const strength = Math.min(1, Math.max(0, options.strength));
  const step = quantizeStep(options.grid);
  const changes = new Map<string, { start: number; duration: number }>();
  for (const note of notes) {
    const target = nearestGridPoint(note.start, options, bars);
    const start = Math.max(0, Math.round(note.start + strength * (target - note.start)));
    let duration = note.duration;
    if (options.ends) {
      const end = note.start + note.duration;
      let endTarget = nearestGridPoint(end, options, bars);
      // A note never quantizes to nothing: at least one step after its quantized start.
      if (endTarget <= target) endTarget = target + step;
      const newEnd = Math.round(end + strength * (endTarget - end));
      duration = Math.max(1, newEnd - start);
    }
    if (start !== note.start || duration !== note.duration) {
      changes.set(note.id, { start, duration });
    }
  }
  return changes;
}
