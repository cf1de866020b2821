/** The drum grid's steps (1/16 notes over the score's bars) and rows (drums). */
import type { Bar } from "@/lib/geometry";
import { COMMON_DRUMS, GM_DRUMS } from "@/lib/gm";
import { PPQ } from "@/lib/ticks";

/** One step: a 1/16 note. */
export const STEP = PPQ / 4;

export interface Step {
  bar: number;
  /** 1-based within the bar. */
  step: number;
  start: number;
  length: number;
  barStart: boolean;
}

/** The 1/16 steps of every bar (a bar's last step is shorter when 1/16 does not divide it). */
export function drumSteps(bars: readonly Bar[]): Step[] {
  const steps: Step[] = [];
  for (const bar of bars) {
    for (let i = 0; i * STEP < bar.length; i++) {
      steps.push({ bar: bar.number, step: i + 1, start: bar.start + i * STEP,
                   length: Math.min(STEP, bar.length - i * STEP), barStart: i === 0 });
    }
  }
  return steps;
}

/** The drum rows: the common kit in its order, then any other drum present, low to high. */
export function drumRows(pitches: Iterable<number>): number[] {
  const extra = [...new Set(pitches)].filter((p) => !COMMON_DRUMS.includes(p))
    .sort((a, b) => a - b);
  return [...COMMON_DRUMS, ...extra];
}

/** The index of the step containing `tick`, or -1 outside the score. */
export function stepIndex(steps: readonly Step[], tick: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0 || tick < 0) return -1;
  const last = steps[hi]!;
  if (tick >= last.start + last.length) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[mid]!.start <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The GM percussion keys (35–81) a "+ Row" can add: those not shown yet, low to high. */
export function addableDrums(rows: readonly number[]): number[] {
  return Object.keys(GM_DRUMS).map(Number).filter((p) => !rows.includes(p))
    .sort((a, b) => a - b);
}
