/** Edits to the selected notes: delete, move or transpose by a step, and set their velocity
 * (drafted while the slider moves, saved when it is let go). */
import { useCallback, useState, type Dispatch, type SetStateAction } from "react";

import type { NoteOperation } from "@/api/types";
import { clampGroupMove } from "@/lib/geometry";

import type { NoteChanges, Optimistic, RollNote } from "./notes";

export interface SelectionEditsInput {
  selection: readonly RollNote[];
  setSelected: Dispatch<SetStateAction<ReadonlySet<string>>>;
  editable: boolean;
  /** The score's end in ticks. */
  end: number;
  save(operations: NoteOperation[], label: string, shown: Optimistic): Promise<boolean>;
}

export interface SelectionEdits {
  deleteSelection(): void;
  shiftSelection(dTick: number, dPitch: number): void;
  /** The velocity shown: the draft while the slider moves, else the selection's mean. */
  selectedVelocity: number;
  setVelocityDraft(value: number): void;
  commitVelocity(): void;
}

export function useSelectionEdits({ selection, setSelected, editable, end,
                                    save }: SelectionEditsInput): SelectionEdits {
  const [velocityDraft, setVelocityDraft] = useState<number | null>(null);

  const deleteSelection = useCallback(() => {
    if (!editable || selection.length === 0) return;
    const ids = selection.map((n) => n.id);
    setSelected(new Set());
    void save(ids.map((id) => ({ op: "delete" as const, note_id: id })),
              `Delete ${ids.length} note${ids.length === 1 ? "" : "s"}`,
              { changes: new Map(), added: [], deleted: new Set(ids) });
  }, [editable, selection, setSelected, save]);

  const shiftSelection = useCallback((dTick: number, dPitch: number) => {
    if (!editable || selection.length === 0) return;
    const delta = clampGroupMove(selection, dTick, dPitch, end);
    if (!delta.dTick && !delta.dPitch) return;
    const changes: NoteChanges = new Map();
    const operations: NoteOperation[] = selection.map((n) => {
      const change = { start: n.start + delta.dTick, pitch: n.pitch + delta.dPitch };
      changes.set(n.id, change);
      return { op: "move", note_id: n.id, ...change };
    });
    void save(operations, delta.dPitch ? `Transpose ${selection.length} note(s)`
                                       : `Move ${selection.length} note(s)`,
              { changes, added: [], deleted: new Set() });
  }, [editable, selection, end, save]);

  const commitVelocity = useCallback(() => {
    if (velocityDraft === null) return;
    const value = velocityDraft;
    setVelocityDraft(null);
    const operations: NoteOperation[] = selection.filter((n) => n.velocity !== value)
      .map((n) => ({ op: "update", note_id: n.id, velocity: value }));
    if (!editable || operations.length === 0) return;
    const changes = new Map(selection.map((n) => [n.id, { velocity: value }]));
    void save(operations, `Velocity ${value} on ${operations.length} note(s)`,
              { changes, added: [], deleted: new Set() });
  }, [velocityDraft, selection, editable, save]);

  const selectedVelocity = velocityDraft ??
    (selection.length ? Math.round(selection.reduce((s, n) => s + n.velocity, 0) /
                                   selection.length) : 90);

  return { deleteSelection, shiftSelection, selectedVelocity, setVelocityDraft,
           commitVelocity };
}
