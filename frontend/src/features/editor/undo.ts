/** Undo/redo for note edits. Each recorded edit keeps the batch that made it (`forward`)
 * and the batch that takes it back (`inverse`): add ↔ delete of the same note id (AddNote
 * accepts an `id`, so undoing a delete brings the note back under its old id), update ↔
 * update with the old values. Inverses are computed from the score as it was before the
 * edit, simulating the batch in order so several operations on one note undo correctly. */
import type { NoteOperation, Score } from "@/api/types";

export type AddOp = Extract<NoteOperation, { op: "add" }>;
export type DeleteOp = Extract<NoteOperation, { op: "delete" }>;
export type UpdateOp = Extract<NoteOperation, { op: "update" | "move" | "resize" }>;

export interface NoteState {
  track_id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

/** Every note of the score by id, with its track. */
export function noteIndex(score: Pick<Score, "tracks">): Map<string, NoteState> {
  const index = new Map<string, NoteState>();
  for (const track of score.tracks ?? []) {
    if (!track.id) continue;
    for (const note of track.notes ?? []) {
      if (!note.id) continue;
      index.set(note.id, { track_id: track.id, pitch: note.pitch, start: note.start,
                           duration: note.duration, velocity: note.velocity ?? 90 });
    }
  }
  return index;
}

/** Give every AddNote without an id one (from `ids` in order, else from `makeId`), so that
 * the edit's inverse can name the notes it adds before the server answers. */
export function withNoteIds(operations: readonly NoteOperation[],
                            makeId: () => string = newNoteId,
                            ids: readonly string[] = []): NoteOperation[] {
  let next = 0;
  return operations.map((operation) => {
    if (operation.op !== "add") return operation;
    const given = ids[next++];
    if (operation.id) return operation;
    return { ...operation, id: given ?? makeId() };
  });
}

/** A fresh note id matching the API's pattern (`[A-Za-z0-9_.:-]{1,64}`). */
export function newNoteId(): string {
  const random = typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID().replace(/-/g, "")
    : Math.random().toString(36).slice(2) + Date.now().toString(36);
  return `n${random.slice(0, 24)}`;
}

const FIELDS = ["pitch", "start", "duration", "velocity"] as const;

/** The batch that undoes `operations` applied to `score`, or an error message when an
 * operation names a note the score lacks or an add has no id (use `withNoteIds` first). */
export function inverseOperations(score: Pick<Score, "tracks">,
                                  operations: readonly NoteOperation[]):
    { ok: true; inverse: NoteOperation[] } | { ok: false; error: string } {
  const notes = noteIndex(score);
  const inverse: NoteOperation[] = [];
  for (const operation of operations) {
    if (operation.op === "add") {
      if (!operation.id) return { ok: false, error: "an added note has no id" };
      notes.set(operation.id, { track_id: operation.track_id, pitch: operation.pitch,
                                start: operation.start, duration: operation.duration,
                                velocity: operation.velocity ?? 90 });
      inverse.push({ op: "delete", note_id: operation.id });
      continue;
    }
    const before = notes.get(operation.note_id);
    if (!before) return { ok: false, error: `no note ${operation.note_id}` };
    if (operation.op === "delete") {
      notes.delete(operation.note_id);
      inverse.push({ op: "add", id: operation.note_id, ...before });
      continue;
    }
    const after: NoteState = { ...before };
    const back: UpdateOp = { op: "update", note_id: operation.note_id };
    let changed = false;
    for (const field of FIELDS) {
      const value = operation[field];
      if (value === null || value === undefined || value === before[field]) continue;
      after[field] = value;
      back[field] = before[field];
      changed = true;
    }
    if (operation.track_id && operation.track_id !== before.track_id) {
      after.track_id = operation.track_id;
      back.track_id = before.track_id;
      changed = true;
    }
    notes.set(operation.note_id, after);
    if (changed) inverse.push(back);
  }
  return { ok: true, inverse: inverse.reverse() };
}

export interface UndoEntry {
  label: string;
  forward: NoteOperation[];
  inverse: NoteOperation[];
}

/** Applies a batch (e.g. through the workspace's `editNotes`): true when it was saved, false
 * when it failed but may succeed later (offline, a server error), "refused" when the server
 * refused it for good (a 4xx, e.g. a note it names is gone). */
export type ApplyBatch = (operations: NoteOperation[], label: string) =>
  Promise<boolean | "refused">;

/** The undo and redo stacks. `undo`/`redo` apply the batch and move the entry across only
 * when it was saved; a failed one stays where it was, a refused one is dropped (left on top,
 * it would fail again on every try and block everything under it). */
export class UndoStack {
  private done: UndoEntry[] = [];
  private undone: UndoEntry[] = [];
  private running = false;

  constructor(readonly limit = 100) {}

  get canUndo(): boolean { return this.done.length > 0 && !this.running; }
  get canRedo(): boolean { return this.undone.length > 0 && !this.running; }
  get busy(): boolean { return this.running; }
  get undoLabel(): string | null { return this.done[this.done.length - 1]?.label ?? null; }
  get redoLabel(): string | null { return this.undone[this.undone.length - 1]?.label ?? null; }
  get sizes(): { undo: number; redo: number } {
    return { undo: this.done.length, redo: this.undone.length };
  }

  /** A new edit: pushed for undo (dropping the oldest past the limit); clears redo. */
  record(entry: UndoEntry): void {
    if (entry.forward.length === 0 || entry.inverse.length === 0) return;
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
    this.undone = [];
  }

  async undo(apply: ApplyBatch): Promise<UndoEntry | null> {
    return this.move(this.done, this.undone, apply, "inverse", "Undo");
  }

  async redo(apply: ApplyBatch): Promise<UndoEntry | null> {
    return this.move(this.undone, this.done, apply, "forward", "Redo");
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }

  private async move(from: UndoEntry[], to: UndoEntry[], apply: ApplyBatch,
                     side: "inverse" | "forward", verb: string): Promise<UndoEntry | null> {
    const entry = from[from.length - 1];
    if (!entry || this.running) return null;
    this.running = true;
    try {
      const saved = await apply(entry[side], `${verb}: ${entry.label}`);
      if (saved !== true) {
        if (saved === "refused" && from[from.length - 1] === entry) from.pop();
        return null;
      }
      // The stacks may have been cleared meanwhile; move only if the entry is still on top.
      if (from[from.length - 1] === entry) from.pop();
      to.push(entry);
      if (to.length > this.limit) to.splice(0, to.length - this.limit);
      return entry;
    } finally {
      this.running = false;
    }
  }
}
