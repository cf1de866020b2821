"use client";
/** The page's one audio engine: an AudioContext, spessasynth's AudioWorklet synthesizer on
 * the server's render SoundFont, a master gain, the metronome's clicks and a level tap.
 * Every `PlayerProvider` on a page shares it (browsers allow few AudioContexts, and the
 * SoundFont is parsed once).
 *
 * Loading has two halves: the SoundFont's bytes (fetched once, then read from Cache Storage
 * under their content hash) may load as soon as a page that plays opens; the AudioContext
 * waits for the person's first gesture (browsers' autoplay policy), so Play itself only
 * resumes a context that is already running the synthesizer. */
import { WorkletSynthesizer } from "spessasynth_lib";

import { API_BASE } from "@/api/client";

import { AUDITION_CHANNEL, AUDITION_DRUM_CHANNEL } from "./schedule";

/** Copied from node_modules/spessasynth_lib/dist by `npm run copy-worklet` (prebuild). */
export const WORKLET_URL = "/audio/spessasynth_processor.min.js";
const CACHE_NAME = "ariaforge-soundfont";
/** The synth's dry output is hotter than the server's −6 dB render; this brings a typical
 * arrangement near the server preview's loudness (measured, ADR 0025). */
export const MASTER_GAIN = 0.7;
const CLICK = { accentHz: 1760, beatHz: 1320, accentGain: 0.55, beatGain: 0.32, seconds: 0.045 };

export interface Engine {
  context: AudioContext;
  synth: WorkletSynthesizer;
  master: GainNode;
  analyser: AnalyserNode;
  /** The synth's channel count (grows when a score needs more than the GM sixteen). */
  ensureChannels(count: number): void;
  /** A metronome click at audio time `time`; returns a canceller. */
  click(time: number, accent: boolean): () => void;
  /** RMS of the last ~20 ms of output, 0…1 (for tests and the level meter). */
  level(): number;
}

export interface SoundFontInfo {
  url: string;
  sha256: string;
  bytes: number;
  name: string;
}

type Progress = (fraction: number) => void;

let bytesPromise: Promise<ArrayBuffer> | null = null;
let enginePromise: Promise<Engine> | null = null;

async function soundFontInfo(): Promise<SoundFontInfo> {
  const response = await fetch(`${API_BASE}/api/v1/soundfont`);
  if (!response.ok) throw new Error(`the server has no SoundFont to play with (${response.status})`);
  return await response.json() as SoundFontInfo;
}

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === "undefined" ? null : await caches.open(CACHE_NAME);
  } catch {
    return null;  // not a secure context, or storage refused: the HTTP cache still serves
  }
}

async function download(url: string, total: number, progress: Progress): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`the SoundFont did not load (${response.status})`);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    progress(total > 0 ? Math.min(1, received / total) : 0);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) { bytes.set(part, offset); offset += part.length; }
  return bytes.buffer;
}

/** The SoundFont's bytes: from Cache Storage when this browser has them (keyed by their
 * hash, so a new server SoundFont is fetched once and older copies are dropped). */
export function soundFontBytes(progress: Progress = () => {}): Promise<ArrayBuffer> {
  bytesPromise ??= (async () => {
    const info = await soundFontInfo();
    const url = `${API_BASE}${info.url}`;
    const cache = await openCache();
    const hit = await cache?.match(url);
    if (hit) {
      progress(1);
      return await hit.arrayBuffer();
    }
    const buffer = await download(url, info.bytes, progress);
    if (cache) {
      try {
        for (const old of await cache.keys()) if (old.url !== new URL(url, location.href).href) {
          await cache.delete(old);
        }
        await cache.put(url, new Response(buffer.slice(0), {
          headers: { "Content-Type": "application/octet-stream" } }));
      } catch {
        // quota: the HTTP cache (immutable) still spares the next visit the download
      }
    }
    return buffer;
  })();
  bytesPromise.catch(() => { bytesPromise = null; });
  return bytesPromise;
}

function tap(context: AudioContext, master: GainNode): AnalyserNode {
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  master.connect(analyser);
  analyser.connect(context.destination);
  return analyser;
}

async function createEngine(progress: Progress): Promise<Engine> {
  if (typeof AudioContext === "undefined" || typeof AudioWorkletNode === "undefined") {
    throw new Error("this browser cannot play audio here (no AudioWorklet)");
  }
  const bytes = soundFontBytes(progress);
  const context = new AudioContext({ latencyHint: "interactive" });
  await context.audioWorklet.addModule(WORKLET_URL);
  const synth = new WorkletSynthesizer(context);
  const master = context.createGain();
  master.gain.value = MASTER_GAIN;
  synth.connect(master);
  const analyser = tap(context, master);
  // The server's render has no reverb or chorus (effects come from the mix, which the
  // browser does not reproduce: the "Hi-fi preview" renders them).
  synth.setSystemParameter("effectsEnabled", false);
  await synth.soundBankManager.addSoundBank(await bytes, "main");
  bytesPromise = null;  // handed to the audio thread (detached); Cache Storage keeps it
  await synth.isReady;

  const ensureChannels = (count: number) => {
    while (synth.channelCount < count) synth.addNewChannel();
  };
  ensureChannels(AUDITION_DRUM_CHANNEL + 1);
  synth.midiChannels[AUDITION_CHANNEL]?.setDrums(false);
  synth.midiChannels[AUDITION_DRUM_CHANNEL]?.setDrums(true);

  const samples = new Float32Array(analyser.fftSize);
  const engine: Engine = {
    context, synth, master, analyser, ensureChannels,
    click(time, accent) {
      const oscillator = context.createOscillator();
      const envelope = context.createGain();
      oscillator.frequency.value = accent ? CLICK.accentHz : CLICK.beatHz;
      envelope.gain.setValueAtTime(accent ? CLICK.accentGain : CLICK.beatGain, time);
      envelope.gain.exponentialRampToValueAtTime(0.0001, time + CLICK.seconds);
      oscillator.connect(envelope).connect(master);
      oscillator.start(time);
      oscillator.stop(time + CLICK.seconds);
      oscillator.onended = () => envelope.disconnect();
      return () => {
        try { oscillator.stop(); } catch { /* already ended */ }
        envelope.disconnect();
      };
    },
    level() {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      return Math.sqrt(sum / samples.length);
    },
  };
  exposeLevel(engine);
  return engine;
}

declare global {
  interface Window {
    /** RMS of the output now, 0…1 (0 before the engine runs): what the end-to-end tests
     * and the benchmark read, since Chromium runs them with --mute-audio. */
    __ariaforgeAudioLevel?: () => number;
    /** The AudioContext's state ("none" before it exists). */
    __ariaforgeAudioState?: () => string;
  }
}

function exposeLevel(engine: Engine): void {
  window.__ariaforgeAudioLevel = () => engine.level();
  window.__ariaforgeAudioState = () => engine.context.state;
}

/** The engine, created once per page (a failure can be retried). */
export function loadEngine(progress: Progress = () => {}): Promise<Engine> {
  enginePromise ??= createEngine(progress);
  enginePromise.catch(() => { enginePromise = null; });
  return enginePromise;
}

/** The engine if it is already running, without starting it. */
let ready: Engine | null = null;
export function readyEngine(): Engine | null { return ready; }
export async function startEngine(progress?: Progress): Promise<Engine> {
  const engine = await loadEngine(progress);
  ready = engine;
  if (engine.context.state !== "running") await engine.context.resume();
  return engine;
}
