/** The notes of a piano roll: read from a track, described for screen readers, and drawn
 * with the edits that are still being saved laid on top. */
import type { Track } from "@/api/types";
import { barAt, barBeat, beatLength, type Bar } from "@/lib/geometry";
import { noteName } from "@/lib/gm";

export interface RollNote {
  id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

export type NoteChanges = Map<string, Partial<RollNote>>;

/** What one pending save draws until the reloaded score arrives. */
export interface Optimistic {
  changes: NoteChanges;
  added: RollNote[];
  deleted: Set<string>;
}

export function notesOf(track: Track): RollNote[] {
  return (track.notes ?? []).filter((n): n is typeof n & { id: string } => Boolean(n.id))
    .map((n) => ({ id: n.id, pitch: n.pitch, start: n.start, duration: n.duration,
                   velocity: n.velocity ?? 90 }));
}

/** `notes` with each pending save's changes on top, in the order they were made. */
export function withPending(notes: RollNote[], layers: readonly Optimistic[]): RollNote[] {
  let shown = notes;
  for (const layer of layers) {
    const ids = new Set(shown.map((n) => n.id));
    shown = shown.filter((n) => !layer.deleted.has(n.id))
      .map((n) => ({ ...n, ...layer.changes.get(n.id) }))
      .concat(layer.added.filter((n) => !ids.has(n.id)));
  }
  return shown;
}

export function describeNote(note: RollNote, bars: readonly Bar[]): string {
  const { bar, beat, offset } = barBeat(bars, note.start);
  const beatLen = beatLength(barAt(bars, note.start).meter);
  const at = Number((beat + offset / beatLen).toFixed(2));
  return `Note ${noteName(note.pitch)} at bar ${bar} beat ${at}`;
}
