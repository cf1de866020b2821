/** Edits into the live document, and undo that takes back only this person's edits, with two
 * documents exchanging their updates as two browsers would. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";

import { MIX, SCORE } from "./fixtures";
import {
  addTrack, applyNoteOperations, deleteTrack, moveTrack, setChordSymbol, setSections,
  updateMaster, updateSettings, updateTrack, updateTrackMix,
} from "./edits";
import { createLiveHistory } from "./history";
import { readDocument } from "./read";
import { newDocument } from "./write";

/** Two documents wired together: every update of one is applied to the other. */
function pair(): [Y.Doc, Y.Doc] {
  const a = newDocument(SCORE, MIX);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  a.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "wire") Y.applyUpdate(b, update, "wire");
  });
  b.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "wire") Y.applyUpdate(a, update, "wire");
  });
  return [a, b];
}

const notesOf = (doc: Y.Doc, trackId: string) =>
  readDocument(doc).score.tracks?.find((t) => t.id === trackId)?.notes ?? [];

describe("note batches", () => {
  it("adds, moves, resizes and deletes notes in one transaction", () => {
    const doc = newDocument(SCORE, MIX);
    let transactions = 0;
    doc.on("afterTransaction", () => { transactions += 1; });
    const result = applyNoteOperations(doc, [
      { op: "add", id: "n3", track_id: "mel", pitch: 69, start: 960, duration: 480 },
      { op: "move", note_id: "n1", start: 120, pitch: 63 },
      { op: "resize", note_id: "n2", duration: 960 },
      { op: "delete", note_id: "n3" },
      { op: "update", note_id: "k1", velocity: 64 },
    ], {});
    expect(result).toEqual({ ok: true, addedIds: ["n3"] });
    expect(transactions).toBe(1);
    expect(notesOf(doc, "mel")).toEqual([
      { id: "n1", pitch: 63, start: 120, duration: 480, velocity: 90 },
      { id: "n2", pitch: 65, start: 480, duration: 960, velocity: 70 },
    ]);
    expect(notesOf(doc, "drm")[0]?.velocity).toBe(64);
  });

  it("moves a note to another track under the same id", () => {
    const doc = newDocument(SCORE, MIX);
    applyNoteOperations(doc, [{ op: "update", note_id: "n2", track_id: "drm", pitch: 38 }], {});
    expect(notesOf(doc, "mel").map((n) => n.id)).toEqual(["n1"]);
    expect(notesOf(doc, "drm").find((n) => n.id === "n2"))
      .toEqual({ id: "n2", pitch: 38, start: 480, duration: 240, velocity: 70 });
  });

  it("refuses a whole batch naming a note that is gone, changing nothing", () => {
    const doc = newDocument(SCORE, MIX);
    const before = Y.encodeStateVector(doc);
    const result = applyNoteOperations(doc, [
      { op: "move", note_id: "n1", start: 0, pitch: 70 },
      { op: "delete", note_id: "gone" },
    ], {});
    expect(result.ok).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it("stores integral numbers for integer fields", () => {
    const doc = newDocument(SCORE, MIX);
    applyNoteOperations(doc, [{ op: "move", note_id: "n1", start: 100.4, pitch: 61.6 }], {});
    expect(notesOf(doc, "mel")[0]).toMatchObject({ start: 100, pitch: 62 });
  });
});

describe("track, song and mix edits", () => {
  it("adds, renames, reorders and deletes tracks", () => {
    const doc = newDocument(SCORE, MIX);
    const id = addTrack(doc, { name: "Bass", role: "bass", program: 33 }, {});
    expect(readDocument(doc).score.tracks?.map((t) => t.id)).toEqual(["mel", "drm", id]);
    updateTrack(doc, id, { name: "Low end" }, {});
    moveTrack(doc, id, 0, {});
    expect(readDocument(doc).score.tracks?.map((t) => t.name))
      .toEqual(["Low end", "Melody", "Drums"]);
    moveTrack(doc, "mel", 2, {});
    expect(readDocument(doc).score.tracks?.map((t) => t.id)).toEqual([id, "drm", "mel"]);
    moveTrack(doc, "mel", 1, {});
    expect(readDocument(doc).score.tracks?.map((t) => t.id)).toEqual([id, "mel", "drm"]);
    expect(deleteTrack(doc, id, {})).toBe(true);
    expect(readDocument(doc).score.tracks?.map((t) => t.id)).toEqual(["mel", "drm"]);
  });

  it("changes tempo, key, meter, sections, chords and the shared mix", () => {
    const doc = newDocument(SCORE, MIX);
    updateSettings(doc, { tempo: 140, tonic: "E", mode: "dorian", meter_numerator: 6,
                          meter_denominator: 8 }, {});
    setSections(doc, [{ name: "Intro", start_bar: 1, bars: 4, key: null }], {});
    setChordSymbol(doc, 1440, "E7", {});
    setChordSymbol(doc, 0, null, {});
    updateMaster(doc, { gain_db: 1.5 }, {});
    updateTrack(doc, "mel", { volume: 90, pan: 20 }, {});
    updateTrackMix(doc, "mel", { gain_db: -2, fx: [{ type: "eq", peak_hz: 1000 }] }, {});
    const { score, mix } = readDocument(doc);
    expect(score).toMatchObject({ tempo: 140, key: { tonic: "E", mode: "dorian" },
                                  meter: { numerator: 6, denominator: 8 } });
    expect(score.sections).toEqual([{ name: "Intro", start_bar: 1, bars: 4, key: null }]);
    expect(score.chord_symbols).toEqual([{ tick: 1440, symbol: "E7" }]);
    expect(score.tracks?.[0]).toMatchObject({ volume: 90, pan: 20 });
    expect(mix.master).toEqual({ gain_db: 1.5, limiter: false, ceiling_dbtp: -2 });
    expect(mix.tracks?.mel).toEqual({ gain_db: -2, fx: [{ type: "eq", peak_hz: 1000 }] });
  });

  it("merges concurrent edits of different notes and converges on the same note", () => {
    const a = newDocument(SCORE, MIX);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // Both edit while disconnected, then exchange their updates.
    applyNoteOperations(a, [{ op: "move", note_id: "n1", pitch: 70 }], {});
    applyNoteOperations(b, [{ op: "move", note_id: "n2", pitch: 50 },
                            { op: "move", note_id: "n1", pitch: 40 }], {});
    setChordSymbol(a, 960, "C", {});
    setChordSymbol(b, 2400, "G", {});
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(readDocument(a)).toEqual(readDocument(b));
    const notes = notesOf(a, "mel");
    expect(notes.find((n) => n.id === "n2")?.pitch).toBe(50);
    expect([70, 40]).toContain(notes.find((n) => n.id === "n1")?.pitch);
    expect(readDocument(a).score.chord_symbols?.map((c) => c.symbol))
      .toEqual(["Dm", "C", "A7", "G"]);
  });
});

describe("undo takes back only my edits", () => {
  it("undoes my note edit and keeps the other person's", () => {
    const [mine, theirs] = pair();
    const me = { tab: "me" };
    const them = { tab: "them" };
    const history = createLiveHistory(mine, me);
    history.label("Move n1");
    applyNoteOperations(mine, [{ op: "move", note_id: "n1", pitch: 70 }], me);
    applyNoteOperations(theirs, [{ op: "move", note_id: "n2", pitch: 50 },
                                 { op: "add", id: "x", track_id: "mel", pitch: 80, start: 0,
                                   duration: 120 }], them);
    expect(history.undoLabel).toBe("Move n1");
    expect(history.undo()).toBe("Move n1");
    for (const doc of [mine, theirs]) {
      const notes = notesOf(doc, "mel");
      expect(notes.find((n) => n.id === "n1")?.pitch).toBe(62);
      expect(notes.find((n) => n.id === "n2")?.pitch).toBe(50);
      expect(notes.some((n) => n.id === "x")).toBe(true);
    }
    expect(history.canUndo).toBe(false);
    expect(history.redoLabel).toBe("Move n1");
    expect(history.redo()).toBe("Move n1");
    expect(notesOf(theirs, "mel").find((n) => n.id === "n1")?.pitch).toBe(70);
    history.destroy();
  });

  it("has nothing to undo when only the other person edited", () => {
    const [mine, theirs] = pair();
    const history = createLiveHistory(mine, { tab: "me" });
    updateTrack(theirs, "mel", { name: "Theirs" }, { tab: "them" });
    addTrack(theirs, { name: "New" }, { tab: "them" });
    expect(readDocument(mine).score.tracks).toHaveLength(3);
    expect(history.canUndo).toBe(false);
    expect(history.undo()).toBeNull();
    expect(readDocument(mine).score.tracks?.[0]?.name).toBe("Theirs");
    history.destroy();
  });

  it("keeps separate undo steps for separately labelled edits", () => {
    const doc = newDocument(SCORE, MIX);
    const me = {};
    const history = createLiveHistory(doc, me);
    history.label("Rename");
    updateTrack(doc, "mel", { name: "One" }, me);
    history.label("Tempo");
    updateSettings(doc, { tempo: 150 }, me);
    expect(history.undo()).toBe("Tempo");
    expect(readDocument(doc).score).toMatchObject({ tempo: 96 });
    expect(readDocument(doc).score.tracks?.[0]?.name).toBe("One");
    expect(history.undo()).toBe("Rename");
    expect(readDocument(doc).score.tracks?.[0]?.name).toBe("Melody");
    history.destroy();
  });
});
