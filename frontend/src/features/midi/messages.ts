/** MIDI bytes → notes. Parses a stream of MIDI messages (running status included: a data
 * byte without a status byte reuses the last channel status; real-time bytes 0xF8–0xFF may
 * sit anywhere and are skipped; SysEx is skipped), pairs note-on with note-off (a note-on
 * with velocity 0 is a note-off), and turns a take's timings into score ticks. Pure. */
import { PPQ } from "@/lib/ticks";

export type MidiEvent =
  | { kind: "on"; channel: number; pitch: number; velocity: number }
  | { kind: "off"; channel: number; pitch: number };

/** Data bytes each channel message carries, by the status's high nibble. */
const DATA_BYTES: Record<number, number> = {
  0x80: 2, 0x90: 2, 0xa0: 2, 0xb0: 2, 0xc0: 1, 0xd0: 1, 0xe0: 2,
};

/** A stateful parser: feed it byte chunks as they arrive; it remembers running status and a
 * message split across chunks. */
export class MidiParser {
  private status = 0;
  private data: number[] = [];
  private inSysex = false;

  feed(bytes: ArrayLike<number>): MidiEvent[] {
    const events: MidiEvent[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]! & 0xff;
      if (byte >= 0xf8) continue;                 // real-time: clock, start, stop, sensing
      if (byte === 0xf0) { this.inSysex = true; this.status = 0; continue; }
      if (byte === 0xf7) { this.inSysex = false; continue; }
      if (byte >= 0x80) {
        this.inSysex = false;
        // System common messages cancel running status; we do not read them.
        this.status = byte < 0xf0 ? byte : 0;
        this.data = [];
        continue;
      }
      if (this.inSysex || this.status === 0) continue;
      this.data.push(byte);
      const type = this.status & 0xf0;
      if (this.data.length < (DATA_BYTES[type] ?? 2)) continue;
      const [a = 0, b = 0] = this.data;
      this.data = [];                             // running status: keep `status`
      const channel = this.status & 0x0f;
      if (type === 0x90 && b > 0) events.push({ kind: "on", channel, pitch: a, velocity: b });
      else if (type === 0x90 || type === 0x80) events.push({ kind: "off", channel, pitch: a });
    }
    return events;
  }
}

export interface PlayedNote {
  pitch: number;
  velocity: number;
  /** Milliseconds since the take started. */
  startMs: number;
  endMs: number;
}

/** Pairs note-ons with note-offs into notes (per channel and pitch; a second note-on of a
 * sounding key ends the first). */
export class NoteAssembler {
  private sounding = new Map<string, { pitch: number; velocity: number; startMs: number }>();
  readonly notes: PlayedNote[] = [];

  handle(event: MidiEvent, atMs: number): void {
    const key = `${event.channel}:${event.pitch}`;
    const open = this.sounding.get(key);
    if (open) {
      this.notes.push({ ...open, endMs: Math.max(atMs, open.startMs) });
      this.sounding.delete(key);
    }
    if (event.kind === "on") {
      this.sounding.set(key, { pitch: event.pitch, velocity: event.velocity, startMs: atMs });
    }
  }

  /** Ends every note still held (the take stopped) and gives all notes in start order. */
  finish(atMs: number): PlayedNote[] {
    for (const open of this.sounding.values()) {
      this.notes.push({ ...open, endMs: Math.max(atMs, open.startMs) });
    }
    this.sounding.clear();
    return [...this.notes].sort((a, b) => a.startMs - b.startMs || a.pitch - b.pitch);
  }
}

export interface TickedNote {
  pitch: number;
  velocity: number;
  start: number;
  duration: number;
}

export interface TempoEvent {
  tick: number;
  bpm: number;
}

/** The score's clock from `fromTick`: milliseconds after the start → ticks, following the
 * tempo (and its changes) as the player does. */
export function tempoClock(fromTick: number, tempo: number,
                           changes: readonly TempoEvent[] = []): (ms: number) => number {
  const events = [...changes].filter((c) => c.bpm > 0).sort((a, b) => a.tick - b.tick);
  const bpmAt = (tick: number) => {
    let bpm = tempo > 0 ? tempo : 120;
    for (const e of events) if (e.tick <= tick) bpm = e.bpm;
    return bpm;
  };
  return (ms: number) => {
    let tick = fromTick;
    let remaining = Math.max(0, ms);
    for (;;) {
      const perMs = (bpmAt(tick) * PPQ) / 60_000;
      const next = events.find((e) => e.tick > tick);
      if (!next || tick + remaining * perMs <= next.tick) return tick + remaining * perMs;
      remaining -= (next.tick - tick) / perMs;
      tick = next.tick;
    }
  };
}

/** The take's notes in ticks (`toTick` maps ms after the start to ticks); notes at or past
 * `end` are dropped and the rest cut to end there; every note lasts at least one tick. */
export function notesToTicks(notes: readonly PlayedNote[], toTick: (ms: number) => number,
                             end: number): TickedNote[] {
  const out: TickedNote[] = [];
  for (const note of notes) {
    const start = Math.round(toTick(note.startMs));
    if (start < 0 || start >= end) continue;
    const length = Math.max(1, Math.round(toTick(note.endMs)) - start);
    out.push({ pitch: note.pitch, velocity: Math.min(127, Math.max(1, note.velocity)), start,
               duration: Math.max(1, Math.min(length, end - start)) });
  }
  return out;
}
