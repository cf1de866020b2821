import { describe, expect, it } from "vitest";

import { followScroll } from "./follow";
import { parseSettings } from "./settings";

describe("following the playhead", () => {
  it("leaves the view alone while the playhead is inside it", () => {
    expect(followScroll(500, 0, 1000, 0, 0.1)).toBeNull();
    expect(followScroll(1500, 1000, 1000, 0, 0.1)).toBeNull();
  });

  it("turns the page when the playhead nears the far edge or leaves the view", () => {
    expect(followScroll(990, 0, 1000, 0, 0.1)).toBe(890);
    expect(followScroll(3000, 0, 1000, 0, 0.1)).toBe(2900);
    expect(followScroll(100, 2000, 1000, 0, 0.1)).toBe(0);
  });

  it("does not count the width hidden under sticky headers", () => {
    // 200 px of piano keys: only 800 px of notes are visible.
    expect(followScroll(850, 0, 1000, 200, 0.1)).toBe(770);
    expect(followScroll(700, 0, 1000, 200, 0.1)).toBeNull();
  });
});

describe("the player's remembered settings", () => {
  it("keeps the metronome and a count-in of 0–2 bars, and ignores anything else", () => {
    expect(parseSettings(JSON.stringify({ metronome: true, countInBars: 2 })))
      .toEqual({ metronome: true, countInBars: 2 });
    expect(parseSettings(JSON.stringify({ metronome: "yes", countInBars: 9 })))
      .toEqual({ metronome: false, countInBars: 2 });
    expect(parseSettings("{not json")).toEqual({ metronome: false, countInBars: 0 });
    expect(parseSettings(null)).toEqual({ metronome: false, countInBars: 0 });
  });
});
