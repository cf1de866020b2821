/** The Originality tab's words and small computations. */
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";

import { retryText } from "./api";
import { alignedNotes, barsText, sectionForBar, tooClose, transpositionText } from "./describe";
import type { CheckResult, Match } from "./types";

const n = (pitch: number, start: number) => ({ pitch, start, duration: 480 });

const match = (over: Partial<Match>): Match => ({
  score: 0.9, kind: "melody",
  source: { type: "reference", id: "t", title: "Tune", licence: null },
  query_bars: { start_bar: 5, bars: 4 }, match_bars: { start_bar: 1, bars: 4 },
  query_notes: [], match_notes: [], transposition: 0, ...over });

describe("originality words", () => {
  it("aligns the same steps in order, in any key, skipping an extra note", () => {
    // Yours: C E G C'; theirs a fifth lower with a passing note: F A B C' (F→A→C' like C→E→G).
    const found = alignedNotes({
      query_notes: [n(60, 0), n(64, 480), n(67, 960), n(72, 1440)],
      match_notes: [n(53, 0), n(57, 480), n(59, 720), n(60, 960), n(65, 1440)], pairs: null });
    expect([...found.query].sort()).toEqual([0, 1, 2, 3]);
    expect([...found.match].sort()).toEqual([0, 1, 3, 4]);
  });

  it("uses the server's pairs when it sends them", () => {
    const found = alignedNotes({ query_notes: [n(60, 0), n(62, 480)],
                                 match_notes: [n(70, 0), n(50, 480)], pairs: [[1, 0]] });
    expect([...found.query]).toEqual([1]);
    expect([...found.match]).toEqual([0]);
  });

  it("names the bars, the transposition and a retry", () => {
    expect(barsText(match({}))).toBe("your bars 5–8 ↔ their bars 1–4");
    expect(barsText(match({ query_bars: { start_bar: 0, bars: 0 } })))
      .toBe("your phrase ↔ their bars 1–4");
    expect(transpositionText(-1)).toBe("yours is 1 semitone lower");
    expect(transpositionText(0)).toBe("same pitch");
    expect(retryText(150)).toBe("try again in 3 minutes");
    expect(retryText(20)).toBe("try again in 20 seconds");
    expect(retryText(null)).toBe("try again later");
  });

  it("names reference tunes first among what decides, once each", () => {
    const result = { threshold: 0.8, matches: [
      match({ score: 1, source: { type: "project", id: "p", title: "Old Demo" } }),
      match({ score: 0.85 }), match({ score: 0.95 }),
      match({ score: 0.99, kind: "harmony", source: { type: "reference", id: "h", title: "H" } }),
      match({ score: 0.99, query_bars: { start_bar: 1, bars: 2 },
              source: { type: "reference", id: "s", title: "Short" } }),
    ] } as CheckResult;
    expect(tooClose(result)).toEqual(["Tune", "Old Demo"]);
  });

  it("finds the section of a bar as the composer counts sections", () => {
    const score = { bars: 8, sections: [{ name: "Chorus", start_bar: 5, bars: 4 },
                                        { name: "Verse", start_bar: 1, bars: 4 }] } as Score;
    expect(sectionForBar(score, 6)).toEqual({ index: 1, name: "Chorus" });
    expect(sectionForBar(score, 2)).toEqual({ index: 0, name: "Verse" });
    const gappy = { bars: 8, sections: [{ name: "Verse", start_bar: 1, bars: 2 }] } as Score;
    expect(sectionForBar(gappy, 6)).toEqual({ index: 0, name: null });
  });
});
