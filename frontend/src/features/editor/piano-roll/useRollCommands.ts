/** The piano roll's commands on the selection: copy, cut, paste, duplicate, select all,
 * quantize and velocities. Each is one batch through the note editing (one undo step, live
 * or REST). */
import { useCallback, type Dispatch, type SetStateAction } from "react";

import type { NoteOperation } from "@/api/types";
import { addOperations, clipFrom, duplicateStart, getAppClip, placeClip, setAppClip,
         writeSystemClip, type Clip } from "@/features/editor/clipboard";
import { newNoteId } from "@/features/editor/undo";
import { gridStep, snapTick, type Bar, type GridDivision } from "@/lib/geometry";
import { quantizeNotes, type QuantizeOptions } from "@/lib/quantize";

import type { NoteChanges, Optimistic, RollNote } from "./notes";

export interface RollCommandsInput {
  /** The notes as drawn. */
  notes: readonly RollNote[];
  selection: readonly RollNote[];
  setSelected: Dispatch<SetStateAction<ReadonlySet<string>>>;
  trackId: string;
  end: number;
  division: GridDivision;
  bars: readonly Bar[];
  editable: boolean;
  /** Where a paste goes: the last press on the grid or the playhead, whichever was last. */
  pasteTick(): number;
  save(operations: NoteOperation[], label: string, shown: Optimistic): Promise<boolean>;
}

export interface RollCommands {
  copy(): Clip | null;
  cut(): Clip | null;
  /** Pastes `clip` (the in-app clipboard when not given). */
  paste(clip?: Clip | null): void;
  duplicate(): void;
  selectAll(): void;
  quantize(options: QuantizeOptions): void;
  setVelocities(values: ReadonlyMap<string, number>): void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function useRollCommands(input: RollCommandsInput): RollCommands {
  const { notes, selection, setSelected, trackId, end, division, bars, editable, pasteTick,
          save } = input;
  const step = gridStep(division);

  const place = useCallback((clip: Clip, at: number, label: string) => {
    if (!editable || clip.notes.length === 0) return;
    const placed = placeClip(clip, at, end, newNoteId);
    if (placed.length === 0) return;
    setSelected(new Set(placed.map((n) => n.id)));
    void save(addOperations(placed, trackId), `${label} ${plural(placed.length, "note")}`,
              { changes: new Map(), added: placed, deleted: new Set() });
  }, [editable, end, save, setSelected, trackId]);

  const copy = useCallback(() => {
    if (selection.length === 0) return null;
    const clip = clipFrom(selection, step);
    setAppClip(clip);
    writeSystemClip(clip);
    return clip;
  }, [selection, step]);

  const cut = useCallback(() => {
    if (!editable) return null;
    const clip = copy();
    if (!clip) return null;
    const ids = selection.map((n) => n.id);
    setSelected(new Set());
    void save(ids.map((id) => ({ op: "delete" as const, note_id: id })),
              `Cut ${plural(ids.length, "note")}`,
              { changes: new Map(), added: [], deleted: new Set(ids) });
    return clip;
  }, [copy, editable, save, selection, setSelected]);

  const paste = useCallback((clip?: Clip | null) => {
    const source = clip ?? getAppClip();
    if (!source) return;
    place(source, snapTick(Math.max(0, pasteTick()), division, bars, "round"), "Paste");
  }, [bars, division, pasteTick, place]);

  const duplicate = useCallback(() => {
    if (selection.length === 0) return;
    place(clipFrom(selection, step), duplicateStart(selection, step), "Duplicate");
  }, [place, selection, step]);

  const selectAll = useCallback(() => {
    setSelected(new Set(notes.map((n) => n.id)));
  }, [notes, setSelected]);

  const quantize = useCallback((options: QuantizeOptions) => {
    if (!editable) return;
    const targets = selection.length ? selection : notes;
    const operations: NoteOperation[] = [];
    const changes: NoteChanges = new Map();
    for (const [id, change] of quantizeNotes(targets, options, bars)) {
      const start = Math.min(change.start, Math.max(0, end - 1));
      const duration = Math.max(1, Math.min(change.duration, end - start));
      changes.set(id, { start, duration });
      operations.push({ op: "update", note_id: id, start, duration });
    }
    if (operations.length === 0) return;
    void save(operations, `Quantize ${plural(operations.length, "note")}`,
              { changes, added: [], deleted: new Set() });
  }, [bars, editable, end, notes, save, selection]);

  const setVelocities = useCallback((values: ReadonlyMap<string, number>) => {
    if (!editable || values.size === 0) return;
    const operations: NoteOperation[] = [...values].map(([id, velocity]) => (
      { op: "update", note_id: id, velocity }));
    const changes: NoteChanges = new Map([...values].map(([id, velocity]) => [id, { velocity }]));
    void save(operations, `Velocity of ${plural(values.size, "note")}`,
              { changes, added: [], deleted: new Set() });
  }, [editable, save]);

  return { copy, cut, paste, duplicate, selectAll, quantize, setVelocities };
}
