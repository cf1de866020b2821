/** The piano roll's pointer drag as a pure state machine: a press on a note starts a move
 * (or a resize at its right edge), a press on empty space starts an add, which becomes a
 * box selection once the pointer moves; each pointer move yields the next state, and the
 * release yields what to save. */
import type { NoteOperation } from "@/api/types";
import type { UpdateOp } from "@/features/editor/undo";
import {
  clampGroupMove, clampResize, minDurationFor, noteLengthFor, snapTick, xToTick, yToPitch,
  type Bar, type GridDivision, type HitZone, type PitchView, type TimeView,
} from "@/lib/geometry";
import { noteName } from "@/lib/gm";

import { DRAG_SLOP } from "./layout";
import type { NoteChanges, RollNote } from "./notes";

export type Drag = {
  mode: HitZone;
  anchor: RollNote;
  ids: string[];
  originX: number;
  originY: number;
  originTick: number;
  originPitch: number;
  moved: boolean;
  /** The note clicked without shift inside a multi-selection: selected alone on a click. */
  soleOnClick: string | null;
  changes: NoteChanges;
} | {
  mode: "add";
  originX: number;
  originY: number;
  moved: boolean;
  tick: number;
  pitch: number;
  /** Shift was held: a box drawn from here adds to `base`, the selection before. */
  additive: boolean;
  base: ReadonlySet<string>;
} | {
  mode: "box";
  originX: number;
  originY: number;
  moved: true;
  x: number;
  y: number;
  additive: boolean;
  base: ReadonlySet<string>;
};

/** What the grid looks like to a drag: the snap, the bars and the views. */
export interface DragGrid {
  division: GridDivision;
  bars: readonly Bar[];
  /** The score's end in ticks: nothing is moved, resized or added past it. */
  end: number;
  time: TimeView;
  pitch: PitchView;
}

/** A press on a note: drags the notes `ids` (which include `anchor`). */
export function startNoteDrag(anchor: RollNote, zone: HitZone, ids: string[], x: number,
                              y: number, soleOnClick: string | null, grid: DragGrid): Drag {
  return { mode: zone, anchor, ids, originX: x, originY: y,
           originTick: xToTick(x, grid.time), originPitch: anchor.pitch, moved: false,
           soleOnClick, changes: new Map() };
}

/** A press on empty space: adds a note there on release, or draws a selection box if the
 * pointer moves (adding to `base` when `additive`). */
export function startAdd(x: number, y: number, grid: DragGrid, additive = false,
                         base: ReadonlySet<string> = new Set()): Drag {
  return { mode: "add", originX: x, originY: y, moved: false,
           tick: snapTick(xToTick(x, grid.time), grid.division, grid.bars, "floor"),
           pitch: yToPitch(y, grid.pitch), additive, base };
}

/** The drag after the pointer moved to (x, y): `current` itself when nothing changed.
 * `notes` finds the dragged notes as they are before the drag. */
export function moveDrag(current: Drag, x: number, y: number,
                         notes: ReadonlyMap<string, RollNote>, grid: DragGrid): Drag {
  const moved = current.moved || Math.abs(x - current.originX) > DRAG_SLOP ||
    Math.abs(y - current.originY) > DRAG_SLOP;
  if (current.mode === "add" || current.mode === "box") {
    if (!moved) return current;
    return { mode: "box", originX: current.originX, originY: current.originY, moved: true,
             x, y, additive: current.additive, base: current.base };
  }
  if (!moved) return current;
  const raw = xToTick(x, grid.time) - current.originTick;
  const group = current.ids.map((id) => notes.get(id)).filter((n): n is RollNote => !!n);
  const changes: NoteChanges = new Map();
  const anchor = current.anchor;
  if (current.mode === "body") {
    const wanted = snapTick(anchor.start + raw, grid.division, grid.bars) - anchor.start;
    const dPitch = yToPitch(y, grid.pitch) - current.originPitch;
    const delta = clampGroupMove(group, wanted, dPitch, grid.end);
    for (const note of group) {
      changes.set(note.id, { start: note.start + delta.dTick, pitch: note.pitch + delta.dPitch });
    }
  } else {
    const anchorEnd = anchor.start + anchor.duration;
    const dEnd = snapTick(anchorEnd + raw, grid.division, grid.bars) - anchorEnd;
    const shortest = minDurationFor(grid.division);
    for (const note of group) {
      changes.set(note.id, { duration: clampResize(note, note.start + note.duration + dEnd,
                                                   shortest, grid.end) });
    }
  }
  return { ...current, moved: true, changes };
}

export type DragOutcome =
  | { kind: "none" }
  /** A selection box was drawn (the selection follows it while dragging). */
  | { kind: "box" }
  /** A click inside a multi-selection: select that note alone. */
  | { kind: "select"; id: string }
  | { kind: "add"; note: RollNote; operations: NoteOperation[]; label: string }
  | { kind: "edit"; operations: NoteOperation[]; label: string; changes: NoteChanges };

/** What a released drag does. `newId` names an added note. */
export function finishDrag(drag: Drag, notes: ReadonlyMap<string, RollNote>, grid: DragGrid,
                           trackId: string, newId: () => string): DragOutcome {
  if (drag.mode === "box") return { kind: "box" };
  if (drag.mode === "add") {
    if (drag.moved) return { kind: "none" };
    const duration = Math.min(noteLengthFor(grid.division), Math.max(0, grid.end - drag.tick));
    if (duration <= 0 || drag.tick < 0) return { kind: "none" };
    const note: RollNote = { id: newId(), pitch: drag.pitch, start: drag.tick, duration,
                             velocity: 90 };
    return { kind: "add", note, label: `Add ${noteName(note.pitch)}`,
             operations: [{ op: "add", id: note.id, track_id: trackId, pitch: note.pitch,
                            start: note.start, duration, velocity: note.velocity }] };
  }
  if (!drag.moved) {
    return drag.soleOnClick ? { kind: "select", id: drag.soleOnClick } : { kind: "none" };
  }
  const operations: NoteOperation[] = [];
  for (const [id, change] of drag.changes) {
    const before = notes.get(id);
    if (!before) continue;
    const op: UpdateOp = { op: drag.mode === "body" ? "move" : "resize", note_id: id };
    let changed = false;
    if (change.start !== undefined && change.start !== before.start) {
      op.start = change.start; changed = true;
    }
    if (change.pitch !== undefined && change.pitch !== before.pitch) {
      op.pitch = change.pitch; changed = true;
    }
    if (change.duration !== undefined && change.duration !== before.duration) {
      op.duration = change.duration; changed = true;
    }
    if (changed) operations.push(op);
  }
  const count = operations.length;
  const label = `${drag.mode === "body" ? "Move" : "Resize"} ${count} note${count === 1 ? "" : "s"}`;
  return { kind: "edit", operations, label, changes: drag.changes };
}
