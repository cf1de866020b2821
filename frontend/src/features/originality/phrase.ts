/** The notes selected in the piano roll, for "Search by phrase": the roll reports its
 * selection with `useSharePhrase`; the Originality tab reads it with `usePhrase`. */
import { useEffect, useSyncExternalStore } from "react";

import type { MatchNote } from "./types";

export interface Phrase {
  trackId: string;
  trackName: string;
  /** In time order, starts relative to the first note. */
  notes: MatchNote[];
  /** Where the phrase starts in the song (ticks). */
  offset: number;
}

let current: Phrase | null = null;
const listeners = new Set<() => void>();

function publish(phrase: Phrase | null): void {
  current = phrase;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** The phrase of `notes` (sorted, made relative to the first start). */
export function phraseOf(trackId: string, trackName: string,
                         notes: readonly MatchNote[]): Phrase | null {
  if (!notes.length) return null;
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const offset = sorted[0]!.start;
  return { trackId, trackName, offset, notes: sorted.map((n) => ({
    pitch: n.pitch, start: n.start - offset, duration: n.duration })) };
}

/** Called by the piano roll with its selected notes (none: nothing to search). */
export function useSharePhrase(trackId: string, trackName: string,
                               notes: readonly MatchNote[]): void {
  useEffect(() => {
    publish(phraseOf(trackId, trackName, notes));
  }, [trackId, trackName, notes]);
  useEffect(() => () => {
    if (current?.trackId === trackId) publish(null);
  }, [trackId]);
}

export function usePhrase(): Phrase | null {
  return useSyncExternalStore(subscribe, () => current, () => null);
}
