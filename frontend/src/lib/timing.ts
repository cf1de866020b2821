/** Tick, bar and second arithmetic for a Score: 480 ticks per quarter, meter changes at
 * bar starts, tempo changes at ticks (bpm in quarter notes per minute). Pure functions. */
import type { Score } from "@/api/types";

import { PPQ } from "./ticks";

type Meter = { numerator?: number; denominator?: number };

function barTicks(meter: Meter | undefined): number {
  const numerator = meter?.numerator ?? 4;
  const denominator = meter?.denominator ?? 4;
  return Math.round(numerator * PPQ * 4 / denominator);
}

interface MeterSpan { bar: number; tick: number; ticksPerBar: number; numerator: number;
                      denominator: number }

/** The meter in force from each changing bar on, with the tick where that bar begins. */
function meterSpans(score: Score): MeterSpan[] {
  const base = score.meter;
  const changes = [...(score.meter_changes ?? [])]
    .filter((change) => change.bar > 1)
    .sort((a, b) => a.bar - b.bar);
  const spans: MeterSpan[] = [{ bar: 1, tick: 0, ticksPerBar: barTicks(base),
                                numerator: base?.numerator ?? 4,
                                denominator: base?.denominator ?? 4 }];
  for (const change of changes) {
    const last = spans[spans.length - 1]!;
    if (change.bar === last.bar) spans.pop();
    const previous = spans[spans.length - 1] ?? last;
    const tick = previous.tick + (change.bar - previous.bar) * previous.ticksPerBar;
    spans.push({ bar: change.bar, tick, ticksPerBar: barTicks(change.meter),
                 numerator: change.meter?.numerator ?? 4,
                 denominator: change.meter?.denominator ?? 4 });
  }
  return spans;
}

/** The tick where 1-based `bar` begins (bar = bars + 1 gives the end of the piece). */
export function barToTick(score: Score, bar: number): number {
  const spans = meterSpans(score);
  let span = spans[0]!;
  for (const candidate of spans) if (candidate.bar <= bar) span = candidate;
  return span.tick + (bar - span.bar) * span.ticksPerBar;
}

/** The tick of 1-based `beat` (a beat = the meter's denominator) in 1-based `bar`. */
export function barBeatToTick(score: Score, bar: number, beat = 1): number {
  const spans = meterSpans(score);
  let span = spans[0]!;
  for (const candidate of spans) if (candidate.bar <= bar) span = candidate;
  const beatTicks = PPQ * 4 / span.denominator;
  return Math.round(barToTick(score, bar) + Math.max(0, beat - 1) * beatTicks);
}

/** The 1-based bar that contains `tick`. */
export function tickToBar(score: Score, tick: number): number {
  const spans = meterSpans(score);
  let span = spans[0]!;
  for (const candidate of spans) if (candidate.tick <= tick) span = candidate;
  return span.bar + Math.floor((tick - span.tick) / span.ticksPerBar);
}

interface TempoSpan { tick: number; seconds: number; bpm: number }

/** Tempo segments: each from `tick` (at `seconds` into the piece) at `bpm`. */
export function tempoMap(score: Score): TempoSpan[] {
  const spans: TempoSpan[] = [{ tick: 0, seconds: 0, bpm: score.tempo ?? 120 }];
  const changes = [...(score.tempo_changes ?? [])].sort((a, b) => a.tick - b.tick);
  for (const change of changes) {
    const last = spans[spans.length - 1]!;
    if (change.tick <= last.tick) {
      last.bpm = change.bpm;  // a change at tick 0 (or the same tick) replaces the tempo
      continue;
    }
    const seconds = last.seconds + (change.tick - last.tick) / PPQ * 60 / last.bpm;
    spans.push({ tick: change.tick, seconds, bpm: change.bpm });
  }
  return spans;
}

export function secondsToTick(map: TempoSpan[], seconds: number): number {
  let span = map[0]!;
  for (const candidate of map) if (candidate.seconds <= seconds) span = candidate;
  return Math.max(0, Math.round(span.tick + (seconds - span.seconds) * span.bpm / 60 * PPQ));
}

export function tickToSeconds(map: TempoSpan[], tick: number): number {
  let span = map[0]!;
  for (const candidate of map) if (candidate.tick <= tick) span = candidate;
  return span.seconds + (tick - span.tick) / PPQ * 60 / span.bpm;
}

export function tempoAt(map: TempoSpan[], tick: number): number {
  let span = map[0]!;
  for (const candidate of map) if (candidate.tick <= tick) span = candidate;
  return span.bpm;
}

export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
