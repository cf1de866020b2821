/** The chord track as spans: a chord symbol lasts until the next one (or the song's end),
 * which is how the composer and the theory check read `chord_symbols`. Pure operations that
 * return the new list to write — add, replace, delete, move and resize — always sorted,
 * one chord per tick, snapped to beats and inside the song. */
import { barAt, beatLength, type Bar } from "@/lib/geometry";

export interface ChordMark { tick: number; symbol: string }

export interface ChordSpan extends ChordMark {
  end: number;
  /** Position in the sorted list. */
  index: number;
}

export const sortChords = (chords: readonly ChordMark[]): ChordMark[] =>
  [...chords].sort((a, b) => a.tick - b.tick);

/** Each chord with the tick where it ends. */
export function chordSpans(chords: readonly ChordMark[], end: number): ChordSpan[] {
  const sorted = sortChords(chords);
  return sorted.map((chord, index) => ({
    ...chord, index, end: Math.max(chord.tick, sorted[index + 1]?.tick ?? end),
  }));
}

/** The beat nearest to `tick` (beats of the meter in force; every bar line is one). */
export function snapToBeat(bars: readonly Bar[], tick: number, mode: "round" | "floor"
                             = "round"): number {
  const bar = barAt(bars, tick);
  const beat = beatLength(bar.meter);
  const into = tick - bar.start;
  const steps = mode === "floor" ? Math.floor(into / beat) : Math.round(into / beat);
  return bar.start + Math.min(steps * beat, bar.length);
}

/** The length of the beat at `tick`. */
export const beatAt = (bars: readonly Bar[], tick: number): number =>
  beatLength(barAt(bars, tick).meter);

const clampTo = (value: number, low: number, high: number) =>
  Math.min(Math.max(value, low), high);

/** Sets the chord at `tick` (snapped down to its beat), replacing one already there. */
export function setChordAt(chords: readonly ChordMark[], bars: readonly Bar[], end: number,
                           tick: number, symbol: string): ChordMark[] {
  const at = snapToBeat(bars, clampTo(tick, 0, Math.max(0, end - 1)), "floor");
  return sortChords([...chords.filter((c) => c.tick !== at), { tick: at, symbol }]);
}

export function removeChordAt(chords: readonly ChordMark[], tick: number): ChordMark[] {
  return sortChords(chords.filter((c) => c.tick !== tick));
}

/** Moves the chord at `from` to `to` (snapped to a beat), kept strictly between its
 * neighbours, at least a beat from each, so that no chord is swallowed or reordered. */
export function moveChord(chords: readonly ChordMark[], bars: readonly Bar[], end: number,
                          from: number, to: number): ChordMark[] {
  const sorted = sortChords(chords);
  const index = sorted.findIndex((c) => c.tick === from);
  if (index < 0) return sorted;
  const prev = sorted[index - 1];
  const next = sorted[index + 1];
  const low = prev ? prev.tick + beatAt(bars, prev.tick) : 0;
  const limit = next?.tick ?? end;
  const high = limit - beatAt(bars, Math.max(0, limit - 1));
  if (high < low) return sorted;
  const tick = clampTo(snapToBeat(bars, to), low, high);
  return sorted.map((c, i) => (i === index ? { ...c, tick } : c));
}

/** Drags the right edge of the chord at `tick` to `newEnd` (snapped to a beat): the next
 * chord starts there instead. Each of the two keeps at least a beat. Without a next chord
 * the chord already lasts to the end of the song and nothing changes. */
export function resizeChord(chords: readonly ChordMark[], bars: readonly Bar[], end: number,
                            tick: number, newEnd: number): ChordMark[] {
  const sorted = sortChords(chords);
  const index = sorted.findIndex((c) => c.tick === tick);
  const next = sorted[index + 1];
  if (index < 0 || !next) return sorted;
  const limit = sorted[index + 2]?.tick ?? end;
  const low = tick + beatAt(bars, tick);
  const high = limit - beatAt(bars, Math.max(0, limit - 1));
  if (high < low) return sorted;
  const moved = clampTo(snapToBeat(bars, newEnd), low, high);
  return sorted.map((c, i) => (i === index + 1 ? { ...c, tick: moved } : c));
}

/** Chords left inside a song that now ends at `end` (after shortening it). */
export const chordsWithin = (chords: readonly ChordMark[], end: number): ChordMark[] =>
  sortChords(chords.filter((c) => c.tick < end));

/** "bar 3 beat 1" for screen readers and tooltips. */
export function barBeatName(bars: readonly Bar[], tick: number): string {
  const bar = barAt(bars, tick);
  const beat = Math.floor((tick - bar.start) / beatLength(bar.meter)) + 1;
  return `bar ${bar.number} beat ${beat}`;
}
