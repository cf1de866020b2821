/** Chord spans and their edits: sorted, one per tick, snapped to beats, never swallowing a
 * neighbour, always inside the song. */
import { describe, expect, it } from "vitest";

import { barLayout } from "@/lib/geometry";

import { barBeatName, chordSpans, chordsWithin, moveChord, removeChordAt, resizeChord,
         setChordAt, snapToBeat } from "./chordTimeline";

const BARS = barLayout({ bars: 4, meter: { numerator: 4, denominator: 4 } }); // 4 × 1920
const END = 7680;
const CHORDS = [{ tick: 3840, symbol: "F" }, { tick: 0, symbol: "C" },
                { tick: 1920, symbol: "Am" }];

describe("chord timeline", () => {
  it("makes spans that last until the next chord or the song's end", () => {
    expect(chordSpans(CHORDS, END).map((s) => [s.symbol, s.tick, s.end]))
      .toEqual([["C", 0, 1920], ["Am", 1920, 3840], ["F", 3840, 7680]]);
  });

  it("snaps to the beats of the meter in force (eighths in 6/8)", () => {
    expect(snapToBeat(BARS, 700)).toBe(480);
    expect(snapToBeat(BARS, 730)).toBe(960);
    expect(snapToBeat(BARS, 950, "floor")).toBe(480);
    const sixEight = barLayout({ bars: 2, meter: { numerator: 6, denominator: 8 } });
    expect(snapToBeat(sixEight, 1000)).toBe(960);
    expect(snapToBeat(sixEight, 1100)).toBe(1200);
  });

  it("adds a chord on the beat clicked and replaces one already there", () => {
    expect(setChordAt(CHORDS, BARS, END, 2500, "G7").map((c) => `${c.tick}:${c.symbol}`))
      .toEqual(["0:C", "1920:Am", "2400:G7", "3840:F"]);
    expect(setChordAt(CHORDS, BARS, END, 1921, "Dm").map((c) => `${c.tick}:${c.symbol}`))
      .toEqual(["0:C", "1920:Dm", "3840:F"]);
    expect(setChordAt([], BARS, END, 99_999, "E").map((c) => c.tick)).toEqual([7200]);
  });

  it("deletes a chord", () => {
    expect(removeChordAt(CHORDS, 1920).map((c) => c.symbol)).toEqual(["C", "F"]);
  });

  it("resizes by moving the next chord, keeping a beat for each", () => {
    const wider = resizeChord(CHORDS, BARS, END, 0, 2900);
    expect(wider.map((c) => c.tick)).toEqual([0, 2880, 3840]);
    expect(resizeChord(CHORDS, BARS, END, 0, 99_999).map((c) => c.tick))
      .toEqual([0, 3360, 3840]);
    expect(resizeChord(CHORDS, BARS, END, 0, -50).map((c) => c.tick)).toEqual([0, 480, 3840]);
    expect(resizeChord(CHORDS, BARS, END, 3840, 5000)).toEqual(
      [{ tick: 0, symbol: "C" }, { tick: 1920, symbol: "Am" }, { tick: 3840, symbol: "F" }]);
  });

  it("moves a chord between its neighbours only", () => {
    expect(moveChord(CHORDS, BARS, END, 1920, 2400).map((c) => c.tick))
      .toEqual([0, 2400, 3840]);
    expect(moveChord(CHORDS, BARS, END, 1920, 0).map((c) => c.tick)).toEqual([0, 480, 3840]);
    expect(moveChord(CHORDS, BARS, END, 1920, 5000).map((c) => c.tick))
      .toEqual([0, 3360, 3840]);
    expect(moveChord(CHORDS, BARS, END, 3840, 99_999).map((c) => c.tick))
      .toEqual([0, 1920, 7200]);
  });

  it("drops chords after a shortened song's end and names positions", () => {
    expect(chordsWithin(CHORDS, 3840).map((c) => c.symbol)).toEqual(["C", "Am"]);
    expect(barBeatName(BARS, 1920 + 960)).toBe("bar 2 beat 3");
  });
});
