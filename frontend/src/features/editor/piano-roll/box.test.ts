import { describe, expect, it } from "vitest";

import { boxFrom, boxSelection, notesInBox } from "./box";

const time = { pixelsPerTick: 0.1 };
const pitch = { rowHeight: 10, topPitch: 127 };
// Note rows: pitch 127 → y 0..10, pitch 120 → y 70..80, pitch 100 → y 270..280.
const notes = [
  { id: "a", pitch: 120, start: 0, duration: 480, velocity: 90 },     // x 0..48
  { id: "b", pitch: 120, start: 960, duration: 480, velocity: 90 },   // x 96..144
  { id: "c", pitch: 100, start: 480, duration: 480, velocity: 90 },   // x 48..96
];

describe("box selection", () => {
  it("normalises corners dragged in any direction", () => {
    expect(boxFrom(50, 90, 10, 20)).toEqual({ left: 10, top: 20, right: 50, bottom: 90 });
  });

  it("selects the notes the box overlaps, not the ones beside it", () => {
    expect(notesInBox(notes, boxFrom(10, 60, 100, 75), time, pitch)).toEqual(["a", "b"]);
    expect(notesInBox(notes, boxFrom(50, 60, 90, 75), time, pitch)).toEqual([]);
    expect(notesInBox(notes, boxFrom(60, 60, 70, 300), time, pitch)).toEqual(["c"]);
  });

  it("counts the horizontal scroll of the view", () => {
    expect(notesInBox(notes, boxFrom(0, 60, 10, 75), { ...time, scrollX: 100 }, pitch))
      .toEqual(["b"]);
  });

  it("replaces the selection, or adds to it with shift", () => {
    expect([...boxSelection(new Set(["x"]), ["a"], false)]).toEqual(["a"]);
    expect([...boxSelection(new Set(["x"]), ["a"], true)].sort()).toEqual(["a", "x"]);
  });
});
