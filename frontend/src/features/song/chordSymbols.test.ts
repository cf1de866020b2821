/** The chord parser accepts exactly what the server's parser accepts, and spells the result
 * as the server does (cases taken from backend tests/music/theory of chords). */
import { describe, expect, it } from "vitest";

import { chordPitches, parseChordSymbol } from "./chordSymbols";

const symbolOf = (text: string) => {
  const parsed = parseChordSymbol(text);
  return parsed.ok ? parsed.symbol : `error: ${parsed.error}`;
};

describe("parseChordSymbol", () => {
  it.each([
    ["C", "C"], ["Cm", "Cm"], ["C-", "Cm"], ["Cmin", "Cm"], ["Cdim", "Cdim"], ["C°", "Cdim"],
    ["Caug", "Caug"], ["C+", "Caug"], ["C7", "C7"], ["Cmaj7", "Cmaj7"], ["CΔ7", "Cmaj7"],
    ["CM7", "Cmaj7"], ["Cm7", "Cm7"], ["Cm7b5", "Cm7b5"], ["Cø", "Cm7b5"], ["Cdim7", "Cdim7"],
    ["Csus2", "Csus2"], ["Csus", "Csus4"], ["Cadd9", "Cadd9"], ["C6", "C6"], ["Cm6", "Cm6"],
    ["C9", "C9"], ["C11", "C11"], ["C13", "C13"], ["Dm7/C", "Dm7/C"], ["C/E", "C/E"],
    ["F#m7b5", "F#m7b5"], ["Bbmaj7/D", "Bbmaj7/D"], ["bbMAJ7", "Bbmaj7"], ["c♯m", "C#m"],
    ["  Am7  ", "Am7"], ["Ebbdim", "Ebbdim"], ["CmM7", "CmMaj7"], ["C/C", "C"],
  ])("reads %s as %s", (text, symbol) => {
    expect(symbolOf(text)).toBe(symbol);
  });

  it.each([
    ["", /Type a chord/], ["H7", /root A–G/], ["Cxyz", /Unknown chord quality "xyz"/],
    ["C#b", /Bad root/], ["C/", /Bad bass/], ["C/X", /Bad bass/], ["Cmaj7/E/G", /quality/],
    ["Cm7b5 ".repeat(6), /At most 32/], ["Cb5", /quality "5"/], ["C#bm", /Bad root/],
  ])("refuses %j", (text, message) => {
    const parsed = parseChordSymbol(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it("voices a chord with its bass below the chord tones", () => {
    const parsed = parseChordSymbol("Am7/G");
    if (!parsed.ok) throw new Error(parsed.error);
    expect(chordPitches(parsed.chord)).toEqual([55, 69, 72, 76, 79]);
  });
});
