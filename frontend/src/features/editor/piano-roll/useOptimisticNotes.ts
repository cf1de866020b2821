/** A track's notes with the edits still being saved drawn on top, and `save`, which queues
 * a batch through the note editing (undo included) and draws it until it has landed. */
import { useCallback, useMemo, useRef, useState } from "react";

import type { NoteOperation, Track } from "@/api/types";
import type { NoteEditing } from "@/features/editor/useNoteEditing";

import { notesOf, withPending, type Optimistic, type RollNote } from "./notes";

export interface OptimisticNotes {
  /** The notes as saved. */
  base: RollNote[];
  /** The notes as they will be once the queued saves land (edits start from these). */
  settled: RollNote[];
  settledById: ReadonlyMap<string, RollNote>;
  save(operations: NoteOperation[], label: string, shown: Optimistic): Promise<boolean>;
}

export function useOptimisticNotes(track: Track, editing: NoteEditing): OptimisticNotes {
  const [layers, setLayers] = useState<{ key: number; shown: Optimistic }[]>([]);
  const layerKey = useRef(0);
  const base = useMemo(() => notesOf(track), [track]);
  const settled = useMemo(() => withPending(base, layers.map((layer) => layer.shown)),
                          [base, layers]);
  const settledById = useMemo(() => new Map(settled.map((n) => [n.id, n])), [settled]);

  const save = useCallback(async (operations: NoteOperation[], label: string,
                                  shown: Optimistic) => {
    if (operations.length === 0) return false;
    const key = ++layerKey.current;
    setLayers((all) => [...all, { key, shown }]);
    try {
      return await editing.apply(operations, label);
    } finally {
      setLayers((all) => all.filter((layer) => layer.key !== key));
    }
  }, [editing]);

  return { base, settled, settledById, save };
}
