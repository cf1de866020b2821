/** What the compare view draws: a comparison's notes of one track laid out on a small
 * piano roll (added green, removed red, changed amber at their new place), and the song's
 * other changes in words. Pure, so it is tested without a browser. */
import type { components } from "@/api/schema";

export type Comparison = components["schemas"]["VersionComparison"];
export type TrackChanges = components["schemas"]["TrackChanges"];
type Note = components["schemas"]["Note"];
type FieldChange = components["schemas"]["FieldChange"];

export type NoteKind = "added" | "removed" | "changed";

export interface RollNote {
  id: string;
  kind: NoteKind;
  pitch: number;
  start: number;
  duration: number;
  /** Position in the roll, 0–1 across (time) and down (high pitch at the top). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Roll {
  notes: RollNote[];
  lowest: number;
  highest: number;
  endTick: number;
}

/** At least an octave shown, so a single note does not fill the height. */
const MIN_RANGE = 12;

/** `songEndTick`: where the song ends, so notes sit where they are in the song rather
 * than stretched over the span of the changes alone. */
export function rollOf(track: TrackChanges, songEndTick = 0): Roll {
  const placed: Array<[NoteKind, Note]> = [
    ...track.removed_notes.map((n): [NoteKind, Note] => ["removed", n]),
    ...track.changed_notes.map((c): [NoteKind, Note] => ["changed", c.after]),
    ...track.added_notes.map((n): [NoteKind, Note] => ["added", n]),
  ];
  if (placed.length === 0) {
    return { notes: [], lowest: 60, highest: 72, endTick: Math.max(1, songEndTick) };
  }
  let lowest = Math.min(...placed.map(([, n]) => n.pitch));
  let highest = Math.max(...placed.map(([, n]) => n.pitch));
  if (highest - lowest < MIN_RANGE) {
    const middle = Math.round((lowest + highest) / 2);
    lowest = Math.max(0, middle - MIN_RANGE / 2);
    highest = Math.min(127, lowest + MIN_RANGE);
  }
  const endTick = Math.max(1, songEndTick, ...placed.map(([, n]) => n.start + n.duration));
  const rows = highest - lowest + 1;
  return {
    lowest, highest, endTick,
    notes: placed.map(([kind, n]) => ({
      id: n.id ?? "", kind, pitch: n.pitch, start: n.start, duration: n.duration,
      x: n.start / endTick, width: n.duration / endTick,
      y: (highest - n.pitch) / rows, height: 1 / rows,
    })),
  };
}

const FIELD_NAMES: Record<string, string> = {
  tempo: "Tempo", key: "Key", meter: "Meter", bars: "Length (bars)", name: "Name",
  role: "Role", program: "Instrument", is_drum: "Drum track", volume: "Volume", pan: "Pan",
  mute: "Mute", solo: "Solo", colour: "Colour",
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("tonic" in record) return `${String(record.tonic)} ${String(record.mode)}`;
    if ("numerator" in record) return `${String(record.numerator)}/${String(record.denominator)}`;
    return JSON.stringify(value);
  }
  return String(value);
}

/** "Tempo: 100 → 90", for settings and track properties. */
export function describeField(change: FieldChange): string {
  return `${FIELD_NAMES[change.field] ?? change.field}: ${shown(change.before)} → ${shown(change.after)}`;
}

/** The song-wide changes besides notes, one line each. */
export function songChanges(comparison: Comparison): string[] {
  const lines = comparison.settings.map(describeField);
  const events: Array<[string, { added: unknown[]; removed: unknown[] }]> = [
    ["Sections", comparison.sections], ["Chords", comparison.chord_symbols],
    ["Tempo changes", comparison.tempo_changes], ["Meter changes", comparison.meter_changes],
  ];
  for (const [label, change] of events) {
    if (change.added.length || change.removed.length) {
      lines.push(`${label}: +${change.added.length} −${change.removed.length}` +
        eventNames(change));
    }
  }
  return lines;
}

function eventNames(change: { added: unknown[]; removed: unknown[] }): string {
  const name = (item: unknown): string | null => {
    const record = item as Record<string, unknown>;
    return typeof record.symbol === "string" ? record.symbol
      : typeof record.name === "string" ? record.name : null;
  };
  const added = change.added.map(name).filter(Boolean);
  const removed = change.removed.map(name).filter(Boolean);
  if (!added.length && !removed.length) return "";
  const parts = [added.length ? `added ${added.join(", ")}` : "",
                 removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean);
  return ` (${parts.join("; ")})`;
}

/** "2 added, 1 removed, 3 changed" for a track's row. */
export function noteCounts(track: TrackChanges): string {
  const parts = [
    [track.added_notes.length, "added"], [track.removed_notes.length, "removed"],
    [track.changed_notes.length, "changed"],
  ].filter(([count]) => count as number > 0).map(([count, word]) => `${count} ${word}`);
  return parts.length ? `notes: ${parts.join(", ")}` : "no note changes";
}

/** The tick after the last note of a score (0 for none). */
export function lastTick(tracks: ReadonlyArray<{ notes?: ReadonlyArray<Note> }> = []): number {
  let end = 0;
  for (const track of tracks) {
    for (const n of track.notes ?? []) end = Math.max(end, n.start + n.duration);
  }
  return end;
}
