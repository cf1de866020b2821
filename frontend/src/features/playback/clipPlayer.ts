"use client";
/** Sounds audio-track clips through the engine's AudioContext, beside the synthesizer: each
 * sample fetched (with the token) and decoded once per page, each clip an
 * AudioBufferSourceNode started at the audio time of its start tick, through its track's
 * gain and StereoPannerNode into the master gain. The scheduler calls `schedule` for every
 * window it plays, so a clip whose sample arrives late joins mid-clip; one whose sample
 * never arrives stays silent. Stretched clips play at songTempo / sampleBpm, which in the
 * browser changes their pitch too (the server's render keeps the pitch). */
import { useEffect, useMemo } from "react";

import type { MixSettings, Score } from "@/api/types";
import { getSample, sampleAudioBytes } from "@/features/library/api";

import {
  type ClipRef, clipGain, clipKey, clipsIn, collectClips, planAudioTracks, type SampleInfo,
  sampleIds, type TrackOutput,
} from "./clips";
import type { Engine } from "./engine";
import type { Anchor, Heard, TempoMap } from "./schedule";

interface Loaded { bytes: ArrayBuffer | null; bpm: number | null }

/** The page's samples: bytes and tempo fetched once; buffers decoded once. */
const fetched = new Map<string, Promise<Loaded>>();
const decoding = new Map<string, Promise<AudioBuffer | null>>();
const buffers = new Map<string, { buffer: AudioBuffer; bpm: number | null }>();
/** When a sample last failed to load: not asked for again for a while (a deleted sample,
 * a shared page without access), so edits made while playing do not re-request it. */
const failedAt = new Map<string, number>();
const RETRY_AFTER_MS = 30_000;

function fetchSample(id: string): Promise<Loaded> {
  let promise = fetched.get(id);
  const failed = failedAt.get(id);
  if (!promise && failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) {
    return Promise.resolve({ bytes: null, bpm: null });
  }
  if (!promise) {
    promise = Promise.all([
      sampleAudioBytes(id).catch(() => null),
      getSample(id).then((r) => (r.ok ? r.value.bpm ?? null : null)).catch(() => null),
    ]).then(([bytes, bpm]) => ({ bytes, bpm }));
    fetched.set(id, promise);
    // A failed download is retried by a later Play (after RETRY_AFTER_MS).
    void promise.then((loaded) => {
      if (loaded.bytes) return;
      fetched.delete(id);
      failedAt.set(id, Date.now());
    });
  }
  return promise;
}

function decode(context: BaseAudioContext, id: string): Promise<AudioBuffer | null> {
  let promise = decoding.get(id);
  const failed = failedAt.get(id);
  if (!promise && failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) {
    return Promise.resolve(null);
  }
  if (!promise) {
    promise = fetchSample(id).then(async ({ bytes, bpm }) => {
      if (!bytes) return null;
      // decodeAudioData detaches its argument: the fetched copy stays usable.
      const buffer = await context.decodeAudioData(bytes.slice(0));
      buffers.set(id, { buffer, bpm });
      fetched.delete(id);  // the decoded buffer is kept; the encoded bytes are not needed
      return buffer;
    }).catch(() => null);
    decoding.set(id, promise);
    void promise.then((buffer) => {
      if (buffer) return;
      decoding.delete(id);
      fetched.delete(id);
      failedAt.set(id, Date.now());  // unreadable: not fetched again at every edit
    });
  }
  return promise;
}

function sampleInfo(id: string): SampleInfo | undefined {
  const hit = buffers.get(id);
  return hit ? { duration: hit.buffer.duration, bpm: hit.bpm } : undefined;
}

/** Keeps the samples of the score being edited downloading ahead of Play. */
export function useSamplePreload(score: Score | null): void {
  const key = useMemo(() => sampleIds(score?.tracks ?? []).join(","), [score]);
  useEffect(() => {
    if (key) for (const id of key.split(",")) if (!buffers.has(id)) void fetchSample(id);
  }, [key]);
}

interface Voice { key: string; source: AudioBufferSourceNode; gain: GainNode }
interface Output { gain: GainNode; pan: StereoPannerNode }

export class ClipVoices {
  private clips: ClipRef[] = [];
  private plan = new Map<string, TrackOutput>();
  private outputs = new Map<string, Output>();
  private voices: Voice[] = [];
  /** Clips started since playback last (re)entered the score. */
  private started = new Set<string>();

  constructor(private readonly engine: Pick<Engine, "context" | "master">) {}

  /** The score (or mute/solo, or mix) to play: downloads and decodes what is missing;
   * track gains and pans apply at once to what sounds. */
  load(score: Score, heard: Heard, mix: MixSettings | null): void {
    const tracks = score.tracks ?? [];
    this.clips = collectClips(tracks);
    this.plan = planAudioTracks(tracks, heard, mix);
    for (const id of sampleIds(tracks)) void decode(this.engine.context, id);
    for (const [trackId, out] of this.outputs) {
      const wanted = this.plan.get(trackId) ?? { gain: 0, pan: 0 };
      out.gain.gain.value = wanted.gain;
      out.pan.pan.value = wanted.pan;
    }
  }

  private output(trackId: string): Output {
    let out = this.outputs.get(trackId);
    if (!out) {
      const { context, master } = this.engine;
      const wanted = this.plan.get(trackId) ?? { gain: 0, pan: 0 };
      const gain = context.createGain();
      const pan = context.createStereoPanner();
      gain.gain.value = wanted.gain;
      pan.pan.value = wanted.pan;
      gain.connect(pan).connect(master);
      out = { gain, pan };
      this.outputs.set(trackId, out);
    }
    return out;
  }

  /** Playback (re)entered the score at audio time `time`: what still sounds stops then,
   * and every clip may start again. */
  restart(time: number): void {
    for (const voice of this.voices) {
      try { voice.source.stop(time); } catch { /* already stopped */ }
    }
    this.started.clear();
  }

  /** Starts the clips sounding in the window [anchor.tick, to) of the score. */
  schedule(map: TempoMap, anchor: Anchor, to: number): void {
    const { context } = this.engine;
    for (const start of clipsIn(this.clips, map, anchor, to, sampleInfo, this.started)) {
      const key = clipKey(start.clip);
      this.started.add(key);
      const sample = buffers.get(start.clip.sampleId);
      if (!sample) continue;
      // A clip joining late (its buffer arrived after its start) starts now, further in.
      const late = Math.max(0, context.currentTime - start.time);
      const offset = start.offset + late * start.rate;
      if (offset >= sample.buffer.duration) continue;
      const source = context.createBufferSource();
      source.buffer = sample.buffer;
      source.playbackRate.value = start.rate;
      const gain = context.createGain();
      gain.gain.value = clipGain(start.clip.gainDb, 1);
      source.connect(gain).connect(this.output(start.clip.trackId).gain);
      const voice = { key, source, gain };
      source.onended = () => {
        gain.disconnect();
        this.voices = this.voices.filter((v) => v !== voice);
      };
      source.start(start.time + late, offset);
      this.voices.push(voice);
    }
  }

  /** Stops every clip at once (stop, seek, the end). */
  stopAll(): void {
    for (const voice of this.voices) {
      try { voice.source.stop(); } catch { /* not started */ }
      voice.gain.disconnect();
    }
    this.voices = [];
    this.started.clear();
  }
}
