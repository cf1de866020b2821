/** Edits written into the live document, each one transaction with the caller's origin (the
 * UndoManager tracks only the local origin). They write only what changes: a note batch
 * touches only its notes, a track patch only the fields whose value differs, so concurrent
 * edits elsewhere in the document survive the merge. Values are checked by the server's
 * update gate; here integer fields are made integral (a JS double 60.0 is fine, 60.5 not). */
import * as Y from "yjs";

import type { NoteOperation, Track } from "@/api/types";

import { lastByKey } from "./read";
import {
  newId, notesOfTrack, OPTIONAL_TRACK_FIELDS, rootsOf, TRACK_DEFAULTS, type ChordEvent,
  type DocSettings,
  type DocTrackFields, type Effect, type Master, type MeterEvent, type NoteMap,
  type SectionEvent, type TempoEvent, type TrackMap,
} from "./schema";

export type Origin = object;

export type NoteBatchResult = { ok: true; addedIds: string[] } | { ok: false; error: string };

interface NoteValues { pitch: number; start: number; duration: number; velocity: number }

function noteMap(values: NoteValues): NoteMap {
  const map = new Y.Map<number>();
  map.set("pitch", Math.round(values.pitch));
  map.set("start", Math.round(values.start));
  map.set("duration", Math.round(values.duration));
  map.set("velocity", Math.round(values.velocity));
  return map;
}

function setIfChanged<T>(map: Y.Map<T>, key: string, value: T): void {
  const old = map.get(key);
  if (old === value) return;
  if (typeof value === "object" && value !== null &&
      JSON.stringify(old) === JSON.stringify(value)) return;
  map.set(key, value);
}

/** Where each note lives: note id → its track's notes map. */
function noteHomes(doc: Y.Doc): Map<string, Y.Map<NoteMap>> {
  const homes = new Map<string, Y.Map<NoteMap>>();
  rootsOf(doc).tracks.forEach((track) => {
    const notes = track instanceof Y.Map ? notesOfTrack(track) : null;
    notes?.forEach((_note, id) => homes.set(id, notes));
  });
  return homes;
}

/** Applies a note batch (the REST batch's operations) in one transaction, or nothing when
 * an operation names a note or track the document lacks (deleted meanwhile by someone
 * else): like the REST batch, all or nothing. */
export function applyNoteOperations(doc: Y.Doc, operations: readonly NoteOperation[],
                                    origin: Origin): NoteBatchResult {
  const tracks = rootsOf(doc).tracks;
  const homes = noteHomes(doc);
  const notesOf = (trackId: string) => {
    const track = tracks.get(trackId);
    return track instanceof Y.Map ? notesOfTrack(track) : null;
  };
  // Check first (simulating adds and deletes in order), so a refused batch changes nothing.
  const exists = new Set(homes.keys());
  for (const op of operations) {
    if (op.op === "add") {
      if (!notesOf(op.track_id)) return { ok: false, error: `no track ${op.track_id}` };
      if (op.id) exists.add(op.id);
      continue;
    }
    if (!exists.has(op.note_id)) return { ok: false, error: `no note ${op.note_id}` };
    if (op.op === "delete") exists.delete(op.note_id);
    else if (op.track_id && !notesOf(op.track_id)) {
      return { ok: false, error: `no track ${op.track_id}` };
    }
  }
  const addedIds: string[] = [];
  doc.transact(() => {
    for (const op of operations) {
      if (op.op === "add") {
        const id = op.id ?? newId("n");
        const notes = notesOf(op.track_id)!;
        notes.set(id, noteMap({ pitch: op.pitch, start: op.start, duration: op.duration,
                                velocity: op.velocity ?? 90 }));
        homes.set(id, notes);
        addedIds.push(id);
        continue;
      }
      const home = homes.get(op.note_id)!;
      if (op.op === "delete") {
        home.delete(op.note_id);
        homes.delete(op.note_id);
        continue;
      }
      const note = home.get(op.note_id)!;
      const target = op.track_id ? notesOf(op.track_id)! : home;
      if (target !== home) {
        // Moving to another track: the note is re-created there under the same id.
        const values = {
          pitch: op.pitch ?? note.get("pitch") ?? 60, start: op.start ?? note.get("start") ?? 0,
          duration: op.duration ?? note.get("duration") ?? 1,
          velocity: op.velocity ?? note.get("velocity") ?? 90,
        };
        home.delete(op.note_id);
        target.set(op.note_id, noteMap(values));
        homes.set(op.note_id, target);
        continue;
      }
      for (const field of ["pitch", "start", "duration", "velocity"] as const) {
        const value = op[field];
        if (value !== null && value !== undefined) setIfChanged(note, field, Math.round(value));
      }
    }
  }, origin);
  return { ok: true, addedIds };
}

/** The fields of a track the web app writes (never mute and solo: those are each
 * listener's own, DESIGN §1). */
export type TrackPatch = Partial<Omit<DocTrackFields, "order" | "mute" | "solo">> &
  Partial<Pick<DocTrackFields, "mute" | "solo">>;

const INTEGER_TRACK_FIELDS = new Set(["program", "volume", "pan"]);

function writeTrackFields(map: TrackMap, patch: TrackPatch): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === "order"
        || (!(key in TRACK_DEFAULTS) && !OPTIONAL_TRACK_FIELDS.has(key))) continue;
    setIfChanged(map, key, INTEGER_TRACK_FIELDS.has(key) ? Math.round(value as number) : value);
  }
}

export function updateTrack(doc: Y.Doc, trackId: string, patch: TrackPatch,
                            origin: Origin): boolean {
  const track = rootsOf(doc).tracks.get(trackId);
  if (!(track instanceof Y.Map)) return false;
  doc.transact(() => writeTrackFields(track, patch), origin);
  return true;
}

function trackOrders(doc: Y.Doc): { id: string; order: number }[] {
  const list: { id: string; order: number }[] = [];
  rootsOf(doc).tracks.forEach((track, id) => {
    if (track instanceof Y.Map) list.push({ id, order: Number(track.get("order") ?? 0) });
  });
  return list.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Builds a track's map (not yet in a document). */
export function trackMap(fields: Partial<DocTrackFields>, notes: Track["notes"]): TrackMap {
  const map = new Y.Map<unknown>();
  const all = { ...TRACK_DEFAULTS, ...fields };
  for (const key of Object.keys(TRACK_DEFAULTS) as (keyof DocTrackFields)[]) {
    map.set(key, all[key]);
  }
  for (const key of OPTIONAL_TRACK_FIELDS) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) map.set(key, value);
  }
  const noteMaps = new Y.Map<NoteMap>();
  for (const note of notes ?? []) {
    noteMaps.set(note.id ?? newId("n"), noteMap({ ...note, velocity: note.velocity ?? 90 }));
  }
  map.set("notes", noteMaps);
  return map;
}

/** Adds a track after the others (order = max + 1); answers its id. */
export function addTrack(doc: Y.Doc, track: Partial<Track>, origin: Origin): string {
  const id = track.id ?? newId("t");
  const orders = trackOrders(doc);
  const order = orders.length ? orders[orders.length - 1]!.order + 1 : 0;
  const { id: _id, notes, ...fields } = track;
  doc.transact(() => {
    rootsOf(doc).tracks.set(id, trackMap({ ...fields, order } as Partial<DocTrackFields>,
                                         notes));
  }, origin);
  return id;
}

export function deleteTrack(doc: Y.Doc, trackId: string, origin: Origin): boolean {
  const tracks = rootsOf(doc).tracks;
  if (!tracks.has(trackId)) return false;
  doc.transact(() => tracks.delete(trackId), origin);
  return true;
}

/** Moves a track to position `index` of the track list by giving it an order between its
 * new neighbours' (only that track's value changes, so concurrent moves of other tracks
 * merge). */
export function moveTrack(doc: Y.Doc, trackId: string, index: number, origin: Origin): boolean {
  const track = rootsOf(doc).tracks.get(trackId);
  if (!(track instanceof Y.Map)) return false;
  const others = trackOrders(doc).filter((t) => t.id !== trackId);
  const at = Math.max(0, Math.min(index, others.length));
  const before = others[at - 1]?.order;
  const after = others[at]?.order;
  const order = before === undefined ? (after === undefined ? 0 : after - 1)
    : after === undefined ? before + 1 : (before + after) / 2;
  doc.transact(() => track.set("order", order), origin);
  return true;
}

export function updateSettings(doc: Y.Doc, patch: Partial<DocSettings>, origin: Origin): void {
  const settings = rootsOf(doc).settings;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) setIfChanged(settings, key, value);
    }
  }, origin);
}

export function updateMaster(doc: Y.Doc, patch: Partial<Master>, origin: Origin): void {
  const master = rootsOf(doc).master;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) setIfChanged(master, key, value);
    }
  }, origin);
}

/** A track's mix: its trim and its effect chain (the chain is one atomic value). */
export function updateTrackMix(doc: Y.Doc, trackId: string,
                               patch: { gain_db?: number; fx?: Effect[] },
                               origin: Origin): boolean {
  return updateTrack(doc, trackId, patch, origin);
}

/** Makes an event array hold exactly `items` (compared as JSON), deleting and inserting only
 * what differs, so a concurrent insert of another event survives. */
function replaceEvents<T>(array: Y.Array<T>, items: readonly T[]): void {
  const wanted = new Map<string, number>();
  for (const item of items) {
    const key = JSON.stringify(item);
    wanted.set(key, (wanted.get(key) ?? 0) + 1);
  }
  const current = array.toArray();
  for (let i = current.length - 1; i >= 0; i--) {
    const key = JSON.stringify(current[i]);
    const left = wanted.get(key) ?? 0;
    if (left > 0) wanted.set(key, left - 1);
    else array.delete(i, 1);
  }
  const missing: T[] = [];
  for (const item of items) {
    const key = JSON.stringify(item);
    const left = wanted.get(key) ?? 0;
    if (left > 0) {
      missing.push(item);
      wanted.set(key, left - 1);
    }
  }
  if (missing.length) array.push(missing);
}

/** Normalised copies, in the document's key order (so equal events compare equal). */
const tempoEvent = (e: TempoEvent): TempoEvent => ({ tick: Math.round(e.tick), bpm: e.bpm });
const meterEvent = (e: MeterEvent): MeterEvent => ({
  bar: Math.round(e.bar), numerator: Math.round(e.numerator),
  denominator: Math.round(e.denominator) });
const sectionEvent = (e: SectionEvent): SectionEvent => ({
  name: e.name, start_bar: Math.round(e.start_bar), bars: Math.round(e.bars),
  key: e.key ? { tonic: e.key.tonic, mode: e.key.mode } : null });
const chordEvent = (e: ChordEvent): ChordEvent => ({ tick: Math.round(e.tick),
                                                     symbol: e.symbol });

export function setTempoChanges(doc: Y.Doc, events: readonly TempoEvent[], origin: Origin) {
  const items = lastByKey(events.map(tempoEvent), (e) => e.tick);
  doc.transact(() => replaceEvents(rootsOf(doc).tempoChanges, items), origin);
}

export function setMeterChanges(doc: Y.Doc, events: readonly MeterEvent[], origin: Origin) {
  const items = lastByKey(events.map(meterEvent), (e) => e.bar);
  doc.transact(() => replaceEvents(rootsOf(doc).meterChanges, items), origin);
}

export function setSections(doc: Y.Doc, sections: readonly SectionEvent[], origin: Origin) {
  const items = lastByKey(sections.map(sectionEvent), (e) => e.start_bar);
  doc.transact(() => replaceEvents(rootsOf(doc).sections, items), origin);
}

export function setChordSymbols(doc: Y.Doc, chords: readonly ChordEvent[], origin: Origin) {
  const items = lastByKey(chords.map(chordEvent), (e) => e.tick);
  doc.transact(() => replaceEvents(rootsOf(doc).chordSymbols, items), origin);
}

/** Sets (or, with null, removes) the chord symbol at one tick, leaving the others alone. */
export function setChordSymbol(doc: Y.Doc, tick: number, symbol: string | null,
                               origin: Origin): void {
  const array = rootsOf(doc).chordSymbols;
  doc.transact(() => {
    const current = array.toArray();
    for (let i = current.length - 1; i >= 0; i--) {
      if (current[i]!.tick === tick) array.delete(i, 1);
    }
    if (symbol !== null) array.push([chordEvent({ tick, symbol })]);
  }, origin);
}
