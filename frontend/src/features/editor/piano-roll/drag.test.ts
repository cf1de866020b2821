import { describe, expect, it } from "vitest";

import { barLayout } from "@/lib/geometry";

import { finishDrag, moveDrag, startAdd, startNoteDrag, type DragGrid } from "./drag";
import { PITCH_VIEW } from "./layout";
import type { RollNote } from "./notes";

// 1 px per 10 ticks; two bars of 4/4 (the score ends at 3840).
const grid: DragGrid = { division: "1/16", bars: barLayout({ bars: 2 }), end: 3840,
                         time: { pixelsPerTick: 0.1 }, pitch: PITCH_VIEW };
const y = (pitch: number) => (127 - pitch) * 14 + 7;
const a: RollNote = { id: "a", pitch: 60, start: 480, duration: 480, velocity: 90 };
const b: RollNote = { id: "b", pitch: 64, start: 960, duration: 240, velocity: 90 };
const notes = new Map([["a", a], ["b", b]]);
const ids = () => "new";

describe("the piano roll's drag", () => {
  it("does nothing until the pointer leaves the slop", () => {
    const drag = startNoteDrag(a, "body", ["a"], 50, y(60), null, grid);
    expect(moveDrag(drag, 53, y(60) + 3, notes, grid)).toBe(drag);
    expect(finishDrag(drag, notes, grid, "t", ids)).toEqual({ kind: "none" });
  });

  it("moves the whole selection by the anchor's snapped offset", () => {
    const drag = startNoteDrag(a, "body", ["a", "b"], 50, y(60), null, grid);
    const moved = moveDrag(drag, 50 + 13, y(61), notes, grid);  // +130 ticks → +120 snapped
    expect(finishDrag(moved, notes, grid, "t", ids)).toMatchObject({
      kind: "edit", label: "Move 2 notes",
      operations: [{ op: "move", note_id: "a", start: 600, pitch: 61 },
                   { op: "move", note_id: "b", start: 1080, pitch: 65 }],
    });
  });

  it("keeps a moved group inside the score", () => {
    const drag = startNoteDrag(a, "body", ["a", "b"], 50, y(60), null, grid);
    const moved = moveDrag(drag, 50 + 1000, y(60), notes, grid);  // far past the end
    const outcome = finishDrag(moved, notes, grid, "t", ids);
    // b ends last (at 1200): it may move 2640 ticks at most.
    expect(outcome).toMatchObject({ kind: "edit", operations: [
      { note_id: "a", start: 480 + 2640 }, { note_id: "b", start: 960 + 2640 }] });
  });

  it("resizes to the grid, never below one step", () => {
    const drag = startNoteDrag(a, "resize", ["a"], 95, y(60), null, grid);
    const longer = moveDrag(drag, 95 + 25, y(60), notes, grid);  // +250 → end 1210 → 1200
    expect(finishDrag(longer, notes, grid, "t", ids)).toMatchObject({
      kind: "edit", label: "Resize 1 note",
      operations: [{ op: "resize", note_id: "a", duration: 720 }] });
    const shorter = moveDrag(drag, 95 - 200, y(60), notes, grid);
    expect(finishDrag(shorter, notes, grid, "t", ids)).toMatchObject({
      operations: [{ duration: 120 }] });
  });

  it("selects a note alone on a click inside a multi-selection", () => {
    const drag = startNoteDrag(a, "body", ["a", "b"], 50, y(60), "a", grid);
    expect(finishDrag(drag, notes, grid, "t", ids)).toEqual({ kind: "select", id: "a" });
  });

  it("adds a 1/16 note on a click on empty space, and draws a box (no note) on a drag", () => {
    const add = startAdd(250, y(67), grid);  // tick 2500 → 2400 on the grid
    expect(finishDrag(add, notes, grid, "t", ids)).toEqual({
      kind: "add", label: "Add G4",
      note: { id: "new", pitch: 67, start: 2400, duration: 120, velocity: 90 },
      operations: [{ op: "add", id: "new", track_id: "t", pitch: 67, start: 2400,
                     duration: 120, velocity: 90 }],
    });
    const dragged = moveDrag(add, 250 + 20, y(67), notes, grid);
    expect(dragged).toMatchObject({ mode: "box", originX: 250, x: 270, additive: false });
    expect(finishDrag(dragged, notes, grid, "t", ids)).toEqual({ kind: "box" });
  });

  it("keeps a shift-box's earlier selection to add to", () => {
    const add = startAdd(10, y(60), grid, true, new Set(["a"]));
    const box = moveDrag(add, 200, y(50), notes, grid);
    expect(box).toMatchObject({ mode: "box", additive: true, x: 200 });
    expect(box.mode === "box" && [...box.base]).toEqual(["a"]);
  });

  it("adds nothing past the score's end", () => {
    expect(finishDrag(startAdd(380, y(60), grid), notes, grid, "t", ids))
      .toMatchObject({ kind: "add", note: { start: 3840 - 120, duration: 120 } });
    expect(finishDrag(startAdd(400, y(60), grid), notes, grid, "t", ids))
      .toEqual({ kind: "none" });
  });
});
