/** The live document's schema, version 1 (docs/collaboration.md, the server's
 * `collab/schema.py`): the root names, what each map holds, and typed access to the roots. */
import * as Y from "yjs";

import type { MixSettings, Score, Track } from "@/api/types";

export const SCHEMA_VERSION = 1;

export interface TempoEvent { tick: number; bpm: number }
export interface MeterEvent { bar: number; numerator: number; denominator: number }
export interface SectionEvent {
  name: string;
  start_bar: number;
  bars: number;
  key: { tonic: string; mode: string } | null;
}
export interface ChordEvent { tick: number; symbol: string }

export type Effect = NonNullable<NonNullable<MixSettings["tracks"]>[string]["fx"]>[number];
export type Master = Required<NonNullable<MixSettings["master"]>>;

/** The settings map's keys (besides `schema`). */
export interface DocSettings {
  tempo: number;
  tonic: string;
  mode: string;
  meter_numerator: number;
  meter_denominator: number;
  bars: number;
}

/** A track's plain fields in the document (its `notes` are a nested map). */
export interface DocTrackFields {
  name: string;
  role: NonNullable<Track["role"]>;
  program: number;
  is_drum: boolean;
  volume: number;
  pan: number;
  mute: boolean;
  solo: boolean;
  colour: string | null;
  order: number;
  gain_db: number;
  fx: Effect[];
}

export const TRACK_DEFAULTS: DocTrackFields = {
  name: "Track", role: "other", program: 0, is_drum: false, volume: 100, pan: 0,
  mute: false, solo: false, colour: null, order: 0, gain_db: 0, fx: [],
};
export const TRACK_FIELDS = Object.keys(TRACK_DEFAULTS) as (keyof DocTrackFields)[];
/** Track fields written only when set (issue 17): an audio track's `clips` (a plain array
 * of {id, sample_id, start, gain_db, stretch}) and an instrument track's `preset_id`. */
export const OPTIONAL_TRACK_FIELDS: ReadonlySet<string> = new Set(["clips", "preset_id"]);
export const NOTE_FIELDS = ["pitch", "start", "duration", "velocity"] as const;
export const MASTER_DEFAULTS: Master = { gain_db: 0, limiter: true, ceiling_dbtp: -1 };
export const SETTINGS_DEFAULTS: DocSettings = {
  tempo: 120, tonic: "C", mode: "major", meter_numerator: 4, meter_denominator: 4, bars: 8,
};

/** A value any map of the document may hold. */
export type Value = unknown;
export type NoteMap = Y.Map<number>;
export type TrackMap = Y.Map<Value>;

/** The root types of a document, each under its schema name. */
export interface Roots {
  settings: Y.Map<Value>;
  tempoChanges: Y.Array<TempoEvent>;
  meterChanges: Y.Array<MeterEvent>;
  sections: Y.Array<SectionEvent>;
  chordSymbols: Y.Array<ChordEvent>;
  tracks: Y.Map<TrackMap>;
  master: Y.Map<Value>;
}

export function rootsOf(doc: Y.Doc): Roots {
  return {
    settings: doc.getMap("settings"),
    tempoChanges: doc.getArray("tempo_changes"),
    meterChanges: doc.getArray("meter_changes"),
    sections: doc.getArray("sections"),
    chordSymbols: doc.getArray("chord_symbols"),
    tracks: doc.getMap("tracks"),
    master: doc.getMap("master"),
  };
}

/** Every root, for an UndoManager's scope. */
export function rootList(doc: Y.Doc): Y.AbstractType<unknown>[] {
  return Object.values(rootsOf(doc)) as Y.AbstractType<unknown>[];
}

/** The score and the mix a document describes (the same shapes as the REST API's). */
export interface DocContent {
  score: Score;
  mix: MixSettings;
}

export function notesOfTrack(track: TrackMap): Y.Map<NoteMap> | null {
  const notes = track.get("notes");
  return notes instanceof Y.Map ? notes as Y.Map<NoteMap> : null;
}

/** A fresh id matching the Score's ID_PATTERN. */
export function newId(prefix: string): string {
  const random = typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID().replace(/-/g, "")
    : Math.random().toString(36).slice(2) + Date.now().toString(36);
  return `${prefix}${random.slice(0, 20)}`;
}
