import { describe, expect, it } from "vitest";

import { type Comparison, type TrackChanges, describeField, lastTick, noteCounts, rollOf, songChanges } from "./diff";

const note = (id: string, pitch: number, start: number, duration = 480) =>
  ({ id, pitch, start, duration, velocity: 90 });

const track: TrackChanges = {
  track_id: "piano", name: "Piano", change: "changed", fields: [],
  added_notes: [note("new", 72, 960)],
  removed_notes: [note("old", 60, 0)],
  changed_notes: [{ id: "m", before: note("m", 62, 480), after: note("m", 64, 480, 960) }],
};

describe("rollOf", () => {
  it("places every kind of note in time and pitch", () => {
    const roll = rollOf(track);
    expect(roll.endTick).toBe(1440);
    expect([roll.lowest, roll.highest]).toEqual([60, 72]);
    const byId = (id: string) => {
      const found = roll.notes.find((n) => n.id === id);
      if (!found) throw new Error(`no note ${id}`);
      return found;
    };
    expect(byId("old").kind).toBe("removed");
    expect(byId("new").kind).toBe("added");
    expect(byId("m").kind).toBe("changed");
    expect(byId("m").pitch).toBe(64); // at its new place
    expect(byId("old").x).toBe(0);
    expect(byId("new").x).toBeCloseTo(960 / 1440);
    expect(byId("m").width).toBeCloseTo(960 / 1440);
    expect(byId("new").y).toBe(0); // the highest pitch at the top
    expect(byId("old").y).toBeCloseTo(12 / 13);
  });

  it("spans the whole song when its end is given", () => {
    const roll = rollOf(track, 4800);
    expect(roll.endTick).toBe(4800);
    const added = roll.notes.find((n) => n.kind === "added");
    expect(added?.x).toBeCloseTo(960 / 4800);
    expect(lastTick([{ notes: [note("a", 60, 0), note("b", 60, 4320)] }])).toBe(4800);
    expect(lastTick([])).toBe(0);
  });

  it("shows at least an octave around a single note", () => {
    const roll = rollOf({ ...track, removed_notes: [], changed_notes: [],
                          added_notes: [note("a", 66, 0)] });
    expect(roll.highest - roll.lowest).toBe(12);
    const [only] = roll.notes;
    expect(only?.y).toBeGreaterThan(0);
    expect(only?.y).toBeLessThan(1);
  });
});

describe("describing changes", () => {
  const comparison: Comparison = {
    number: 2, with_number: null, with_revision: 5, tracks: [track],
    settings: [{ field: "tempo", before: 100, after: 90 },
               { field: "key", before: { tonic: "C", mode: "major" },
                 after: { tonic: "A", mode: "minor" } }],
    sections: { added: [{ name: "B", start_bar: 3, bars: 2 }], removed: [] },
    chord_symbols: { added: [{ tick: 0, symbol: "Am" }], removed: [{ tick: 0, symbol: "G" }] },
    tempo_changes: { added: [], removed: [] }, meter_changes: { added: [], removed: [] },
  };

  it("lists settings, sections and chords in words", () => {
    expect(songChanges(comparison)).toEqual([
      "Tempo: 100 → 90", "Key: C major → A minor", "Sections: +1 −0 (added B)",
      "Chords: +1 −1 (added Am; removed G)"]);
    expect(describeField({ field: "program", before: 0, after: 4 })).toBe("Instrument: 0 → 4");
  });

  it("counts a track's notes", () => {
    expect(noteCounts(track)).toBe("notes: 1 added, 1 removed, 1 changed");
    expect(noteCounts({ ...track, added_notes: [], removed_notes: [], changed_notes: [] }))
      .toBe("no note changes");
  });
});
