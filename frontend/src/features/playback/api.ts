/** The in-browser player's contract, shared by the transport, the editors, the instrument
 * picker, history previews, takes and the public listen page. `PlayerProvider` (in this
 * folder) fills it with a SoundFont synthesizer running in the browser; without a provider
 * (component tests, pages that do not play) every call is a harmless no-op. */
import { createContext, useContext } from "react";

import type { Score } from "@/api/types";

export interface AuditionNote {
  pitch: number;
  /** 1–127; 96 when omitted. */
  velocity?: number;
  /** The GM program (0–127) to sound with; ignored for drums. */
  program: number;
  isDrum: boolean;
  /** How long the note sounds; 400 ms when omitted. */
  durationMs?: number;
}

export interface LoopRegion {
  startTick: number;
  endTick: number;
}

export interface PlayOptions {
  /** Where to start, in ticks (the playhead's tick when omitted, else 0). */
  fromTick?: number;
  /** Tracks to leave silent / to play alone (the listener's mute/solo). */
  muted?: ReadonlySet<string>;
  soloed?: ReadonlySet<string>;
}

export interface Player {
  /** "idle" before the SoundFont is asked for; "loading" while it downloads (cached by the
   * browser afterwards); "ready"; "error" when the browser cannot play (message says why). */
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  playing: boolean;
  /** Starts loading the SoundFont and the audio engine (also done by the first play). */
  prepare(): Promise<void>;
  /** Plays the workspace's current score (or `score` when given: a version, a take, a
   * shared song), following edits made while it plays. */
  play(options?: PlayOptions, score?: Score | null): Promise<void>;
  stop(): void;
  /** Sounds one note at once (placing or clicking a note, auditioning an instrument). */
  audition(note: AuditionNote): void;
  metronome: boolean;
  setMetronome(on: boolean): void;
  /** Bars of count-in before playback starts (0 = none). */
  countInBars: number;
  setCountInBars(bars: number): void;
  loop: LoopRegion | null;
  setLoop(region: LoopRegion | null): void;
  /** The audio clock as a tick, many times a second while playing (null when stopped);
   * returns the unsubscribe call. For views that follow the playhead without re-rendering
   * (`useFollowPlayhead`) and pages outside the workspace. Absent in `SILENT_PLAYER`. */
  subscribeTick?(listener: (tick: number | null) => void): () => void;
  /** SoundFont download progress, 0–1, while `status` is "loading". */
  loadProgress?: number;
}

const noop = (): void => {};
const resolved = async (): Promise<void> => {};

export const SILENT_PLAYER: Player = {
  status: "idle", error: null, playing: false, prepare: resolved, play: resolved,
  stop: noop, audition: noop, metronome: false, setMetronome: noop, countInBars: 0,
  setCountInBars: noop, loop: null, setLoop: noop,
};

export const PlayerContext = createContext<Player>(SILENT_PLAYER);

export const usePlayer = (): Player => useContext(PlayerContext);

/** The call the editors and the instrument picker use to make a note sound. */
export const useAudition = (): Player["audition"] => useContext(PlayerContext).audition;
