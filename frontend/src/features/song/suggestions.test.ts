/** Diatonic, borrowed and secondary-dominant suggestions, spelled from the key. */
import { describe, expect, it } from "vitest";

import { parseChordSymbol } from "./chordSymbols";
import { borrowedChords, chordSuggestions, diatonicChords, keyAtBar, scaleOf,
         secondaryDominants } from "./suggestions";

const pairs = (list: { symbol: string; roman: string }[]) =>
  list.map((s) => `${s.roman}=${s.symbol}`);

describe("chord suggestions", () => {
  it("lists the diatonic triads and sevenths of C major with roman numerals", () => {
    expect(pairs(diatonicChords({ tonic: "C", mode: "major" }))).toEqual([
      "I=C", "ii=Dm", "iii=Em", "IV=F", "V=G", "vi=Am", "vii°=Bdim",
      "Imaj7=Cmaj7", "ii7=Dm7", "iii7=Em7", "IVmaj7=Fmaj7", "V7=G7", "vi7=Am7", "viiø7=Bm7b5",
    ]);
  });

  it("spells every chord on the key's letters (Bb in F, F## in G# major)", () => {
    expect(diatonicChords({ tonic: "F", mode: "major" }).map((s) => s.symbol))
      .toContain("Bb");
    expect(scaleOf({ tonic: "G#", mode: "major" }).map((n) => n.name))
      .toEqual(["G#", "A#", "B#", "C#", "D#", "E#", "F##"]);
    expect(diatonicChords({ tonic: "E", mode: "minor" }).slice(0, 7).map((s) => s.symbol))
      .toEqual(["Em", "F#dim", "G", "Am", "Bm", "C", "D"]);
  });

  it("borrows bIII, iv, bVI and bVII in major and IV, V, V7, vii°7 in minor", () => {
    expect(pairs(borrowedChords({ tonic: "C", mode: "major" })))
      .toEqual(["bIII=Eb", "iv=Fm", "bVI=Ab", "bVII=Bb"]);
    expect(pairs(borrowedChords({ tonic: "A", mode: "minor" })))
      .toEqual(["IV=D", "V=E", "V7=E7", "vii°7=G#dim7"]);
    expect(pairs(borrowedChords({ tonic: "Eb", mode: "major" })))
      .toEqual(["bIII=Gb", "iv=Abm", "bVI=Cb", "bVII=Db"]);
  });

  it("offers a secondary dominant for each major or minor degree but the tonic", () => {
    expect(pairs(secondaryDominants({ tonic: "C", mode: "major" })))
      .toEqual(["V7/ii=A7", "V7/iii=B7", "V7/IV=C7", "V7/V=D7", "V7/vi=E7"]);
  });

  it("offers only symbols the parser reads, without repeats, in every key", () => {
    for (const tonic of ["C", "G", "D", "A", "E", "B", "F#", "C#", "F", "Bb", "Eb", "Ab", "Db",
                         "Gb", "Cb", "G#", "D#", "A#"]) {
      for (const mode of ["major", "minor", "dorian", "phrygian", "lydian", "mixolydian",
                          "locrian"]) {
        const list = chordSuggestions({ tonic, mode });
        expect(new Set(list.map((s) => s.symbol)).size).toBe(list.length);
        for (const s of list) expect(parseChordSymbol(s.symbol).ok, s.symbol).toBe(true);
        expect(list.length).toBeGreaterThanOrEqual(14);
      }
    }
  });

  it("uses the section's own key where one is set", () => {
    const score = { key: { tonic: "C", mode: "major" },
                    sections: [{ start_bar: 5, bars: 4, key: { tonic: "G", mode: "major" } },
                               { start_bar: 9, bars: 4, key: null }] };
    expect(keyAtBar(score, 4)).toEqual({ tonic: "C", mode: "major" });
    expect(keyAtBar(score, 5)).toEqual({ tonic: "G", mode: "major" });
    expect(keyAtBar(score, 9)).toEqual({ tonic: "C", mode: "major" });
  });
});
