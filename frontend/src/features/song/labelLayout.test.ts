/** Labels fitted into their own spans never overlap, whatever the zoom and the symbols. */
import { describe, expect, it } from "vitest";

import { chordSpans } from "./chordTimeline";
import { compactSymbol, ellipsize, fitLabel, LABEL_PADDING, layoutLabels } from "./labelLayout";

// A monospace stand-in for canvas metrics: 7 px a character.
const measure = (text: string) => text.length * 7;

describe("label layout", () => {
  it("keeps a label that fits, else a compact spelling, else an ellipsis", () => {
    expect(fitLabel({ x: 0, width: 80, text: "Bbmaj7/D" }, measure).shown).toBe("Bbmaj7/D");
    expect(fitLabel({ x: 0, width: 40, text: "Bbmaj7/D" }, measure).shown).toBe("BbΔ7");
    expect(fitLabel({ x: 0, width: 32, text: "Bbmaj7/D" }, measure).shown).toBe("Bb…");
    expect(fitLabel({ x: 0, width: 10, text: "Bbmaj7/D" }, measure).shown).toBe("");
    expect(compactSymbol("F#m7b5")).toBe("F#ø");
    expect(ellipsize("Chorus", 30, measure)).toBe("Cho…");
  });

  it("never lets two labels overlap (dense chords at every zoom)", () => {
    const symbols = ["C", "Am7", "Fmaj7/A", "G7sus4", "Em", "Dm7b5", "Bbmaj9", "C#dim7"];
    const chords = Array.from({ length: 48 }, (_, i) => ({
      tick: i * 240 + (i % 3) * 120, symbol: symbols[i % symbols.length]! }));
    for (const ppt of [4 / 480, 9 / 480, 16 / 480, 30 / 480]) {
      const spans = chordSpans(chords, 48 * 240 + 960);
      const labels = layoutLabels(spans.map((s) => ({
        x: s.tick * ppt, width: (s.end - s.tick) * ppt, text: s.symbol })), measure);
      labels.forEach((label, i) => {
        const span = spans[i]!;
        expect(label.full).toBe(span.symbol);
        const right = label.x + LABEL_PADDING + label.width;
        const next = labels[i + 1];
        if (next && label.shown) expect(right).toBeLessThanOrEqual(next.x);
        expect(label.width).toBeLessThanOrEqual(Math.max(0, (span.end - span.tick) * ppt
                                                             - 2 * LABEL_PADDING));
      });
    }
  });
});
