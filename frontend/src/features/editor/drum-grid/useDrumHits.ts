/** A drum track's hits by cell, and `toggle`, which adds a hit to an empty cell or removes
 * the hits of a full one; a toggled cell shows its new state until the save has landed. */
import { useCallback, useMemo, useState } from "react";

import type { NoteOperation, Track } from "@/api/types";
import { newNoteId } from "@/features/editor/undo";
import type { NoteEditing } from "@/features/editor/useNoteEditing";
import { drumName } from "@/lib/gm";

import { drumRows, stepIndex, type Step } from "./steps";

export interface Hit {
  id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

export interface DrumHitsInput {
  track: Track;
  steps: readonly Step[];
  /** The score's end in ticks. */
  end: number;
  /** The velocity of added hits. */
  velocity: number;
  canEdit: boolean;
  editing: NoteEditing;
  /** Rows added from the GM kit that may have no hit yet. */
  extraRows: readonly number[];
  /** Sounds a drum (a hit placed). */
  sound(pitch: number, velocity: number): void;
}

export function useDrumHits({ track, steps, end, velocity, canEdit, editing, extraRows,
                              sound }: DrumHitsInput) {
  const trackId = track.id ?? "";
  /** Cells toggled but not saved yet: "pitch:col" → the hit added, or null when removed. */
  const [pending, setPending] = useState<ReadonlyMap<string, Hit | null>>(new Map());
  const hits: Hit[] = useMemo(() => (track.notes ?? [])
    .filter((n): n is typeof n & { id: string } => Boolean(n.id))
    .map((n) => ({ id: n.id, pitch: n.pitch, start: n.start, duration: n.duration,
                   velocity: n.velocity ?? 90 })), [track.notes]);
  const rows = useMemo(() => drumRows([...hits.map((h) => h.pitch), ...extraRows]),
                       [hits, extraRows]);

  // Hits by "pitch:step index" (a hit belongs to the step its start falls in).
  const cells = useMemo(() => {
    const map = new Map<string, Hit[]>();
    for (const hit of hits) {
      const col = stepIndex(steps, hit.start);
      if (col < 0) continue;
      const key = `${hit.pitch}:${col}`;
      map.set(key, [...(map.get(key) ?? []), hit]);
    }
    return map;
  }, [hits, steps]);

  const toggle = useCallback((pitch: number, col: number) => {
    const step = steps[col];
    if (!canEdit || !step) return;
    const key = `${pitch}:${col}`;
    const current = pending.has(key) ? (pending.get(key) ? [pending.get(key)!] : [])
      : (cells.get(key) ?? []);
    let operations: NoteOperation[];
    let shown: Hit | null;
    if (current.length) {
      operations = current.map((hit) => ({ op: "delete", note_id: hit.id }));
      shown = null;
    } else {
      const hit: Hit = { id: newNoteId(), pitch, start: step.start,
                         duration: Math.min(step.length, end - step.start), velocity };
      operations = [{ op: "add", track_id: trackId, ...hit }];
      shown = hit;
      sound(pitch, velocity);
    }
    setPending((all) => new Map(all).set(key, shown));
    const label = `${shown ? "Add" : "Remove"} ${drumName(pitch)} at bar ${step.bar} step ${step.step}`;
    void editing.apply(operations, label).finally(() => {
      setPending((all) => {
        if (all.get(key) !== shown) return all;
        const next = new Map(all);
        next.delete(key);
        return next;
      });
    });
  }, [steps, canEdit, pending, cells, end, velocity, trackId, editing, sound]);

  return { rows, hits, cells, pending, toggle };
}
