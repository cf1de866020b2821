import { describe, expect, it } from "vitest";

import { barLayout } from "./geometry";
import { nearestGridPoint, quantizeNotes, quantizeStep, type QuantizeOptions } from "./quantize";

const full = (grid: QuantizeOptions["grid"], extra: Partial<QuantizeOptions> = {}):
  QuantizeOptions => ({ grid, strength: 1, swing: 0, ends: false, ...extra });

describe("quantizeNotes", () => {
  it("moves starts onto the nearest grid point at full strength and keeps lengths", () => {
    const out = quantizeNotes([{ id: "a", start: 130, duration: 200 },
                               { id: "b", start: 250, duration: 100 }], full("1/8"));
    expect(out.get("a")).toEqual({ start: 240, duration: 200 });
    expect(out.get("b")).toEqual({ start: 240, duration: 100 });
  });

  it("moves only part of the way at partial strength", () => {
    const out = quantizeNotes([{ id: "a", start: 100, duration: 120 }],
                              full("1/16", { strength: 0.5 }));
    // Nearest 1/16 point to 100 is 120: half of the 20-tick gap.
    expect(out.get("a")).toEqual({ start: 110, duration: 120 });
  });

  it("leaves notes alone at zero strength and leaves on-grid notes out", () => {
    expect(quantizeNotes([{ id: "a", start: 101, duration: 50 }],
                         full("1/4", { strength: 0 })).size).toBe(0);
    expect(quantizeNotes([{ id: "b", start: 960, duration: 50 }], full("1/4")).size).toBe(0);
  });

  it("swings every second point of a straight grid", () => {
    // 1/8 grid, swing 1/3 → the off-beat sits at 240 + 80 = 320 (triplet feel).
    const options = full("1/8", { swing: 1 / 3 });
    expect(nearestGridPoint(300, options)).toBe(320);
    expect(nearestGridPoint(250, options)).toBe(320);
    expect(nearestGridPoint(100, options)).toBe(0);
    expect(nearestGridPoint(470, options)).toBe(480);
    const hard = full("1/16", { swing: 0.75 });
    expect(nearestGridPoint(200, hard)).toBe(210);   // 120 + 0.75 * 120
    // Swing is capped at 75%.
    expect(nearestGridPoint(220, full("1/16", { swing: 2 }))).toBe(210);
  });

  it("uses triplet steps and ignores swing on triplet grids", () => {
    expect(quantizeStep("1/8T")).toBe(160);
    expect(quantizeStep("1/16T")).toBe(80);
    expect(nearestGridPoint(150, full("1/8T", { swing: 0.5 }))).toBe(160);
    expect(nearestGridPoint(290, full("1/8T"))).toBe(320);
    expect(nearestGridPoint(130, full("1/16T"))).toBe(160);
  });

  it("quantizes ends when asked, never to a zero length", () => {
    const out = quantizeNotes([{ id: "a", start: 10, duration: 215 },
                               { id: "b", start: 500, duration: 20 }],
                              full("1/8", { ends: true }));
    expect(out.get("a")).toEqual({ start: 0, duration: 240 });
    // End 520 snaps to 480 = its start: one step instead.
    expect(out.get("b")).toEqual({ start: 480, duration: 240 });
  });

  it("restarts the grid at each bar line in odd meters", () => {
    const bars = barLayout({ bars: 2, meter: { numerator: 5, denominator: 8 } });
    // Bar 2 starts at 1200; 1/4 grid from there: 1200, 1680 — not 1440 (the 4/4 grid).
    expect(nearestGridPoint(1420, full("1/4"), bars)).toBe(1200);
    expect(nearestGridPoint(1460, full("1/4"), bars)).toBe(1680);
  });
});
