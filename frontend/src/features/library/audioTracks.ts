/** Audio tracks (DESIGN §5): a track with role "audio" holds clips — library samples placed
 * in time — and no notes (and no drum flag or instrument preset). */
import type { components } from "@/api/schema";
import type { Score, Track } from "@/api/types";
import { barLayout } from "@/lib/geometry";

/** A clip as stored (the server gives every clip an id). */
export type AudioClip = components["schemas"]["AudioClip"] & { id: string };

export const AUDIO_ROLE: NonNullable<Track["role"]> = "audio";
export const MAX_CLIPS = 256;

export function isAudioTrack(track: Pick<Track, "role">): boolean {
  return track.role === AUDIO_ROLE;
}

export function clipsOf(track: Track): AudioClip[] {
  return (track.clips ?? []) as AudioClip[];
}

/** A fresh id matching the Score's ID_PATTERN. */
export function newClipId(prefix = "c-"): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `${prefix}${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The start of the bar the playhead is in (bar 1 when it was never placed). */
export function barStartAt(score: Score, tick: number | null): number {
  if (tick === null || tick <= 0) return 0;
  const bars = barLayout(score);
  let start = 0;
  for (const bar of bars) {
    if (bar.start <= tick) start = bar.start;
    else break;
  }
  return start;
}

export type ClipPlacement =
  | { kind: "new-track"; track: Partial<Track>; clip: AudioClip }
  | { kind: "existing"; trackId: string; clips: AudioClip[]; clip: AudioClip }
  | { kind: "full"; trackId: string };

/** Where "Add to song" puts a sample: on the selected audio track, else the first audio
 * track, else a new audio track named after the sample; at the playhead's bar. */
export function placeSample(score: Score, sample: { id: string; name: string; bpm: number | null },
                            playheadTick: number | null,
                            selectedTrackId: string | null): ClipPlacement {
  const clip: AudioClip = { id: newClipId(), sample_id: sample.id,
                            start: barStartAt(score, playheadTick), gain_db: 0,
                            stretch: sample.bpm !== null && sample.bpm > 0 };
  const tracks = score.tracks ?? [];
  const audio = tracks.filter(isAudioTrack);
  const target = audio.find((t) => t.id === selectedTrackId) ?? audio[0];
  if (target?.id) {
    const clips = clipsOf(target);
    if (clips.length >= MAX_CLIPS) return { kind: "full", trackId: target.id };
    return { kind: "existing", trackId: target.id, clips: [...clips, clip], clip };
  }
  const count = tracks.length;
  return {
    kind: "new-track", clip,
    track: { id: newClipId("t-"), name: sample.name.slice(0, 100) || `Audio ${count + 1}`,
             role: AUDIO_ROLE, program: 0, is_drum: false, volume: 100, pan: 0,
             notes: [], clips: [clip] },
  };
}

/** Seconds of a clip's sample in ticks at the song's tempo (stretched: the sample's own
 * tempo follows the song's). */
export function clipLengthTicks(seconds: number, songBpm: number, sampleBpm: number | null,
                                stretch: boolean): number {
  const played = stretch && sampleBpm && sampleBpm > 0 ? seconds * sampleBpm / songBpm : seconds;
  return Math.max(1, Math.round(played * songBpm / 60 * 480));
}
