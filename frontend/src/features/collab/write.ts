/** Writing a whole Score + MixSettings into a document (schema v1), changing only what
 * differs from the document's content: the same diff the server's `apply_score_change`
 * makes. The web app never replaces a live document from a REST answer; this is for a
 * document of its own (tests, a fresh document before its first sync). */
import * as Y from "yjs";

import type { MixSettings, Score, Track } from "@/api/types";

import {
  applyNoteOperations, setChordSymbols, setMeterChanges, setSections, setTempoChanges,
  trackMap, updateMaster, updateSettings, updateTrack, type Origin,
} from "./edits";
import { notesOfTrack, rootsOf, SCHEMA_VERSION, type DocTrackFields } from "./schema";

export function writeScore(doc: Y.Doc, score: Score, mix: MixSettings, origin: Origin): void {
  const roots = rootsOf(doc);
  doc.transact(() => {
    if (roots.settings.get("schema") !== SCHEMA_VERSION) {
      roots.settings.set("schema", SCHEMA_VERSION);
    }
    updateSettings(doc, {
      tempo: score.tempo ?? 120, tonic: score.key?.tonic ?? "C",
      mode: score.key?.mode ?? "major", meter_numerator: score.meter?.numerator ?? 4,
      meter_denominator: score.meter?.denominator ?? 4, bars: score.bars ?? 8,
    }, origin);
    setTempoChanges(doc, score.tempo_changes ?? [], origin);
    setMeterChanges(doc, (score.meter_changes ?? []).map((m) => ({
      bar: m.bar, numerator: m.meter.numerator ?? 4, denominator: m.meter.denominator ?? 4,
    })), origin);
    setSections(doc, (score.sections ?? []).map((s) => ({
      name: s.name, start_bar: s.start_bar, bars: s.bars,
      key: s.key ? { tonic: s.key.tonic ?? "C", mode: s.key.mode ?? "major" } : null,
    })), origin);
    setChordSymbols(doc, score.chord_symbols ?? [], origin);
    updateMaster(doc, { gain_db: 0, limiter: true, ceiling_dbtp: -1, ...mix.master }, origin);
    writeTracks(doc, score, mix, origin);
  }, origin);
}

function writeTracks(doc: Y.Doc, score: Score, mix: MixSettings, origin: Origin): void {
  const tracks = rootsOf(doc).tracks;
  const wanted = new Set((score.tracks ?? []).map((t) => t.id ?? ""));
  for (const id of [...tracks.keys()]) if (!wanted.has(id)) tracks.delete(id);
  (score.tracks ?? []).forEach((track, order) => {
    const id = track.id ?? "";
    const trackMix = mix.tracks?.[id];
    const fields: Partial<DocTrackFields> = {
      name: track.name ?? "Track", role: track.role ?? "other", program: track.program ?? 0,
      is_drum: track.is_drum ?? false, volume: track.volume ?? 100, pan: track.pan ?? 0,
      mute: track.mute ?? false, solo: track.solo ?? false, colour: track.colour ?? null,
      gain_db: trackMix?.gain_db ?? 0, fx: trackMix?.fx ?? [],
      // Issue 17's optional fields, only when the track has them.
      ...optionalFields(track),
    };
    const existing = tracks.get(id);
    if (!(existing instanceof Y.Map) || !notesOfTrack(existing)) {
      tracks.set(id, trackMap({ ...fields, order }, track.notes));
      return;
    }
    if (existing.get("order") !== order) existing.set("order", order);
    updateTrack(doc, id, fields, origin);
    const notes = notesOfTrack(existing)!;
    const keep = new Set<string>();
    const operations: Parameters<typeof applyNoteOperations>[1][number][] = [];
    for (const note of track.notes ?? []) {
      const noteId = note.id ?? "";
      keep.add(noteId);
      const values = { pitch: note.pitch, start: note.start, duration: note.duration,
                       velocity: note.velocity ?? 90 };
      operations.push(notes.has(noteId) ? { op: "update", note_id: noteId, ...values }
                                        : { op: "add", id: noteId, track_id: id, ...values });
    }
    for (const noteId of notes.keys()) {
      if (!keep.has(noteId)) operations.push({ op: "delete", note_id: noteId });
    }
    applyNoteOperations(doc, operations, origin);
  });
}

function optionalFields(track: Track): Partial<DocTrackFields> {
  const fields: Record<string, unknown> = {};
  if (track.clips?.length) fields.clips = track.clips;
  if (track.preset_id) fields.preset_id = track.preset_id;
  return fields as Partial<DocTrackFields>;
}

/** A new document holding `score` and `mix`. */
export function newDocument(score: Score, mix: MixSettings): Y.Doc {
  const doc = new Y.Doc();
  writeScore(doc, score, mix, {});
  return doc;
}
