import { describe, expect, it } from "vitest";

import { addOperations, clipFrom, clipFromText, clipToText, duplicateStart,
         placeClip } from "./clipboard";

const ids = () => {
  let n = 0;
  return () => `p${++n}`;
};

const notes = [
  { pitch: 64, start: 1000, duration: 240, velocity: 80 },
  { pitch: 60, start: 960, duration: 480, velocity: 100 },
];

describe("clipboard transforms", () => {
  it("stores notes relative to the earliest start", () => {
    const clip = clipFrom(notes);
    expect(clip.span).toBe(480);
    expect(clip.notes).toEqual([
      { pitch: 60, offset: 0, duration: 480, velocity: 100 },
      { pitch: 64, offset: 40, duration: 240, velocity: 80 },
    ]);
  });

  it("pastes at an offset with fresh ids and the same shape", () => {
    const placed = placeClip(clipFrom(notes), 7680, 100_000, ids());
    expect(placed).toEqual([
      { id: "p1", pitch: 60, start: 7680, duration: 480, velocity: 100 },
      { id: "p2", pitch: 64, start: 7720, duration: 240, velocity: 80 },
    ]);
    expect(addOperations(placed, "t1")[1]).toEqual(
      { op: "add", id: "p2", track_id: "t1", pitch: 64, start: 7720, duration: 240,
        velocity: 80 });
  });

  it("leaves out what would start past the end and cuts what would run over", () => {
    const placed = placeClip(clipFrom(notes), 7500, 7540, ids());
    expect(placed).toEqual([{ id: "p1", pitch: 60, start: 7500, duration: 40,
                              velocity: 100 }]);
  });

  it("duplicates right after the span, rounded up to the grid step", () => {
    expect(duplicateStart(notes, null)).toBe(1440);
    // A bar of 4/4 with its last note short: with a 1920 step the copy lands on the next bar.
    const bar = [{ pitch: 60, start: 1920, duration: 240, velocity: 90 },
                 { pitch: 62, start: 3360, duration: 240, velocity: 90 }];
    expect(duplicateStart(bar, 1920)).toBe(3840);
    expect(duplicateStart(bar, 120)).toBe(3600);
  });

  it("round-trips through text and refuses what is not a clip", () => {
    const clip = clipFrom(notes, 120);
    expect(clipFromText(clipToText(clip))).toEqual(clip);
    expect(clipFromText("hello")).toBeNull();
    expect(clipFromText(JSON.stringify({ format: "other", span: 0, notes: [] }))).toBeNull();
    expect(clipFromText(clipToText({ span: 10, notes: [
      { pitch: 200, offset: 0, duration: 10, velocity: 90 }] }))).toBeNull();
  });
});
