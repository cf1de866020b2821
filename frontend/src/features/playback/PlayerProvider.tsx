"use client";
/** Fills the `Player` contract (api.ts) with the in-browser synthesizer: plays the
 * workspace's score (following edits made while it plays), or a score given as a prop
 * (the public listen page) or to `play()` (a version, a take), from the playhead, with
 * the listener's mute/solo, the metronome, a count-in and a loop; feeds the workspace
 * playhead from the audio clock; sounds single notes for the editors.
 *
 * Works inside `WorkspaceProvider` (reads the score, mix, playhead and listener mix from
 * it) and outside it (a `score` prop, no playhead to feed). */
import {
  type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState,
} from "react";

import type { MixSettings, Score } from "@/api/types";
import { useListenerMix } from "@/features/transport/listenerMix";
import {
  PlayheadContext, ProjectContext, ScoreContext,
} from "@/features/workspace/state/contexts";

import {
  type AuditionNote, type LoopRegion, type Player, PlayerContext, type PlayOptions,
} from "./api";
import { useSamplePreload } from "./clipPlayer";
import { type Engine, readyEngine, soundFontBytes, startEngine } from "./engine";
import { AUDITION_CHANNEL, AUDITION_DRUM_CHANNEL, type Heard, scoreEndTick,
         scoreFlags } from "./schedule";
import { Scheduler, type Source } from "./scheduler";
import { loadSettings, saveSettings } from "./settings";

type TickListener = (tick: number | null) => void;

interface Run {
  /** A score given to play(): played as it was, not followed. */
  fixed: Score | null;
  muted?: ReadonlySet<string>;
  soloed?: ReadonlySet<string>;
}

const EMPTY_TRACKS: never[] = [];
type Controller = Parameters<Engine["synth"]["controllerChange"]>[1];
const AUDITION_CC = { reset: 121, volume: 7, expression: 11, pan: 10 } as
  Record<"reset" | "volume" | "expression" | "pan", Controller>;

export function PlayerProvider({ score: scoreProp = null, mix: mixProp = null, children }: {
  score?: Score | null;
  mix?: MixSettings | null;
  children: ReactNode;
}) {
  const project = useContext(ProjectContext);
  const workspace = useContext(ScoreContext);
  const playhead = useContext(PlayheadContext);
  const score = scoreProp ?? workspace?.score ?? null;
  const mix = mixProp ?? workspace?.mix ?? null;
  const tracks = score?.tracks ?? EMPTY_TRACKS;
  const { mix: listener } = useListenerMix(project?.projectId ?? "", tracks);
  // Inside a project the listener's own mute/solo; elsewhere the score's flags.
  const heard: Heard = project ? listener : scoreFlags(tracks);
  // Audio-track samples download ahead of Play (decoded when the engine plays them).
  useSamplePreload(score);

  const [status, setStatus] = useState<Player["status"]>("idle");
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [loadProgress, setLoadProgress] = useState(0);
  const [metronome, setMetronomeState] = useState(false);
  const [countInBars, setCountInState] = useState(0);
  const [loop, setLoopState] = useState<LoopRegion | null>(null);

  const scheduler = useRef<Scheduler | null>(null);
  const run = useRef<Run | null>(null);
  const listeners = useRef(new Set<TickListener>());
  const sent = useRef<number[]>([]);  // playhead ticks this provider set lately
  // The newest values, for callbacks that must stay stable.
  const live = useRef({ score, mix, heard, playhead, metronome, countInBars, loop });
  live.current = { score, mix, heard, playhead, metronome, countInBars, loop };

  useEffect(() => {
    const saved = loadSettings();
    setMetronomeState(saved.metronome);
    setCountInState(saved.countInBars);
  }, []);

  const emit = useCallback((tick: number | null) => {
    for (const listener of listeners.current) listener(tick);
  }, []);

  const subscribeTick = useCallback((listener: TickListener) => {
    listeners.current.add(listener);
    return () => { listeners.current.delete(listener); };
  }, []);

  const progress = useCallback((fraction: number) => {
    setLoadProgress((old) => (fraction >= 1 || fraction - old >= 0.02 ? fraction : old));
  }, []);

  const engine = useCallback(async (): Promise<Engine> => {
    const running = readyEngine();
    if (running && running.context.state === "running") return running;
    if (!running) setStatus("loading");
    try {
      const started = await startEngine(progress);
      setStatus("ready");
      setError(null);
      return started;
    } catch (failure) {
      setStatus("error");
      setError(failure instanceof Error ? failure.message : "the browser cannot play audio");
      throw failure;
    }
  }, [progress]);

  const sourceFor = useCallback((current: Run): Source | null => {
    const { score: liveScore, mix: liveMix, heard: liveHeard } = live.current;
    const played = current.fixed ?? liveScore;
    if (!played) return null;
    const flags = current.fixed ? scoreFlags(current.fixed.tracks ?? []) : liveHeard;
    return { score: played, mix: current.fixed ? null : liveMix,
             heard: { mute: current.muted ?? flags.mute, solo: current.soloed ?? flags.solo } };
  }, []);

  const onTick = useCallback((tick: number) => {
    if (!run.current?.fixed && live.current.playhead) {
      sent.current = [...sent.current.slice(-15), tick];
      live.current.playhead.setPlayheadTick(tick);
    }
    emit(tick);
  }, [emit]);

  const stop = useCallback(() => {
    scheduler.current?.stop();
    run.current = null;
    setPlaying(false);
    emit(null);
  }, [emit]);

  const begin = useCallback(async (current: Run, fromTick: number) => {
    const ready = await engine();
    const source = sourceFor(current);
    if (!source) return;
    scheduler.current ??= new Scheduler(ready, {
      onTick,
      onEnded: (end) => {
        run.current = null;
        setPlaying(false);
        emit(null);
        if (live.current.playhead && !current.fixed) live.current.playhead.setPlayheadTick(end);
      },
    });
    const player = scheduler.current;
    player.loop = live.current.loop;
    player.metronome = live.current.metronome;
    const end = scoreEndTick(source.score);
    const from = fromTick >= end ? (live.current.loop?.startTick ?? 0) : Math.max(0, fromTick);
    run.current = current;
    player.start(source, from, live.current.countInBars);
    setPlaying(true);
  }, [engine, sourceFor, onTick, emit]);

  const play = useCallback(async (options: PlayOptions = {}, fixed: Score | null = null) => {
    const here = live.current.playhead?.playheadTick ?? null;
    const from = options.fromTick ?? (fixed ? 0 : here ?? live.current.loop?.startTick ?? 0);
    await begin({ fixed, muted: options.muted, soloed: options.soloed }, from);
  }, [begin]);

  const prepare = useCallback(async () => { await engine(); }, [engine]);

  const audition = useCallback((note: AuditionNote) => {
    void engine().then(({ synth, context }) => {
      const channel = note.isDrum ? AUDITION_DRUM_CHANNEL : AUDITION_CHANNEL;
      const pitch = Math.min(127, Math.max(0, Math.round(note.pitch)));
      // The channel's state is set every time: a stop or a reset may have changed it.
      synth.controllerChange(channel, AUDITION_CC.reset, 0);
      synth.controllerChange(channel, AUDITION_CC.volume, 110);
      synth.controllerChange(channel, AUDITION_CC.expression, 127);
      synth.controllerChange(channel, AUDITION_CC.pan, 64);
      synth.programChange(channel, Math.min(127, Math.max(0, note.program)));
      synth.noteOn(channel, pitch, Math.min(127, Math.max(1, note.velocity ?? 96)));
      synth.noteOff(channel, pitch,
                    { time: context.currentTime + (note.durationMs ?? 400) / 1000 });
    }).catch(() => { /* status and error say why */ });
  }, [engine]);


  const setMetronome = useCallback((on: boolean) => {
    setMetronomeState(on);
    scheduler.current?.setMetronome(on);
    saveSettings({ metronome: on });
  }, []);

  const setCountInBars = useCallback((bars: number) => {
    const value = Math.min(2, Math.max(0, Math.round(bars)));
    setCountInState(value);
    saveSettings({ countInBars: value });
  }, []);

  const setLoop = useCallback((region: LoopRegion | null) => {
    const valid = region && region.endTick > region.startTick ? region : null;
    setLoopState(valid);
    if (scheduler.current) scheduler.current.loop = valid;
  }, []);

  // Edits, mute/solo and mix changes while the workspace's score plays: heard from the
  // scheduler's horizon on.
  useEffect(() => {
    const current = run.current;
    if (!current || current.fixed || !scheduler.current?.playing) return;
    const source = sourceFor(current);
    if (source) scheduler.current.update(source);
  }, [score, mix, heard, sourceFor]);

  // The playhead placed elsewhere (a click on a ruler) while playing: play on from there.
  const placed = playhead?.playheadTick ?? null;
  useEffect(() => {
    const current = run.current;
    if (placed === null || !current || current.fixed || sent.current.includes(placed)) return;
    sent.current = [];
    void begin(current, placed);
  }, [placed, begin]);

  // The SoundFont's bytes load with the page; the audio engine starts at the first
  // gesture (browsers refuse sound before one), so Play only resumes it.
  useEffect(() => {
    soundFontBytes(progress).catch(() => { /* the first play reports it */ });
    const onGesture = () => { void prepare().catch(() => {}); };
    window.addEventListener("pointerdown", onGesture, { once: true, capture: true });
    window.addEventListener("keydown", onGesture, { once: true, capture: true });
    return () => {
      window.removeEventListener("pointerdown", onGesture, { capture: true });
      window.removeEventListener("keydown", onGesture, { capture: true });
    };
  }, [prepare, progress]);

  useEffect(() => () => { scheduler.current?.stop(); }, []);

  const player = useMemo<Player>(() => ({
    status, error, playing, prepare, play, stop, audition, metronome, setMetronome,
    countInBars, setCountInBars, loop, setLoop, subscribeTick, loadProgress,
  }), [status, error, playing, prepare, play, stop, audition, metronome, setMetronome,
       countInBars, setCountInBars, loop, setLoop, subscribeTick, loadProgress]);

  return <PlayerContext.Provider value={player}>{children}</PlayerContext.Provider>;
}
