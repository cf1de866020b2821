/** The document schema v1 in TypeScript: score JSON -> document -> score JSON, and the
 * tolerant reading rules (sorted events, last duplicate wins, defaults). */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";

import { MIX, SCORE } from "./fixtures";
import { DocumentReader, readDocument } from "./read";
import { rootsOf } from "./schema";
import { newDocument, writeScore } from "./write";

describe("document mapping", () => {
  it("round-trips a score and its mix through a document", () => {
    const doc = newDocument(SCORE, MIX);
    const { score, mix } = readDocument(doc);
    expect(score).toEqual(SCORE);
    expect(mix).toEqual(MIX);
  });

  it("round-trips through a second document fed only Yjs updates", () => {
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(newDocument(SCORE, MIX)));
    expect(readDocument(remote).score).toEqual(SCORE);
  });

  it("writes the schema's roots and fields", () => {
    const doc = newDocument(SCORE, MIX);
    const json = doc.getMap("settings").toJSON();
    expect(json).toEqual({ schema: 1, tempo: 96, tonic: "D", mode: "minor",
                           meter_numerator: 3, meter_denominator: 4, bars: 16 });
    expect(doc.getArray("meter_changes").toJSON())
      .toEqual([{ bar: 9, numerator: 4, denominator: 4 }]);
    const track = (doc.getMap("tracks").get("drm") as Y.Map<unknown>).toJSON();
    expect(Object.keys(track).sort()).toEqual(
      ["colour", "fx", "gain_db", "is_drum", "mute", "name", "notes", "order", "pan",
       "program", "role", "solo", "volume"]);
    expect(track.order).toBe(1);
    expect(track.notes).toEqual({ k1: { pitch: 36, start: 0, duration: 120, velocity: 100 } });
    expect(doc.getMap("master").toJSON()).toEqual({ gain_db: -3, limiter: false,
                                                    ceiling_dbtp: -2 });
  });

  it("sorts events and keeps the last of duplicate ticks, bars and start bars", () => {
    const doc = newDocument(SCORE, MIX);
    const roots = rootsOf(doc);
    roots.chordSymbols.push([{ tick: 960, symbol: "F" }, { tick: 0, symbol: "Gm" }]);
    roots.tempoChanges.insert(0, [{ tick: 1920, bpm: 100 }]);
    roots.sections.push([{ name: "A2", start_bar: 1, bars: 4, key: null }]);
    roots.meterChanges.push([{ bar: 9, numerator: 6, denominator: 8 }]);
    const { score } = readDocument(doc);
    expect(score.chord_symbols).toEqual([{ tick: 0, symbol: "Gm" }, { tick: 960, symbol: "F" },
                                         { tick: 1440, symbol: "A7" }]);
    expect(score.tempo_changes).toEqual([{ tick: 1920, bpm: 100 }, { tick: 5760, bpm: 110 }]);
    expect(score.sections?.map((s) => s.name)).toEqual(["A2", "B"]);
    expect(score.meter_changes).toEqual([{ bar: 9, meter: { numerator: 6, denominator: 8 } }]);
  });

  it("lists tracks by (order, id) and fills missing fields with the defaults", () => {
    const doc = new Y.Doc();
    const tracks = doc.getMap<Y.Map<unknown>>("tracks");
    for (const [id, order] of [["b", 1], ["a", 1], ["c", 0.5]] as const) {
      const track = new Y.Map<unknown>();
      track.set("order", order);
      track.set("notes", new Y.Map());
      tracks.set(id, track);
    }
    const { score, mix } = readDocument(doc);
    expect(score.tracks?.map((t) => t.id)).toEqual(["c", "a", "b"]);
    expect(score.tracks?.[0]).toEqual({ id: "c", name: "Track", role: "other", program: 0,
                                        is_drum: false, volume: 100, pan: 0, mute: false,
                                        solo: false, colour: null, notes: [] });
    expect(score.tempo).toBe(120);
    expect(mix).toEqual({ master: { gain_db: 0, limiter: true, ceiling_dbtp: -1 },
                          tracks: {} });
  });

  it("writes only what differs when a score is written over its own document", () => {
    const doc = newDocument(SCORE, MIX);
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    writeScore(doc, SCORE, MIX, {});
    expect(updates).toHaveLength(0);
    const moved = structuredClone(SCORE);
    moved.tracks![0]!.notes![1]!.pitch = 67;
    writeScore(doc, moved, MIX, {});
    expect(updates).toHaveLength(1);
    expect(readDocument(doc).score).toEqual(moved);
  });

  it("re-reads only the tracks a change touched", () => {
    const doc = newDocument(SCORE, MIX);
    const reader = new DocumentReader(doc);
    const first = reader.read();
    (doc.getMap("tracks").get("mel") as Y.Map<unknown>).set("name", "Lead");
    const second = reader.read();
    expect(second.score.tracks?.[0]?.name).toBe("Lead");
    expect(second.score.tracks?.[1]).toBe(first.score.tracks?.[1]);
    expect(second.score.tracks?.[0]).not.toBe(first.score.tracks?.[0]);
    reader.destroy();
  });

  it("re-reads only the notes a change touched, and matches a full read", () => {
    const doc = newDocument(SCORE, MIX);
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const reader = new DocumentReader(remote);
    const first = reader.read();
    const notes = (doc.getMap("tracks").get("mel") as Y.Map<unknown>).get("notes") as
      Y.Map<Y.Map<number>>;
    doc.transact(() => {
      notes.get("n2")!.set("pitch", 70);
      const added = new Y.Map<number>();
      for (const [k, v] of Object.entries({ pitch: 50, start: 960, duration: 10, velocity: 1 })) {
        added.set(k, v);
      }
      notes.set("n9", added);
    });
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(remote)));
    const second = reader.read();
    expect(second).toEqual(readDocument(remote));
    const [before, after] = [first.score.tracks![0]!.notes!, second.score.tracks![0]!.notes!];
    expect(after.map((n) => n.id)).toEqual(["n1", "n2", "n9"]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toMatchObject({ id: "n2", pitch: 70 });
    notes.delete("n1");
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(remote)));
    expect(reader.read()).toEqual(readDocument(remote));
    reader.destroy();
  });
});
