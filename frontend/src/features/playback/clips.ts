/** The arithmetic of audio-track clips in the in-browser player, with no audio in it
 * (tested in clips.test.ts): which clips sound in a window of the score, from where in the
 * sample, at what rate, gain and pan. Clips play in real seconds (a decoded buffer does not
 * follow tempo changes), so windows are compared in score seconds under the tempo map —
 * the same tick→seconds mapping the scheduler uses for notes. */
import type { MixSettings, Track } from "@/api/types";
import { tempoAt, tickToSeconds } from "@/lib/timing";

import {
  type Anchor, type Heard, isAudible, type TempoMap, volumeController,
} from "./schedule";

/** What the player knows of a sample once it is decoded. */
export interface SampleInfo {
  /** The decoded buffer's length in seconds. */
  duration: number;
  /** The sample's tempo from the library (null: none, so it never stretches). */
  bpm: number | null;
}

export interface ClipRef {
  trackId: string;
  clipId: string;
  sampleId: string;
  /** Start tick (PPQ 480). */
  start: number;
  gainDb: number;
  stretch: boolean;
}

/** A clip to start: at audio time `time`, `offset` seconds into the sample's buffer. */
export interface ClipStart {
  clip: ClipRef;
  time: number;
  offset: number;
  rate: number;
}

const clamp = (value: number, low: number, high: number) =>
  Math.min(high, Math.max(low, value));

/** The clips of the score's audio tracks (clips without an id get a positional one). */
export function collectClips(tracks: readonly Track[]): ClipRef[] {
  const found: ClipRef[] = [];
  for (const track of tracks) {
    if (!track.id || track.role !== "audio") continue;
    (track.clips ?? []).forEach((clip, i) => {
      if (!clip.sample_id) return;
      found.push({ trackId: track.id!, clipId: clip.id ?? `#${i}`, sampleId: clip.sample_id,
                   start: Math.max(0, clip.start), gainDb: clamp(clip.gain_db ?? 0, -36, 12),
                   stretch: clip.stretch ?? false });
    });
  }
  return found;
}

/** The sample ids the score's clips use, each once. */
export function sampleIds(tracks: readonly Track[]): string[] {
  return [...new Set(collectClips(tracks).map((c) => c.sampleId))];
}

/** The playback rate: the song's tempo at the clip's start over the sample's tempo (as the
 * server's render takes it) when the clip stretches and the sample has a tempo, else 1. The browser only resamples, so the pitch moves with the
 * rate; the server's render time-stretches and keeps the pitch. */
export function clipRate(clip: Pick<ClipRef, "stretch">, songBpm: number,
                         sampleBpm: number | null): number {
  if (!clip.stretch || !sampleBpm || sampleBpm <= 0 || !(songBpm > 0)) return 1;
  return clamp(songBpm / sampleBpm, 0.0625, 16);
}

/** Linear gain for a clip: its gain_db times the track's fader taken the way notes take it
 * (CC7 with the mix's trim, GM's (cc/127)² curve); 0 for a track the listener does not hear. */
export function clipGain(gainDb: number, trackGain: number): number {
  return 10 ** (clamp(gainDb, -36, 12) / 20) * trackGain;
}

export interface TrackOutput {
  /** Linear gain of the track's fader (0 when muted or another track is soloed). */
  gain: number;
  /** StereoPannerNode pan, −1…1. */
  pan: number;
}

/** Gain and pan for each audio track, under the listener's mute/solo and the mix's trims. */
export function planAudioTracks(tracks: readonly Track[], heard: Heard,
                                mix: MixSettings | null = null): Map<string, TrackOutput> {
  const plan = new Map<string, TrackOutput>();
  for (const track of tracks) {
    if (!track.id || track.role !== "audio") continue;
    const trim = mix?.tracks?.[track.id]?.gain_db ?? 0;
    const cc = isAudible(heard, track.id) ? volumeController(track.volume ?? 100, trim) : 0;
    plan.set(track.id, { gain: (cc / 127) ** 2, pan: clamp((track.pan ?? 0) / 64, -1, 1) });
  }
  return plan;
}

/** The clips that sound in the score window [from, to) that began at audio time
 * `anchor.time` (= tick `from`), skipping those in `started` and those whose sample is not
 * decoded yet: a clip already under way at `from` (playback starting or looping back
 * inside it, or its buffer arriving late) starts at once with an offset into the sample. */
export function clipsIn(clips: readonly ClipRef[], map: TempoMap, anchor: Anchor, to: number,
                        info: (sampleId: string) => SampleInfo | undefined,
                        started: ReadonlySet<string> = new Set()): ClipStart[] {
  const fromSeconds = tickToSeconds(map, anchor.tick);
  const toSeconds = tickToSeconds(map, to);
  const found: ClipStart[] = [];
  for (const clip of clips) {
    if (started.has(clipKey(clip))) continue;
    const sample = info(clip.sampleId);
    if (!sample || !(sample.duration > 0)) continue;
    const rate = clipRate(clip, tempoAt(map, clip.start), sample.bpm);
    const begins = tickToSeconds(map, clip.start);
    const ends = begins + sample.duration / rate;
    if (begins >= toSeconds || ends <= fromSeconds) continue;
    const at = Math.max(begins, fromSeconds);
    found.push({ clip, time: anchor.time + (at - fromSeconds), offset: (at - begins) * rate,
                 rate });
  }
  return found;
}

export const clipKey = (clip: Pick<ClipRef, "trackId" | "clipId">): string =>
  `${clip.trackId}/${clip.clipId}`;
