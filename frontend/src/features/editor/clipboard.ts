/** Copy, cut, paste and duplicate for notes, as pure transforms, plus the in-app clipboard.
 * A clip stores notes relative to its earliest start, so it pastes anywhere (another bar,
 * another track, another project). The system clipboard carries the same clip as JSON text
 * (when the browser allows it), tagged so that pasting someone's prose is ignored. */
import type { NoteOperation } from "@/api/types";
import { clamp, MAX_PITCH, MIN_PITCH } from "@/lib/geometry";

export interface ClipNote {
  pitch: number;
  /** Ticks after the clip's start. */
  offset: number;
  duration: number;
  velocity: number;
}

export interface Clip {
  notes: ClipNote[];
  /** The clip's length: from its first start to its last end, rounded up to `step`. */
  span: number;
}

export interface PlacedNote {
  id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

type SourceNote = Omit<PlacedNote, "id">;

/** The clip of `notes`; its span is rounded up to whole `step`s (a grid step) when given,
 * so that duplicating a bar's worth lands on the next bar even if its last note is short. */
export function clipFrom(notes: readonly SourceNote[], step: number | null = null): Clip {
  if (notes.length === 0) return { notes: [], span: 0 };
  const first = Math.min(...notes.map((n) => n.start));
  const last = Math.max(...notes.map((n) => n.start + n.duration));
  const raw = last - first;
  const span = step && step > 0 ? Math.ceil(raw / step - 1e-9) * step : raw;
  return {
    span: Math.round(span),
    notes: [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch)
      .map((n) => ({ pitch: n.pitch, offset: n.start - first, duration: n.duration,
                     velocity: n.velocity })),
  };
}

/** The clip's notes placed at `at` with fresh ids; notes starting at or past `end` (the
 * score's end) are left out and the others shortened to end there. */
export function placeClip(clip: Clip, at: number, end: number,
                          makeId: () => string): PlacedNote[] {
  const placed: PlacedNote[] = [];
  for (const note of clip.notes) {
    const start = Math.max(0, Math.round(at + note.offset));
    if (start >= end) continue;
    placed.push({ id: makeId(), pitch: clamp(note.pitch, MIN_PITCH, MAX_PITCH), start,
                  duration: Math.max(1, Math.min(note.duration, end - start)),
                  velocity: clamp(note.velocity, 1, 127) });
  }
  return placed;
}

/** Where a duplicate of `notes` goes: right after their span (rounded up to `step`). */
export function duplicateStart(notes: readonly SourceNote[], step: number | null): number {
  if (notes.length === 0) return 0;
  const first = Math.min(...notes.map((n) => n.start));
  return first + clipFrom(notes, step).span;
}

export function addOperations(notes: readonly PlacedNote[], trackId: string): NoteOperation[] {
  return notes.map((n) => ({ op: "add", id: n.id, track_id: trackId, pitch: n.pitch,
                             start: n.start, duration: n.duration, velocity: n.velocity }));
}

// --- text form (system clipboard) --------------------------------------------------------

const FORMAT = "ariaforge/notes@1";
/** A clip bigger than this is not read back (a pasted novel must not freeze the tab). */
const MAX_CLIP_NOTES = 5000;

export function clipToText(clip: Clip): string {
  return JSON.stringify({ format: FORMAT, span: clip.span, notes: clip.notes });
}

const isInt = (v: unknown, lo: number, hi: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;

/** The clip in `text`, or null when it is not one of ours (or is malformed). */
export function clipFromText(text: string): Clip | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== "object") return null;
  const { format, span, notes } = data as { format?: unknown; span?: unknown; notes?: unknown };
  if (format !== FORMAT || !isInt(span, 0, 1e9) || !Array.isArray(notes)) return null;
  if (notes.length > MAX_CLIP_NOTES) return null;
  const parsed: ClipNote[] = [];
  for (const raw of notes as unknown[]) {
    const n = raw as Partial<ClipNote> | null;
    if (!n || !isInt(n.pitch, 0, 127) || !isInt(n.offset, 0, 1e9) ||
        !isInt(n.duration, 1, 1e9) || !isInt(n.velocity, 1, 127)) return null;
    parsed.push({ pitch: n.pitch, offset: n.offset, duration: n.duration, velocity: n.velocity });
  }
  return { span, notes: parsed };
}

// --- the in-app clipboard ----------------------------------------------------------------

let appClip: Clip | null = null;

export function setAppClip(clip: Clip): void {
  appClip = clip;
}

export function getAppClip(): Clip | null {
  return appClip;
}

/** Best effort: the system clipboard too (refused without focus or permission; the in-app
 * clipboard still has it). */
export function writeSystemClip(clip: Clip): void {
  try {
    void navigator.clipboard?.writeText(clipToText(clip)).catch(() => {});
  } catch {
    // No clipboard API here (insecure context, old browser): in-app only.
  }
}
