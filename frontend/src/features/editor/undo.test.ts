import { describe, expect, it } from "vitest";

import type { NoteOperation, Score } from "@/api/types";

import { inverseOperations, newNoteId, noteIndex, UndoStack, withNoteIds,
         type UndoEntry } from "./undo";

function score(): Pick<Score, "tracks"> {
  return {
    tracks: [
      { id: "t1", name: "Lead", role: "melody", program: 0, is_drum: false, volume: 100,
        pan: 0, mute: false, solo: false,
        notes: [{ id: "a", pitch: 60, start: 0, duration: 480, velocity: 90 },
                { id: "b", pitch: 64, start: 480, duration: 240, velocity: 70 }] },
      { id: "t2", name: "Bass", role: "bass", program: 33, is_drum: false, volume: 100,
        pan: 0, mute: false, solo: false, notes: [] },
    ],
  };
}

/** Applies a batch to a plain note table, as the server does (for round-trip checks). */
function apply(tracks: Pick<Score, "tracks">, operations: NoteOperation[]) {
  const notes = noteIndex(tracks);
  for (const operation of operations) {
    if (operation.op === "add") {
      if (!operation.id || notes.has(operation.id)) throw new Error("bad add");
      const { op: _op, id, ...rest } = operation;
      notes.set(id, { ...rest, velocity: rest.velocity ?? 90 });
    } else if (operation.op === "delete") {
      if (!notes.delete(operation.note_id)) throw new Error("no note");
    } else {
      const note = notes.get(operation.note_id);
      if (!note) throw new Error("no note");
      for (const key of ["pitch", "start", "duration", "velocity", "track_id"] as const) {
        const value = operation[key];
        if (value !== undefined && value !== null) (note as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }
  const byTrack: Record<string, NonNullable<Score["tracks"]>[number]> = {};
  const result = score();
  for (const track of result.tracks ?? []) { track.notes = []; byTrack[track.id!] = track; }
  for (const [id, n] of notes) {
    byTrack[n.track_id]!.notes!.push({ id, pitch: n.pitch, start: n.start,
                                       duration: n.duration, velocity: n.velocity });
  }
  return result;
}

function sorted(tracks: Pick<Score, "tracks">) {
  return [...noteIndex(tracks).entries()].sort(([x], [y]) => x.localeCompare(y));
}

describe("inverse operations", () => {
  it("turns a delete into an add with the same id and values", () => {
    const result = inverseOperations(score(), [{ op: "delete", note_id: "b" }]);
    expect(result).toEqual({ ok: true, inverse: [
      { op: "add", id: "b", track_id: "t1", pitch: 64, start: 480, duration: 240,
        velocity: 70 }] });
  });

  it("turns an add into a delete of its id", () => {
    const result = inverseOperations(score(), [
      { op: "add", id: "new", track_id: "t2", pitch: 40, start: 0, duration: 120,
        velocity: 90 }]);
    expect(result).toEqual({ ok: true, inverse: [{ op: "delete", note_id: "new" }] });
  });

  it("refuses adds without ids and unknown notes", () => {
    expect(inverseOperations(score(), [
      { op: "add", track_id: "t1", pitch: 1, start: 0, duration: 1, velocity: 90 }]).ok)
      .toBe(false);
    expect(inverseOperations(score(), [{ op: "delete", note_id: "zz" }]).ok).toBe(false);
  });

  it("restores only the changed fields of an update, move or resize", () => {
    const result = inverseOperations(score(), [
      { op: "move", note_id: "a", start: 960, pitch: 60 },
      { op: "resize", note_id: "b", duration: 480 },
      { op: "update", note_id: "b", track_id: "t2", velocity: 100 },
    ]);
    expect(result).toEqual({ ok: true, inverse: [
      { op: "update", note_id: "b", track_id: "t1", velocity: 70 },
      { op: "update", note_id: "b", duration: 240 },
      { op: "update", note_id: "a", start: 0 },
    ] });
  });

  it("drops no-op updates", () => {
    expect(inverseOperations(score(), [{ op: "update", note_id: "a", pitch: 60 }]))
      .toEqual({ ok: true, inverse: [] });
  });

  it("round-trips mixed batches, including several operations on one note", () => {
    const before = score();
    const forward: NoteOperation[] = [
      { op: "add", id: "c", track_id: "t1", pitch: 67, start: 960, duration: 480,
        velocity: 80 },
      { op: "update", note_id: "c", pitch: 69 },
      { op: "update", note_id: "a", start: 120, velocity: 50 },
      { op: "update", note_id: "a", start: 240 },
      { op: "delete", note_id: "b" },
    ];
    const result = inverseOperations(before, forward);
    if (!result.ok) throw new Error(result.error);
    const after = apply(before, forward);
    expect(sorted(after)).not.toEqual(sorted(before));
    expect(sorted(apply(after, result.inverse))).toEqual(sorted(before));
    // Redo after undo lands on the same state again.
    expect(sorted(apply(apply(after, result.inverse), forward))).toEqual(sorted(after));
  });
});

describe("note ids", () => {
  it("fills ids of adds, from the server's answer first", () => {
    let n = 0;
    const ops = withNoteIds([
      { op: "add", track_id: "t1", pitch: 60, start: 0, duration: 1, velocity: 90 },
      { op: "delete", note_id: "a" },
      { op: "add", id: "keep", track_id: "t1", pitch: 60, start: 0, duration: 1, velocity: 90 },
      { op: "add", track_id: "t1", pitch: 60, start: 0, duration: 1, velocity: 90 },
    ], () => `gen${n++}`, ["server1"]);
    expect(ops.map((o) => (o.op === "add" ? o.id : o.note_id)))
      .toEqual(["server1", "a", "keep", "gen0"]);
  });

  it("makes ids the API accepts", () => {
    const ids = new Set(Array.from({ length: 50 }, newNoteId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
  });
});

describe("undo stack", () => {
  const entry = (label: string): UndoEntry => ({
    label, forward: [{ op: "delete", note_id: label }],
    inverse: [{ op: "add", id: label, track_id: "t", pitch: 1, start: 0, duration: 1,
                velocity: 90 }],
  });

  it("undoes and redoes in order, applying inverse then forward", async () => {
    const stack = new UndoStack();
    const applied: string[] = [];
    const ok = async (ops: NoteOperation[], label: string) => {
      applied.push(`${label}:${ops[0]!.op}`);
      return true;
    };
    stack.record(entry("x"));
    stack.record(entry("y"));
    expect(stack.undoLabel).toBe("y");
    expect((await stack.undo(ok))?.label).toBe("y");
    expect((await stack.undo(ok))?.label).toBe("x");
    expect(await stack.undo(ok)).toBeNull();
    expect(stack.canUndo).toBe(false);
    expect((await stack.redo(ok))?.label).toBe("x");
    expect(stack.sizes).toEqual({ undo: 1, redo: 1 });
    expect(applied).toEqual(["Undo: y:add", "Undo: x:add", "Redo: x:delete"]);
  });

  it("clears redo on a new edit", async () => {
    const stack = new UndoStack();
    stack.record(entry("x"));
    await stack.undo(async () => true);
    expect(stack.canRedo).toBe(true);
    stack.record(entry("y"));
    expect(stack.canRedo).toBe(false);
    expect(stack.sizes).toEqual({ undo: 1, redo: 0 });
  });

  it("keeps a failed undo on the stack", async () => {
    const stack = new UndoStack();
    stack.record(entry("x"));
    expect(await stack.undo(async () => false)).toBeNull();
    expect(stack.sizes).toEqual({ undo: 1, redo: 0 });
    await expect(stack.undo(async () => { throw new Error("offline"); })).rejects.toThrow();
    expect(stack.sizes).toEqual({ undo: 1, redo: 0 });
    expect(stack.busy).toBe(false);
  });

  it("drops an undo or redo the server refused for good", async () => {
    const stack = new UndoStack();
    stack.record(entry("x"));
    stack.record(entry("y"));
    expect(await stack.undo(async () => "refused")).toBeNull();
    expect(stack.sizes).toEqual({ undo: 1, redo: 0 });
    expect(stack.undoLabel).toBe("x");
    await stack.undo(async () => true);
    expect(await stack.redo(async () => "refused")).toBeNull();
    expect(stack.sizes).toEqual({ undo: 0, redo: 0 });
  });

  it("runs one undo at a time", async () => {
    const stack = new UndoStack();
    stack.record(entry("x"));
    stack.record(entry("y"));
    let release: (v: boolean) => void = () => {};
    const first = stack.undo(() => new Promise<boolean>((r) => { release = r; }));
    expect(stack.busy).toBe(true);
    expect(await stack.undo(async () => true)).toBeNull();
    release(true);
    expect((await first)?.label).toBe("y");
    expect(stack.sizes).toEqual({ undo: 1, redo: 1 });
  });

  it("drops the oldest entries past its limit and ignores empty edits", () => {
    const stack = new UndoStack(3);
    for (const label of ["a", "b", "c", "d", "e"]) stack.record(entry(label));
    expect(stack.sizes.undo).toBe(3);
    stack.record({ label: "empty", forward: [], inverse: [] });
    expect(stack.undoLabel).toBe("e");
  });
});
