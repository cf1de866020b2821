/** The player's arithmetic, with no audio in it (tested in schedule.test.ts): which MIDI
 * channel each track plays on and with what volume and pan, which notes start in a window
 * of ticks, where the metronome clicks under the score's meters, and how the audio clock
 * walks the score's tempo map, wrapping at the loop's end. */
import type { MixSettings, Score, Track } from "@/api/types";
import { PPQ } from "@/lib/ticks";
import type { tempoMap } from "@/lib/timing";
import { barToTick, tickToSeconds } from "@/lib/timing";

import type { LoopRegion } from "./api";

export type TempoMap = ReturnType<typeof tempoMap>;

// --- channels -----------------------------------------------------------------------------

export const DRUM_CHANNEL = 9;
/** Kept free of tracks: a note auditioned while the song plays never changes a track's
 * program or cuts its notes. */
export const AUDITION_CHANNEL = 16;
export const AUDITION_DRUM_CHANNEL = 17;
/** Channels past the GM sixteen (and the two audition ones) are added on demand. */
const FIRST_EXTRA_CHANNEL = 18;
const MELODIC_CHANNELS = Array.from({ length: 16 }, (_, c) => c).filter((c) => c !== DRUM_CHANNEL);

export interface ChannelPlan {
  trackId: string;
  channel: number;
  program: number;
  isDrum: boolean;
  /** CC7: the score's volume (the server's fader is 40·log10(v/127) dB, which is GM's
   * CC7 curve) with the mix's trim folded in, 0 when the listener does not hear it. */
  volume: number;
  /** CC10: the score's pan −64…63 moved to 0…127. */
  pan: number;
  audible: boolean;
}

export interface Heard {
  mute: ReadonlySet<string>;
  solo: ReadonlySet<string>;
}

/** Mute wins over solo; with any solo only soloed tracks sound (as the server renders). */
export function isAudible(heard: Heard, trackId: string): boolean {
  return !heard.mute.has(trackId) && (heard.solo.size === 0 || heard.solo.has(trackId));
}

/** The score's own mute/solo flags, for listeners who set none (a shared page). */
export function scoreFlags(tracks: readonly Track[]): Heard {
  return { mute: new Set(tracks.filter((t) => t.mute && t.id).map((t) => t.id!)),
           solo: new Set(tracks.filter((t) => t.solo && t.id).map((t) => t.id!)) };
}

const clamp = (value: number, low: number, high: number) =>
  Math.min(high, Math.max(low, value));

/** CC7 for a score volume plus a trim in dB: GM's CC7 gain is (cc/127)², i.e. 40·log10. */
export function volumeController(volume: number, trimDb = 0): number {
  if (volume <= 0) return 0;
  return clamp(Math.round(volume * 10 ** (trimDb / 40)), 0, 127);
}

/** One channel per track: drums on 10 (index 9), the rest on the other GM channels, then
 * on channels added past the audition pair. */
export function planChannels(tracks: readonly Track[], heard: Heard,
                             mix: MixSettings | null = null): ChannelPlan[] {
  let melodic = 0;
  let extra = FIRST_EXTRA_CHANNEL;
  let drumOnTen = false;
  // Audio tracks (issue 17) hold clips, not notes: they take no synthesizer channel.
  return tracks.filter((t) => t.id && t.role !== "audio").map((track) => {
    const id = track.id!;
    const isDrum = track.is_drum ?? false;
    let channel: number;
    if (isDrum && !drumOnTen) {
      channel = DRUM_CHANNEL;
      drumOnTen = true;
    } else if (!isDrum && melodic < MELODIC_CHANNELS.length) {
      channel = MELODIC_CHANNELS[melodic++]!;
    } else {
      channel = extra++;
    }
    const audible = isAudible(heard, id);
    const trim = mix?.tracks?.[id]?.gain_db ?? 0;
    return { trackId: id, channel, program: clamp(track.program ?? 0, 0, 127), isDrum,
             volume: audible ? volumeController(track.volume ?? 100, trim) : 0,
             pan: clamp((track.pan ?? 0) + 64, 0, 127), audible };
  });
}

// --- notes --------------------------------------------------------------------------------

export interface TimedNote {
  pitch: number;
  velocity: number;
  start: number;
  end: number;
}

/** Each track's notes sorted by start, so a window is found by binary search. */
export type NoteIndex = Map<string, TimedNote[]>;

export function indexNotes(tracks: readonly Track[]): NoteIndex {
  const index: NoteIndex = new Map();
  for (const track of tracks) {
    if (!track.id) continue;
    const notes = (track.notes ?? [])
      .filter((n) => n.duration > 0 && n.pitch >= 0 && n.pitch <= 127)
      .map((n) => ({ pitch: n.pitch, velocity: clamp(n.velocity ?? 90, 1, 127),
                     start: n.start, end: n.start + n.duration }))
      .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
    index.set(track.id, notes);
  }
  return index;
}

function firstAtOrAfter(notes: readonly TimedNote[], tick: number): number {
  let low = 0;
  let high = notes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (notes[mid]!.start < tick) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Notes starting in [from, to); with `strikeSounding`, also those already sounding at
 * `from` (playback starting or looping back mid-note: struck there, as the server's
 * partial renders do). */
export function notesIn(notes: readonly TimedNote[], from: number, to: number,
                        strikeSounding = false): TimedNote[] {
  const found: TimedNote[] = [];
  if (strikeSounding) {
    for (const note of notes) {
      if (note.start >= from) break;
      if (note.end > from) found.push({ ...note, start: from });
    }
  }
  for (let i = firstAtOrAfter(notes, from); i < notes.length; i++) {
    const note = notes[i]!;
    if (note.start >= to) break;
    found.push(note);
  }
  return found;
}

/** Where the piece ends: its last bar or its last note, whichever is later. */
export function scoreEndTick(score: Score): number {
  const barsEnd = barToTick(score, (score.bars ?? 8) + 1);
  let last = 0;
  for (const track of score.tracks ?? []) {
    for (const note of track.notes ?? []) last = Math.max(last, note.start + note.duration);
  }
  return Math.max(barsEnd, last);
}

// --- metronome ----------------------------------------------------------------------------

export interface Click {
  tick: number;
  /** The bar's first beat. */
  accent: boolean;
}

interface MeterSpan { bar: number; tick: number; barTicks: number; beatTicks: number }

/** The beat a musician counts: the denominator, except compound meters (6/8, 9/8, 12/8,
 * 6/16…), counted in dotted beats of three. */
export function beatTicks(numerator: number, denominator: number): number {
  const unit = (PPQ * 4) / denominator;
  const compound = denominator >= 8 && numerator > 3 && numerator % 3 === 0;
  return compound ? unit * 3 : unit;
}

function meterSpans(score: Score): MeterSpan[] {
  const make = (bar: number, meter: Score["meter"]) => {
    const numerator = meter?.numerator ?? 4;
    const denominator = meter?.denominator ?? 4;
    return { bar, tick: barToTick(score, bar),
             barTicks: Math.round((numerator * PPQ * 4) / denominator),
             beatTicks: beatTicks(numerator, denominator) };
  };
  const spans = [make(1, score.meter)];
  const changes = [...(score.meter_changes ?? [])].filter((c) => c.bar > 1)
    .sort((a, b) => a.bar - b.bar);
  for (const change of changes) {
    if (spans[spans.length - 1]!.bar === change.bar) spans.pop();
    spans.push(make(change.bar, change.meter));
  }
  return spans;
}

/** Metronome clicks in [from, to): every beat, the bar's first accented, following meter
 * changes. */
export function clicksIn(score: Score, from: number, to: number): Click[] {
  const spans = meterSpans(score);
  const clicks: Click[] = [];
  spans.forEach((span, i) => {
    const spanEnd = spans[i + 1]?.tick ?? Infinity;
    const low = Math.max(from, span.tick);
    const high = Math.min(to, spanEnd);
    if (low >= high) return;
    // The first beat at or after `low`, counted from the span's first downbeat.
    let beat = Math.ceil((low - span.tick) / span.beatTicks);
    for (let tick = span.tick + beat * span.beatTicks; tick < high;
         beat++, tick = span.tick + beat * span.beatTicks) {
      const intoBar = (tick - span.tick) % span.barTicks;
      clicks.push({ tick: Math.round(tick), accent: intoBar === 0 });
    }
  });
  return clicks;
}

/** The count-in before playing from `tick`: `bars` bars of the meter in force there, at
 * the tempo there, as offsets in seconds from the count-in's start. Returns the clicks and
 * the count-in's length. */
export function countIn(score: Score, map: TempoMap, tick: number,
                        bars: number): { clicks: { offset: number; accent: boolean }[];
                                         seconds: number } {
  if (bars <= 0) return { clicks: [], seconds: 0 };
  const spans = meterSpans(score);
  let span = spans[0]!;
  for (const candidate of spans) if (candidate.tick <= tick) span = candidate;
  let bpm = map[0]!.bpm;
  for (const segment of map) if (segment.tick <= tick) bpm = segment.bpm;
  const secondsPerTick = 60 / (bpm * PPQ);
  const beatsPerBar = Math.max(1, Math.round(span.barTicks / span.beatTicks));
  const beatSeconds = span.beatTicks * secondsPerTick;
  const clicks = [];
  for (let bar = 0; bar < bars; bar++) {
    for (let beat = 0; beat < beatsPerBar; beat++) {
      clicks.push({ offset: (bar * beatsPerBar + beat) * beatSeconds, accent: beat === 0 });
    }
  }
  return { clicks, seconds: bars * beatsPerBar * beatSeconds };
}

// --- the clock ----------------------------------------------------------------------------

/** An audio-clock time paired with the score tick sounding then. */
export interface Anchor {
  time: number;
  tick: number;
}

/** A stretch of score ticks played without a jump, starting at audio time `time`;
 * `restart` when playback (re)entered the score here (start, loop wrap). */
export interface Span {
  from: number;
  to: number;
  time: number;
  restart: boolean;
}

export interface Advance {
  spans: Span[];
  cursor: Anchor;
  /** The piece's end was reached (no loop): `cursor.time` is when. */
  ended: boolean;
}

/** The audio time at which `tick` sounds, seen from `anchor`, under `map`. */
export function timeOf(map: TempoMap, anchor: Anchor, tick: number): number {
  return anchor.time + tickToSeconds(map, tick) - tickToSeconds(map, anchor.tick);
}

/** The score tick sounding at audio time `time`, seen from `anchor`: fractional, unlike
 * `secondsToTick`, so that a cursor moved forward many times a second never drifts. */
export function tickAt(map: TempoMap, anchor: Anchor, time: number): number {
  const seconds = tickToSeconds(map, anchor.tick) + (time - anchor.time);
  let span = map[0]!;
  for (const candidate of map) if (candidate.seconds <= seconds) span = candidate;
  return Math.max(0, span.tick + ((seconds - span.seconds) * span.bpm * PPQ) / 60);
}

/** Walks the score from `cursor` until audio time `until`: the spans of ticks to schedule,
 * wrapping from the loop's end to its start (a loop that does not contain the cursor
 * does not apply until playback enters it), stopping at `endTick` without a loop. */
export function advance(map: TempoMap, cursor: Anchor, until: number,
                        loop: LoopRegion | null, endTick: number): Advance {
  const spans: Span[] = [];
  let current = cursor;
  const looping = loop !== null && loop.endTick > loop.startTick
    && cursor.tick < loop.endTick && cursor.tick >= loop.startTick;
  for (let guard = 0; guard < 1000 && current.time < until; guard++) {
    const target = tickAt(map, current, until);
    const stop = looping ? loop.endTick : endTick;
    if (target < stop) {
      if (target > current.tick) spans.push({ from: current.tick, to: target,
                                              time: current.time, restart: false });
      // The cursor lands exactly on `until` (rounded ticks would drift otherwise).
      return { spans, cursor: { time: until, tick: target }, ended: false };
    }
    const stopTime = timeOf(map, current, stop);
    if (stop > current.tick) spans.push({ from: current.tick, to: stop, time: current.time,
                                          restart: false });
    if (!looping) return { spans, cursor: { time: stopTime, tick: stop }, ended: true };
    current = { time: stopTime, tick: loop.startTick };
    spans.push({ from: loop.startTick, to: loop.startTick, time: stopTime, restart: true });
  }
  return { spans, cursor: current, ended: false };
}

/** The tick sounding at `time` given the anchors the scheduler passed (newest last). */
export function tickFromAnchors(map: TempoMap, anchors: readonly Anchor[],
                                time: number): number | null {
  for (let i = anchors.length - 1; i >= 0; i--) {
    const anchor = anchors[i]!;
    if (anchor.time <= time) return tickAt(map, anchor, time);
  }
  return anchors.length ? anchors[0]!.tick : null;
}
