import { describe, expect, it } from "vitest";

import {
  barAt, barBeat, barLayout, clampGroupMove, clampMove, clampResize, gridLines, gridStep,
  hitTestNotes, hitZone, minDurationFor, noteLengthFor, pitchToY, scoreEnd, snapTick,
  tickToX, xToTick, yToPitch, type GridDivision,
} from "./geometry";

const fourFour = barLayout({ bars: 4, meter: { numerator: 4, denominator: 4 } });
const threeFour = barLayout({ bars: 4, meter: { numerator: 3, denominator: 4 } });

describe("bars", () => {
  it("are meter-aware", () => {
    expect(fourFour.map((b) => b.start)).toEqual([0, 1920, 3840, 5760]);
    expect(scoreEnd(fourFour)).toBe(7680);
    expect(threeFour[1]!.start).toBe(1440);
    const sixEight = barLayout({ bars: 2, meter: { numerator: 6, denominator: 8 } });
    expect(sixEight[1]!.start).toBe(1440);
    const sevenSixteen = barLayout({ bars: 1, meter: { numerator: 7, denominator: 16 } });
    expect(sevenSixteen[0]!.length).toBe(840);
  });

  it("follow meter changes (1-based bars, as the API)", () => {
    const bars = barLayout({ bars: 4, meter: { numerator: 4, denominator: 4 },
                             meter_changes: [{ bar: 3, meter: { numerator: 3, denominator: 4 } }] });
    expect(bars.map((b) => [b.start, b.length])).toEqual(
      [[0, 1920], [1920, 1920], [3840, 1440], [5280, 1440]]);
    expect(barAt(bars, 5279).number).toBe(3);
    expect(barAt(bars, 5280).number).toBe(4);
  });

  it("extend before the start and past the end", () => {
    expect(barAt(fourFour, -1)).toMatchObject({ number: 0, start: -1920 });
    expect(barAt(fourFour, 7680)).toMatchObject({ number: 5, start: 7680 });
    expect(barAt(fourFour, 7680 + 1920 * 2 + 5)).toMatchObject({ number: 7, start: 11520 });
  });

  it("name bar and beat", () => {
    expect(barBeat(fourFour, 0)).toEqual({ bar: 1, beat: 1, offset: 0 });
    expect(barBeat(fourFour, 1920 + 480 * 2 + 10)).toEqual({ bar: 2, beat: 3, offset: 10 });
    const sixEight = barLayout({ bars: 2, meter: { numerator: 6, denominator: 8 } });
    expect(barBeat(sixEight, 1440 + 240 * 5)).toEqual({ bar: 2, beat: 6, offset: 0 });
  });
});

describe("pixels", () => {
  it("round-trip ticks and x with zoom and scroll", () => {
    for (const view of [{ pixelsPerTick: 0.1 }, { pixelsPerTick: 0.0625, scrollX: 300 },
                        { pixelsPerTick: 1 / 3, scrollX: 17 }]) {
      for (const tick of [0, 1, 240, 1920, 12345]) {
        expect(xToTick(tickToX(tick, view), view)).toBeCloseTo(tick, 9);
      }
    }
    expect(tickToX(1920, { pixelsPerTick: 0.1, scrollX: 50 })).toBeCloseTo(142);
  });

  it("round-trip pitches and rows, clamped to the range", () => {
    const view = { rowHeight: 12, topPitch: 127 };
    for (const pitch of [0, 60, 127]) {
      const y = pitchToY(pitch, view);
      expect(yToPitch(y, view)).toBe(pitch);
      expect(yToPitch(y + 11.9, view)).toBe(pitch);
    }
    expect(pitchToY(127, view)).toBe(0);
    expect(yToPitch(-5, view)).toBe(127);
    expect(yToPitch(99999, view)).toBe(0);
    const scrolled = { rowHeight: 10, topPitch: 96, bottomPitch: 24, scrollY: 100 };
    expect(yToPitch(0, scrolled)).toBe(86);
    expect(yToPitch(5000, scrolled)).toBe(24);
  });
});

describe("snapping", () => {
  it("has the right steps", () => {
    const steps: [GridDivision, number | null][] = [
      ["1/4", 480], ["1/8", 240], ["1/16", 120], ["1/4T", 320], ["1/8T", 160],
      ["1/16T", 80], ["off", null]];
    for (const [division, step] of steps) expect(gridStep(division)).toBe(step);
    expect(noteLengthFor("off")).toBe(120);
    expect(minDurationFor("off")).toBe(1);
  });

  it("leaves ticks on the grid alone", () => {
    for (const tick of [0, 120, 1920, 1920 + 360]) {
      expect(snapTick(tick, "1/16", fourFour)).toBe(tick);
      expect(snapTick(tick, "1/16", fourFour, "floor")).toBe(tick);
      expect(snapTick(tick, "1/16", fourFour, "ceil")).toBe(tick);
    }
  });

  it("rounds, floors and ceils", () => {
    expect(snapTick(59, "1/16", fourFour)).toBe(0);
    expect(snapTick(60, "1/16", fourFour)).toBe(120);
    expect(snapTick(119, "1/16", fourFour, "floor")).toBe(0);
    expect(snapTick(1, "1/4", fourFour, "ceil")).toBe(480);
    expect(snapTick(1000.4, "off", fourFour)).toBe(1000);
  });

  it("handles negative ticks", () => {
    expect(snapTick(-10, "1/16", fourFour)).toBe(0);
    expect(snapTick(-70, "1/16", fourFour)).toBe(-120);
    expect(snapTick(-1, "1/4", fourFour, "floor")).toBe(-480);
  });

  it("restarts at each bar (3/4 with quarter triplets)", () => {
    // A 3/4 bar is 1440 ticks: 4.5 quarter-triplet steps, so the grid restarts at bar 2.
    expect(snapTick(1440 + 10, "1/4T", threeFour)).toBe(1440);
    expect(snapTick(1440 - 100, "1/4T", threeFour)).toBe(1280);
    expect(snapTick(1440 - 40, "1/4T", threeFour)).toBe(1440);   // the bar end is a grid point
    expect(snapTick(1290, "1/4T", threeFour, "floor")).toBe(1280);
    expect(snapTick(1300, "1/4T", threeFour, "ceil")).toBe(1440);
  });

  it("snaps triplets to whole ticks", () => {
    expect(snapTick(170, "1/8T", fourFour)).toBe(160);
    expect(snapTick(250, "1/16T", fourFour)).toBe(240);
    expect(snapTick(1920 + 330, "1/4T", fourFour)).toBe(1920 + 320);
    for (let i = 0; i < 24; i++) {
      expect(Number.isInteger(snapTick(i * 80 + 3, "1/16T", fourFour))).toBe(true);
    }
  });

  it("draws bar, beat and subdivision lines", () => {
    const lines = gridLines(barLayout({ bars: 1, meter: { numerator: 4, denominator: 4 } }),
                            "1/8");
    expect(lines.filter((l) => l.kind === "bar").map((l) => l.tick)).toEqual([0]);
    expect(lines.filter((l) => l.kind === "beat").map((l) => l.tick)).toEqual([480, 960, 1440]);
    expect(lines.filter((l) => l.kind === "sub")).toHaveLength(4);
  });
});

describe("hit-testing", () => {
  it("tells the body from the resize handle", () => {
    expect(hitZone(5, 10, 100)).toBeNull();
    expect(hitZone(10, 10, 100)).toBe("body");
    expect(hitZone(101, 10, 100)).toBe("body");
    expect(hitZone(102, 10, 100)).toBe("resize");
    expect(hitZone(110, 10, 100)).toBe("resize");
    expect(hitZone(111, 10, 100)).toBeNull();
    // A short note keeps two thirds of itself for moving.
    expect(hitZone(15, 10, 12)).toBe("body");
    expect(hitZone(19, 10, 12)).toBe("resize");
  });

  it("finds the topmost note under the pointer", () => {
    const time = { pixelsPerTick: 0.1 };
    const pitch = { rowHeight: 10, topPitch: 127 };
    const notes = [{ id: "a", pitch: 60, start: 0, duration: 960 },
                   { id: "b", pitch: 60, start: 480, duration: 960 }];
    const y = pitchToY(60, pitch) + 5;
    expect(hitTestNotes(notes, 20, y, time, pitch)).toMatchObject({ note: { id: "a" },
                                                                      zone: "body" });
    expect(hitTestNotes(notes, 60, y, time, pitch)?.note.id).toBe("b");
    expect(hitTestNotes(notes, 140, y, time, pitch)).toMatchObject({ note: { id: "b" },
                                                                       zone: "resize" });
    expect(hitTestNotes(notes, 60, y + 10, time, pitch)).toBeNull();
  });
});

describe("clamping", () => {
  const note = { start: 480, duration: 480, pitch: 60 };

  it("keeps moves inside the score", () => {
    expect(clampMove(note, -100, 60, 7680)).toEqual({ start: 0, pitch: 60 });
    expect(clampMove(note, 7600, 200, 7680)).toEqual({ start: 7200, pitch: 127 });
    expect(clampMove(note, 960, -3, 7680)).toEqual({ start: 960, pitch: 0 });
  });

  it("keeps group moves together", () => {
    const notes = [note, { start: 6720, duration: 480, pitch: 120 }];
    expect(clampGroupMove(notes, -1000, 0, 7680)).toEqual({ dTick: -480, dPitch: 0 });
    expect(clampGroupMove(notes, 1000, 10, 7680)).toEqual({ dTick: 480, dPitch: 7 });
    expect(clampGroupMove(notes, 0, -100, 7680)).toEqual({ dTick: 0, dPitch: -60 });
    expect(clampGroupMove([], 5, 5, 7680)).toEqual({ dTick: 0, dPitch: 0 });
  });

  it("keeps resizes at least one grid step and inside the score", () => {
    expect(clampResize(note, 500, 120, 7680)).toBe(120);
    expect(clampResize(note, 480, 120, 7680)).toBe(120);
    expect(clampResize(note, 1200, 120, 7680)).toBe(720);
    expect(clampResize(note, 9999, 120, 7680)).toBe(7200);
    // A note already at the very end still keeps the minimum length.
    expect(clampResize({ start: 7660, duration: 20, pitch: 60 }, 9000, 120, 7680)).toBe(120);
  });
});
