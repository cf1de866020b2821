import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";

import { regionLabel, regionTicks } from "./LoopControls";

const score: Score = {
  bars: 8, meter: { numerator: 4, denominator: 4 },
  meter_changes: [{ bar: 5, meter: { numerator: 3, denominator: 4 } }],
  sections: [{ name: "Verse", start_bar: 1, bars: 4 }, { name: "Chorus", start_bar: 5, bars: 4 }],
};

describe("the loop region", () => {
  it("loops a whole section, across a meter change", () => {
    expect(regionTicks(score, 0, 1, 1)).toEqual({ startTick: 0, endTick: 4 * 1920 });
    expect(regionTicks(score, 1, 1, 1)).toEqual({ startTick: 4 * 1920,
                                                  endTick: 4 * 1920 + 4 * 1440 });
  });

  it("loops bars in to out, kept inside the piece", () => {
    expect(regionTicks(score, -1, 2, 3)).toEqual({ startTick: 1920, endTick: 3 * 1920 });
    expect(regionTicks(score, -1, 7, 99)).toEqual({ startTick: 4 * 1920 + 2 * 1440,
                                                    endTick: 4 * 1920 + 4 * 1440 });
    expect(regionTicks(score, -1, 3, 1)).toEqual({ startTick: 2 * 1920, endTick: 3 * 1920 });
  });

  it("names the region by its bars", () => {
    expect(regionLabel(score, { startTick: 1920, endTick: 3 * 1920 })).toBe("bars 2–3");
    expect(regionLabel(score, { startTick: 0, endTick: 1920 })).toBe("bar 1");
  });
});
