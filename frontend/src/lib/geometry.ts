/** Pure geometry for the piano roll, drum grid and arrangement lanes: ticks ↔ pixels,
 * pitches ↔ rows, meter-aware bars, grid snapping, note hit-testing and edit clamping.
 * Ticks are at PPQ 480, so a whole note is 1920 ticks and a bar of n/d is n*1920/d. */
import { PPQ, WHOLE_NOTE } from "./ticks";

export const MIN_PITCH = 0;
export const MAX_PITCH = 127;

export interface MeterLike {
  numerator: number;
  denominator: number;
}

/** A meter as the API sends it (fields with defaults may be left out: 4/4). */
export interface MeterInput {
  numerator?: number;
  denominator?: number;
}

/** The parts of a score that decide where bars fall. */
export interface TimeSignatureSource {
  /** Defaults to 8, as the API's. */
  bars?: number;
  meter?: MeterInput;
  meter_changes?: { bar: number; meter?: MeterInput }[];
}

function meterOf(meter: MeterInput | undefined): MeterLike {
  return { numerator: meter?.numerator ?? 4, denominator: meter?.denominator ?? 4 };
}

export interface Bar {
  /** 1-based, as musicians count. */
  number: number;
  start: number;
  length: number;
  meter: MeterLike;
}

const DEFAULT_METER: MeterLike = { numerator: 4, denominator: 4 };

export function barLength(meter: MeterLike): number {
  return (meter.numerator * WHOLE_NOTE) / meter.denominator;
}

export function beatLength(meter: MeterLike): number {
  return WHOLE_NOTE / meter.denominator;
}

/** Every bar of the piece, following meter changes (`bar` is 1-based, as in the API). */
export function barLayout(score: TimeSignatureSource): Bar[] {
  const changes = [...(score.meter_changes ?? [])].sort((a, b) => a.bar - b.bar);
  const bars: Bar[] = [];
  let meter = meterOf(score.meter);
  let start = 0;
  let next = 0;
  for (let number = 1; number <= Math.max(1, score.bars ?? 8); number++) {
    while (next < changes.length && changes[next]!.bar <= number) {
      meter = meterOf(changes[next++]!.meter);
    }
    const length = barLength(meter);
    bars.push({ number, start, length, meter });
    start += length;
  }
  return bars;
}

export function scoreEnd(bars: readonly Bar[]): number {
  const last = bars[bars.length - 1];
  return last ? last.start + last.length : 0;
}

/** The bar containing `tick`; ticks before 0 or past the end extend the first/last meter
 * (with bar numbers ≤ 0 or > the last bar). */
export function barAt(bars: readonly Bar[], tick: number): Bar {
  const first = bars[0] ?? { number: 1, start: 0, length: barLength(DEFAULT_METER),
                             meter: DEFAULT_METER };
  if (tick < first.start) {
    const back = Math.ceil((first.start - tick) / first.length);
    return { ...first, number: first.number - back, start: first.start - back * first.length };
  }
  const last = bars[bars.length - 1] ?? first;
  const end = last.start + last.length;
  if (tick >= end) {
    const ahead = Math.floor((tick - end) / last.length) + 1;
    return { ...last, number: last.number + ahead, start: last.start + ahead * last.length };
  }
  // Binary search: the last bar starting at or before `tick`.
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bars[mid]!.start <= tick) lo = mid;
    else hi = mid - 1;
  }
  return bars[lo]!;
}

/** Bar (1-based), beat (1-based, in the meter's denominator) and the ticks into that beat. */
export function barBeat(bars: readonly Bar[], tick: number): { bar: number; beat: number;
                                                                  offset: number } {
  const bar = barAt(bars, tick);
  const beat = beatLength(bar.meter);
  const into = tick - bar.start;
  return { bar: bar.number, beat: Math.floor(into / beat) + 1, offset: into % beat };
}

// --- pixels ----------------------------------------------------------------------------

export interface TimeView {
  /** Zoom: horizontal pixels per tick. */
  pixelsPerTick: number;
  /** Horizontal scroll in pixels (0 when the browser scrolls the whole canvas). */
  scrollX?: number;
}

export function tickToX(tick: number, view: TimeView): number {
  return tick * view.pixelsPerTick - (view.scrollX ?? 0);
}

export function xToTick(x: number, view: TimeView): number {
  return (x + (view.scrollX ?? 0)) / view.pixelsPerTick;
}

export interface PitchView {
  rowHeight: number;
  /** The pitch drawn in the top row. */
  topPitch: number;
  /** The pitch drawn in the bottom row (defaults to 0). */
  bottomPitch?: number;
  scrollY?: number;
}

/** The y of the top edge of `pitch`'s row. */
export function pitchToY(pitch: number, view: PitchView): number {
  return (view.topPitch - pitch) * view.rowHeight - (view.scrollY ?? 0);
}

/** The pitch whose row contains `y`, clamped to the view's range. */
export function yToPitch(y: number, view: PitchView): number {
  const pitch = view.topPitch - Math.floor((y + (view.scrollY ?? 0)) / view.rowHeight);
  return clamp(pitch, view.bottomPitch ?? MIN_PITCH, view.topPitch);
}

// --- grid --------------------------------------------------------------------------------

export type GridDivision = "1/4" | "1/8" | "1/16" | "1/4T" | "1/8T" | "1/16T" | "off";

export const GRID_DIVISIONS: readonly { value: GridDivision; label: string }[] = [
  { value: "1/4", label: "1/4" },
  { value: "1/8", label: "1/8" },
  { value: "1/16", label: "1/16" },
  { value: "1/4T", label: "1/4 triplet" },
  { value: "1/8T", label: "1/8 triplet" },
  { value: "1/16T", label: "1/16 triplet" },
  { value: "off", label: "Off" },
];

/** The grid step in ticks, or null when snapping is off. */
export function gridStep(division: GridDivision): number | null {
  switch (division) {
    case "1/4": return PPQ;
    case "1/8": return PPQ / 2;
    case "1/16": return PPQ / 4;
    case "1/4T": return (PPQ * 2) / 3;
    case "1/8T": return PPQ / 3;
    case "1/16T": return PPQ / 6;
    case "off": return null;
  }
}

/** The length a new note gets, and the shortest a resize allows: the grid step, or a 1/16
 * (adding) / one tick (resizing) when snapping is off. */
export function noteLengthFor(division: GridDivision): number {
  return gridStep(division) ?? PPQ / 4;
}

export function minDurationFor(division: GridDivision): number {
  return gridStep(division) ?? 1;
}

export type SnapMode = "round" | "floor" | "ceil";

/** `tick` snapped to the grid, counted from the start of its bar (so odd meters and
 * triplets restart at each bar line); the bar's end is always a grid point. Integer result. */
export function snapTick(tick: number, division: GridDivision, bars: readonly Bar[],
                         mode: SnapMode = "round"): number {
  const step = gridStep(division);
  if (step === null) return Math.round(tick);
  const bar = barAt(bars, tick);
  const into = tick - bar.start;
  const steps = into / step;
  // Guard against float noise (e.g. 2/3-tick triplet steps) before flooring/ceiling.
  const near = Math.round(steps);
  const exact = Math.abs(steps - near) < 1e-6;
  if (exact) return bar.start + Math.min(Math.round(near * step), bar.length);
  const below = Math.round(Math.floor(steps) * step);
  const above = Math.min(Math.round(Math.ceil(steps) * step), bar.length);
  if (mode === "floor") return bar.start + below;
  if (mode === "ceil") return bar.start + above;
  // Nearest grid point; the bar's end counts even when the grid does not divide the bar.
  return bar.start + (into - below < above - into ? below : above);
}

/** Grid lines of one kind inside [from, to): bar lines, beat lines and subdivision lines. */
export function gridLines(bars: readonly Bar[], division: GridDivision):
    { tick: number; kind: "bar" | "beat" | "sub" }[] {
  const step = gridStep(division);
  const lines: { tick: number; kind: "bar" | "beat" | "sub" }[] = [];
  for (const bar of bars) {
    lines.push({ tick: bar.start, kind: "bar" });
    const beat = beatLength(bar.meter);
    const seen = new Set<number>();
    for (let t = beat; t < bar.length - 1e-6; t += beat) {
      seen.add(Math.round(t));
      lines.push({ tick: bar.start + Math.round(t), kind: "beat" });
    }
    if (step !== null && step < beat) {
      for (let i = 1; i * step < bar.length - 1e-6; i++) {
        const t = Math.round(i * step);
        if (!seen.has(t)) lines.push({ tick: bar.start + t, kind: "sub" });
      }
    }
  }
  return lines;
}

// --- notes ---------------------------------------------------------------------------------

export interface NoteBox {
  start: number;
  duration: number;
  pitch: number;
}

export type HitZone = "body" | "resize";

/** Which part of a note's rectangle (x from `left`, `width` px) the pointer at `x` is on:
 * the last `handle` px (at most a third of a short note) resize, the rest moves. */
export function hitZone(x: number, left: number, width: number, handle = 8): HitZone | null {
  if (x < left || x > left + width) return null;
  const grip = Math.min(handle, width / 3);
  return x >= left + width - grip ? "resize" : "body";
}

/** The topmost (last drawn) note under the point, and the zone hit, or null. */
export function hitTestNotes<N extends NoteBox>(notes: readonly N[], x: number, y: number,
                                                time: TimeView, pitch: PitchView,
                                                handle = 8): { note: N; zone: HitZone } | null {
  for (let i = notes.length - 1; i >= 0; i--) {
    const note = notes[i]!;
    const top = pitchToY(note.pitch, pitch);
    if (y < top || y >= top + pitch.rowHeight) continue;
    const left = tickToX(note.start, time);
    const width = Math.max(note.duration * time.pixelsPerTick, 2);
    const zone = hitZone(x, left, width, handle);
    if (zone) return { note, zone };
  }
  return null;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Clamp a move of several notes by (dTick, dPitch) so that every one stays within
 * [0, end] in time and 0..127 in pitch, keeping their relative positions. */
export function clampGroupMove(notes: readonly NoteBox[], dTick: number, dPitch: number,
                               end: number): { dTick: number; dPitch: number } {
  if (notes.length === 0) return { dTick: 0, dPitch: 0 };
  let minStart = Infinity;
  let maxEnd = -Infinity;
  let low = Infinity;
  let high = -Infinity;
  for (const note of notes) {
    minStart = Math.min(minStart, note.start);
    maxEnd = Math.max(maxEnd, note.start + note.duration);
    low = Math.min(low, note.pitch);
    high = Math.max(high, note.pitch);
  }
  const tickLow = -minStart;
  const tickHigh = Math.max(tickLow, end - maxEnd);
  return { dTick: clamp(dTick, tickLow, tickHigh),
           dPitch: clamp(dPitch, MIN_PITCH - low, MAX_PITCH - high) };
}

/** One note moved to (start, pitch), clamped into the score. */
export function clampMove(note: NoteBox, start: number, pitch: number, end: number):
    { start: number; pitch: number } {
  return { start: clamp(start, 0, Math.max(0, end - note.duration)),
           pitch: clamp(Math.round(pitch), MIN_PITCH, MAX_PITCH) };
}

/** A note's new duration when its end is dragged to `newEnd`: at least `minDuration`,
 * never past the score's end (unless the note already starts too late for that). */
export function clampResize(note: NoteBox, newEnd: number, minDuration: number,
                            end: number): number {
  const longest = Math.max(minDuration, end - note.start);
  return Math.round(clamp(newEnd - note.start, minDuration, longest));
}
