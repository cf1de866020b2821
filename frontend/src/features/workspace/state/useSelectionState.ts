/** The selected track, the highlighted notes and where the editors should scroll to. */
import { useCallback, useMemo, useState } from "react";

import type { Score } from "@/api/types";

import type { Selection } from "./contexts";

export function useSelectionState(): { selection: Selection;
                                       keepTrackIn(score: Score): void } {
  const [selectedTrackId, selectTrack] = useState<string | null>(null);
  const [highlightedNoteIds, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [focusTick, setFocusTick] = useState<number | null>(null);

  /** After each load: keep the selected track while it exists, else select the first. */
  const keepTrackIn = useCallback((score: Score) => {
    selectTrack((current) => {
      const tracks = score.tracks ?? [];
      return tracks.some((t) => t.id === current) ? current : (tracks[0]?.id ?? null);
    });
  }, []);

  const highlight = useCallback((noteIds: string[], trackId?: string | null, tick?: number) => {
    setHighlighted(new Set(noteIds));
    if (trackId) selectTrack(trackId);
    setFocusTick(tick ?? null);
  }, []);

  const selection = useMemo<Selection>(() => ({
    selectedTrackId, selectTrack, highlightedNoteIds, highlight, focusTick,
  }), [selectedTrackId, highlightedNoteIds, highlight, focusTick]);
  return { selection, keepTrackIn };
}
