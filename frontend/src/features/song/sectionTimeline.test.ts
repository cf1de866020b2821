/** Section edits that keep sections valid for the server: inside the song, no overlap. */
import { describe, expect, it } from "vitest";

import { addSection, barStartTick, cleanSectionName, freeRanges, moveSection,
         normaliseSections, removeSection, renameSection, resizeSection, setSectionKey,
         setTempoFrom, tempoAt, type SectionMark } from "./sectionTimeline";

const S = (name: string, start_bar: number, bars: number): SectionMark =>
  ({ name, start_bar, bars, key: null });
const SECTIONS = [S("Verse", 1, 4), S("Chorus", 9, 4)];
const brief = (list: SectionMark[]) => list.map((s) => `${s.name}@${s.start_bar}+${s.bars}`);

describe("section timeline", () => {
  it("clamps overlapping and overlong sections", () => {
    expect(brief(normaliseSections([S("B", 3, 4), S("A", 1, 4), S("C", 14, 8)], 16)))
      .toEqual(["A@1+4", "B@5+2", "C@14+3"]);
    expect(brief(normaliseSections([S("A", 20, 2)], 16))).toEqual([]);
  });

  it("adds a section in free bars, or refuses when none are free", () => {
    expect(freeRanges(SECTIONS, 16)).toEqual([[5, 9], [13, 17]]);
    expect(brief(addSection(SECTIONS, 16, "Bridge", 6)!))
      .toEqual(["Verse@1+4", "Bridge@6+3", "Chorus@9+4"]);
    expect(brief(addSection(SECTIONS, 16, "Outro", 14)!)).toContain("Outro@14+3");
    expect(addSection([S("All", 1, 8)], 8, "More")).toBeNull();
  });

  it("moves a section between its neighbours, keeping its length", () => {
    expect(brief(moveSection(SECTIONS, 16, 9, 6))).toEqual(["Verse@1+4", "Chorus@6+4"]);
    expect(brief(moveSection(SECTIONS, 16, 9, 2))).toEqual(["Verse@1+4", "Chorus@5+4"]);
    expect(brief(moveSection(SECTIONS, 16, 9, 30))).toEqual(["Verse@1+4", "Chorus@13+4"]);
  });

  it("resizes to at least one bar, up to the next section or the end", () => {
    expect(brief(resizeSection(SECTIONS, 16, 1, 7))).toEqual(["Verse@1+6", "Chorus@9+4"]);
    expect(brief(resizeSection(SECTIONS, 16, 1, 12))).toEqual(["Verse@1+8", "Chorus@9+4"]);
    expect(brief(resizeSection(SECTIONS, 16, 1, -3))).toEqual(["Verse@1+1", "Chorus@9+4"]);
    expect(brief(resizeSection(SECTIONS, 16, 9, 40))).toEqual(["Verse@1+4", "Chorus@9+8"]);
  });

  it("renames (cleaned, never empty) and deletes", () => {
    expect(cleanSectionName(" Pre\u0007chorus ".padEnd(80, "x"))).toHaveLength(64);
    expect(brief(renameSection(SECTIONS, 9, "  Hook "))).toEqual(["Verse@1+4", "Hook@9+4"]);
    expect(brief(renameSection(SECTIONS, 9, "   "))).toEqual(["Verse@1+4", "Chorus@9+4"]);
    expect(brief(removeSection(SECTIONS, 1))).toEqual(["Chorus@9+4"]);
  });

  it("sets a section's key, the song's own key meaning none, within the limit", () => {
    const song = { tonic: "C", mode: "major" };
    const keyed = setSectionKey(SECTIONS, song, 9, { tonic: "G", mode: "major" });
    expect(typeof keyed !== "string" && keyed[1]!.key).toEqual({ tonic: "G", mode: "major" });
    const home = setSectionKey(SECTIONS, song, 9, song);
    expect(typeof home !== "string" && home[1]!.key).toBeNull();
    const many = Array.from({ length: 13 }, (_, i) => ({ ...S(`S${i}`, i + 1, 1),
      key: i < 12 ? { tonic: ["D", "E", "F", "G", "A", "B", "Db", "Eb", "Gb", "Ab", "Bb",
                               "F#"][i]!, mode: "major" } : null }));
    expect(setSectionKey(many, song, 13, { tonic: "C#", mode: "minor" })).toMatch(/At most 12/);
  });

  it("places tempo changes at section starts", () => {
    const score = { bars: 8, meter: { numerator: 3, denominator: 4 } };
    expect(barStartTick(score, 5)).toBe(4 * 1440);
    const changes = setTempoFrom([{ tick: 5760, bpm: 90 }], 5760, 140);
    expect(changes).toEqual([{ tick: 5760, bpm: 140 }]);
    expect(setTempoFrom(changes, 1440, 5000)).toEqual([{ tick: 1440, bpm: 1000 },
                                                       { tick: 5760, bpm: 140 }]);
    expect(tempoAt(100, changes, 5000)).toBe(100);
    expect(tempoAt(100, changes, 6000)).toBe(140);
  });
});
