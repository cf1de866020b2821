/** Reading the live document into the REST API's Score and MixSettings shapes (schema v1).
 *
 * Tolerant like the server's reader: the four event arrays are sorted (by tick, bar or
 * start bar) and for a duplicate tick/bar the last one in array order wins, so concurrent
 * inserts never make a document unreadable; missing fields take the Score's defaults.
 * `DocumentReader` re-reads only the tracks a change touched, so a one-note edit in a
 * 2,000-note score rebuilds one track, and unchanged tracks keep their object identity. */
import * as Y from "yjs";

import type { MixSettings, Note, Score, Track } from "@/api/types";

import {
  MASTER_DEFAULTS, notesOfTrack, rootsOf, SETTINGS_DEFAULTS, TRACK_DEFAULTS, type ChordEvent,
  type DocContent, type DocTrackFields, type Effect, type Master, type MeterEvent, type Roots,
  type SectionEvent, type TempoEvent, type TrackMap,
} from "./schema";

type TrackMix = NonNullable<MixSettings["tracks"]>[string];

function pick<T>(map: Y.Map<unknown>, key: string, fallback: T): T {
  const value = map.get(key);
  return value === undefined ? fallback : value as T;
}

/** Sorted by `key`; of entries with the same key the last in array order is kept. */
export function lastByKey<T>(items: readonly T[], key: (item: T) => number): T[] {
  const byKey = new Map<number, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

function noteOf(id: string, note: Y.Map<number>): Note {
  return { id, pitch: note.get("pitch") ?? 60, start: note.get("start") ?? 0,
           duration: note.get("duration") ?? 1, velocity: note.get("velocity") ?? 90 };
}

/** Notes in a stable order: by start, then pitch, then id. */
function byTime(a: Note, b: Note): number {
  return a.start - b.start || a.pitch - b.pitch || ((a.id ?? "") < (b.id ?? "") ? -1 : 1);
}

export interface ReadTrack {
  track: Track;
  order: number;
  mix: TrackMix | null;
}

/** Notes already read, by id, with the map each was read from (reused while unchanged). */
export type NoteCache = Map<string, { map: Y.Map<number>; note: Note }>;

/** Reads a track; with `cache`, a note whose map is the same and not in `changed` is reused
 * (a one-note edit in a 2,000-note track reads one note). `cache` is updated. */
export function readTrack(id: string, map: TrackMap, cache: NoteCache = new Map(),
                          changed: ReadonlySet<string> | null = null): ReadTrack {
  const field = <K extends keyof DocTrackFields>(key: K): DocTrackFields[K] =>
    pick(map, key, TRACK_DEFAULTS[key]);
  const notes: Note[] = [];
  const seen = new Set<string>();
  notesOfTrack(map)?.forEach((note, noteId) => {
    if (!(note instanceof Y.Map)) return;
    seen.add(noteId);
    const cached = cache.get(noteId);
    if (cached && cached.map === note && changed && !changed.has(noteId)) {
      notes.push(cached.note);
      return;
    }
    const read = noteOf(noteId, note);
    cache.set(noteId, { map: note, note: read });
    notes.push(read);
  });
  if (cache.size !== seen.size) for (const noteId of cache.keys()) {
    if (!seen.has(noteId)) cache.delete(noteId);
  }
  notes.sort(byTime);
  const track: Track = {
    id, name: field("name"), role: field("role"), program: field("program"),
    is_drum: field("is_drum"), volume: field("volume"), pan: field("pan"),
    mute: field("mute"), solo: field("solo"), colour: field("colour"), notes,
  };
  // Issue 17's optional fields: present only when set.
  const clips = map.get("clips");
  if (Array.isArray(clips)) track.clips = clips as NonNullable<Track["clips"]>;
  const presetId = map.get("preset_id");
  if (typeof presetId === "string") track.preset_id = presetId;
  const gain = field("gain_db");
  const fx = field("fx");
  const mix = gain !== 0 || (Array.isArray(fx) && fx.length > 0)
    ? { gain_db: gain, fx: (Array.isArray(fx) ? fx : []) as Effect[] } : null;
  return { track, order: field("order"), mix };
}

/** The score's parts other than the tracks (cheap: read in full on every change). */
function readHeader(roots: Roots): Omit<Score, "tracks"> {
  const s = roots.settings;
  const setting = <K extends keyof typeof SETTINGS_DEFAULTS>(key: K) =>
    pick(s, key, SETTINGS_DEFAULTS[key]);
  const meters = lastByKey<MeterEvent>(roots.meterChanges.toArray(), (m) => m.bar);
  return {
    tempo: setting("tempo"),
    key: { tonic: setting("tonic"), mode: setting("mode") as NonNullable<Score["key"]>["mode"] },
    meter: { numerator: setting("meter_numerator"),
             denominator: setting("meter_denominator") as 4 },
    bars: setting("bars"),
    ppq: 480,
    tempo_changes: lastByKey<TempoEvent>(roots.tempoChanges.toArray(), (t) => t.tick)
      .map((t) => ({ tick: t.tick, bpm: t.bpm })),
    meter_changes: meters.map((m) => ({
      bar: m.bar, meter: { numerator: m.numerator, denominator: m.denominator as 4 } })),
    sections: lastByKey<SectionEvent>(roots.sections.toArray(), (x) => x.start_bar)
      .map((x) => ({ name: x.name, start_bar: x.start_bar, bars: x.bars,
                     key: x.key ? { tonic: x.key.tonic,
                                    mode: x.key.mode as NonNullable<Score["key"]>["mode"] }
                                : null })),
    chord_symbols: lastByKey<ChordEvent>(roots.chordSymbols.toArray(), (c) => c.tick)
      .map((c) => ({ tick: c.tick, symbol: c.symbol })),
  };
}

function readMaster(roots: Roots): Master {
  return {
    gain_db: pick(roots.master, "gain_db", MASTER_DEFAULTS.gain_db),
    limiter: pick(roots.master, "limiter", MASTER_DEFAULTS.limiter),
    ceiling_dbtp: pick(roots.master, "ceiling_dbtp", MASTER_DEFAULTS.ceiling_dbtp),
  };
}

function assemble(roots: Roots, tracks: Map<string, ReadTrack>): DocContent {
  const ids = [...tracks.keys()].sort((a, b) => {
    const oa = tracks.get(a)!.order;
    const ob = tracks.get(b)!.order;
    return oa - ob || (a < b ? -1 : a > b ? 1 : 0);
  });
  const mixTracks: Record<string, TrackMix> = {};
  for (const id of ids) {
    const mix = tracks.get(id)!.mix;
    if (mix) mixTracks[id] = mix;
  }
  return {
    score: { ...readHeader(roots), tracks: ids.map((id) => tracks.get(id)!.track) },
    mix: { master: readMaster(roots), tracks: mixTracks },
  };
}

/** The whole document, read in one go. */
export function readDocument(doc: Y.Doc): DocContent {
  const roots = rootsOf(doc);
  const tracks = new Map<string, ReadTrack>();
  roots.tracks.forEach((map, id) => {
    if (map instanceof Y.Map) tracks.set(id, readTrack(id, map));
  });
  return assemble(roots, tracks);
}

/** Reads the document after changes, re-reading only the tracks (and, in a track, only the
 * notes) they touched. */
export class DocumentReader {
  private readonly roots: Roots;
  private readonly cache = new Map<string, { map: TrackMap; read: ReadTrack; notes: NoteCache }>();
  /** Track id → the note ids changed in it, or "all" when the track itself changed. */
  private readonly dirty = new Map<string, Set<string> | "all">();
  private readonly observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const event of events) {
      const [trackId, part, noteId] = event.path;
      if (event.target === this.roots.tracks) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) this.dirty.set(key, "all");
      } else if (typeof trackId !== "string") {
        continue;
      } else if (part === "notes") {
        const notes = this.dirty.get(trackId) ?? new Set<string>();
        if (notes === "all") continue;
        if (typeof noteId === "string") notes.add(noteId);
        else for (const key of (event as Y.YMapEvent<unknown>).keysChanged) notes.add(key);
        this.dirty.set(trackId, notes);
      } else if (this.dirty.get(trackId) === undefined) {
        // A field of the track: its notes are unchanged.
        this.dirty.set(trackId, new Set());
      }
    }
  };

  constructor(doc: Y.Doc) {
    this.roots = rootsOf(doc);
    this.roots.tracks.observeDeep(this.observer);
  }

  read(): DocContent {
    const tracks = new Map<string, ReadTrack>();
    this.roots.tracks.forEach((map, id) => {
      if (!(map instanceof Y.Map)) return;
      const cached = this.cache.get(id);
      const dirty = this.dirty.get(id);
      if (cached && cached.map === map && dirty === undefined) {
        tracks.set(id, cached.read);
        return;
      }
      const reuse = cached && cached.map === map && dirty !== "all";
      const notes: NoteCache = reuse ? cached.notes : new Map();
      const read = readTrack(id, map, notes, reuse ? dirty as Set<string> : null);
      this.cache.set(id, { map, read, notes });
      tracks.set(id, read);
    });
    for (const id of this.cache.keys()) if (!tracks.has(id)) this.cache.delete(id);
    this.dirty.clear();
    return assemble(this.roots, tracks);
  }

  destroy(): void {
    this.roots.tracks.unobserveDeep(this.observer);
  }
}
