"use client";
/** Plays a score on the engine with a look-ahead scheduler (the "two clocks" pattern): every
 * 25 ms it hands the synthesizer the notes, controller changes and clicks of the next
 * ~120 ms, each stamped with its audio-clock time, so timing is sample-accurate while
 * everything later is still read from the score as it is *then*. An edit made while
 * playing is therefore heard within about a tenth of a second, and a tempo change applies
 * from the scheduling horizon on.
 *
 * Stopping: events already handed over cannot be withdrawn from spessasynth's queue, so
 * a stop turns the played channels' volume to 0 at once and sends "all sound off" just
 * after the horizon; the next start begins after that point (at most ~0.12 s later).
 * Audio-track clips (clipPlayer.ts) are started window by window with the notes and stopped
 * at once by a stop. */
import type { MixSettings, Score } from "@/api/types";
import { tempoMap } from "@/lib/timing";

import type { LoopRegion } from "./api";
import { ClipVoices } from "./clipPlayer";
import type { Engine } from "./engine";
import {
  advance, type Anchor, type ChannelPlan, clicksIn, countIn, DRUM_CHANNEL, type Heard,
  indexNotes, notesIn, type NoteIndex, planChannels, scoreEndTick, type TempoMap,
  tickFromAnchors, timeOf,
} from "./schedule";

export const LOOKAHEAD_S = 0.12;
const INTERVAL_MS = 25;
/** Lead time for the first events, so they reach the audio thread before their block. */
const START_LEAD_S = 0.005;
type Controller = Parameters<Engine["synth"]["controllerChange"]>[1];
const CC = { volume: 7, pan: 10, expression: 11, allSoundOff: 120, resetControllers: 121 } as
  Record<"volume" | "pan" | "expression" | "allSoundOff" | "resetControllers", Controller>;

export interface Source {
  score: Score;
  heard: Heard;
  mix: MixSettings | null;
}

interface Prepared {
  score: Score;
  map: TempoMap;
  index: NoteIndex;
  plan: ChannelPlan[];
  endTick: number;
}

interface PendingOff { channel: number; pitch: number; time: number }

export interface SchedulerEvents {
  /** The tick being heard (each animation frame while playing). */
  onTick(tick: number): void;
  /** Playback reached the end of the piece (not called by `stop`). */
  onEnded(endTick: number): void;
}

function prepare(source: Source): Prepared {
  const { score } = source;
  return { score, map: tempoMap(score), index: indexNotes(score.tracks ?? []),
           plan: planChannels(score.tracks ?? [], source.heard, source.mix),
           endTick: scoreEndTick(score) };
}

export class Scheduler {
  private prepared: Prepared | null = null;
  private cursor: Anchor = { time: 0, tick: 0 };
  private anchors: Anchor[] = [];
  private pending: PendingOff[] = [];
  private clicks: { time: number; cancel: () => void; countIn: boolean }[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private frame = 0;
  private endedAt: number | null = null;
  /** Until when stale events of the last run may still fire (see the module notes). */
  private guardUntil = 0;
  private lastTick = -1;
  loop: LoopRegion | null = null;
  metronome = false;
  /** Audio-track clips (clipPlayer.ts), started window by window like the notes. */
  private readonly clipVoices: ClipVoices;

  constructor(private readonly engine: Engine, private readonly events: SchedulerEvents) {
    this.clipVoices = new ClipVoices(engine);
  }

  get playing(): boolean { return this.timer !== null; }

  /** Starts playing `source` from `fromTick` after `countInBars` bars of clicks. Returns
   * the audio time at which the first note sounds. */
  start(source: Source, fromTick: number, countInBars: number): number {
    this.stop();
    const prepared = prepare(source);
    this.prepared = prepared;
    this.clipVoices.load(source.score, source.heard, source.mix);
    const { context } = this.engine;
    const begin = Math.max(context.currentTime + START_LEAD_S, this.guardUntil);
    this.applyPlan(prepared.plan, null, begin);
    const count = countIn(prepared.score, prepared.map, fromTick, countInBars);
    for (const click of count.clicks) this.addClick(begin + click.offset, click.accent, true);
    this.cursor = { time: begin + count.seconds, tick: fromTick };
    this.anchors = [this.cursor];
    this.strikeSounding(prepared, fromTick, this.cursor.time);
    this.endedAt = null;
    this.lastTick = -1;
    this.pass();
    this.timer = setInterval(() => this.pass(), INTERVAL_MS);
    const step = () => { this.report(); this.frame = requestAnimationFrame(step); };
    this.frame = requestAnimationFrame(step);
    return this.cursor.time;
  }

  /** The score (or the listener's mute/solo, or the mix) changed while playing: read from
   * the horizon on, and apply channel changes (program, volume, pan, mute) at once. */
  update(source: Source): void {
    if (!this.prepared) return;
    const next = prepare(source);
    this.applyPlan(next.plan, this.prepared.plan, null);
    this.clipVoices.load(source.score, source.heard, source.mix);
    this.prepared = next;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    cancelAnimationFrame(this.frame);
    const { synth, context } = this.engine;
    const now = context.currentTime;
    for (const click of this.clicks) if (click.time > now) click.cancel();
    this.clicks = [];
    this.clipVoices.stopAll();
    const channels = new Set((this.prepared?.plan ?? []).map((p) => p.channel));
    for (const channel of channels) {
      synth.controllerChange(channel, CC.volume, 0);
      synth.controllerChange(channel, CC.allSoundOff, 0);
    }
    const horizon = Math.max(this.cursor.time, now) + 0.005;
    for (const channel of channels) {
      synth.controllerChange(channel, CC.allSoundOff, 0, { time: horizon });
    }
    this.guardUntil = horizon + 0.003;
    this.pending = [];
    this.prepared = null;
  }

  /** Turns the metronome on or off; clicks already handed over are withdrawn when off. */
  setMetronome(on: boolean): void {
    this.metronome = on;
    if (on) return;
    const now = this.engine.context.currentTime;
    for (const click of this.clicks) if (click.time > now && !click.countIn) click.cancel();
  }

  private addClick(time: number, accent: boolean, countIn = false): void {
    this.clicks.push({ time, cancel: this.engine.click(time, accent), countIn });
  }

  /** Program, drum mode, volume and pan per channel; only what changed when `previous`. */
  private applyPlan(plan: ChannelPlan[], previous: ChannelPlan[] | null, time: number | null) {
    const { synth } = this.engine;
    const options = time === null ? undefined : { time };
    this.engine.ensureChannels(Math.max(0, ...plan.map((p) => p.channel + 1)));
    const before = new Map((previous ?? []).map((p) => [p.channel, p]));
    for (const entry of plan) {
      const old = before.get(entry.channel);
      if (!old || old.isDrum !== entry.isDrum) {
        if (entry.channel !== DRUM_CHANNEL) synth.midiChannels[entry.channel]?.setDrums(entry.isDrum);
      }
      if (!old) {
        synth.controllerChange(entry.channel, CC.resetControllers, 0, options);
        synth.controllerChange(entry.channel, CC.expression, 127, options);
      }
      if (!old || old.program !== entry.program || old.isDrum !== entry.isDrum) {
        synth.programChange(entry.channel, entry.program, options);
      }
      if (!old || old.volume !== entry.volume) {
        synth.controllerChange(entry.channel, CC.volume, entry.volume, options);
      }
      if (!old || old.pan !== entry.pan) {
        synth.controllerChange(entry.channel, CC.pan, entry.pan, options);
      }
    }
  }

  private noteOn(channel: number, pitch: number, velocity: number, on: number, off: number) {
    this.engine.synth.noteOn(channel, pitch, velocity, { time: on });
    this.pending.push({ channel, pitch, time: Math.max(off, on + 0.001) });
  }

  private strikeSounding(prepared: Prepared, tick: number, time: number) {
    const anchor = { time, tick };
    for (const entry of prepared.plan) {
      if (!entry.audible) continue;
      for (const note of notesIn(prepared.index.get(entry.trackId) ?? [], tick, tick, true)) {
        this.noteOn(entry.channel, note.pitch, note.velocity, time,
                    timeOf(prepared.map, anchor, note.end));
      }
    }
  }

  /** One scheduling pass: everything due before the horizon. */
  private pass(): void {
    const prepared = this.prepared;
    if (!prepared) return;
    const { context } = this.engine;
    const now = context.currentTime;
    const until = now + LOOKAHEAD_S;
    if (this.endedAt === null && this.cursor.time < until) {
      const step = advance(prepared.map, this.cursor, until, this.loop, prepared.endTick);
      for (const span of step.spans) {
        const anchor = { time: span.time, tick: span.from };
        this.anchors.push(anchor);
        if (span.restart) {
          // Looping back: what still sounds is released at the loop's end, then the notes
          // sounding at the loop's start are struck again.
          for (const off of this.pending) off.time = Math.min(off.time, span.time);
          this.strikeSounding(prepared, span.from, span.time);
          this.clipVoices.restart(span.time);
          continue;
        }
        for (const entry of prepared.plan) {
          if (!entry.audible) continue;
          for (const note of notesIn(prepared.index.get(entry.trackId) ?? [], span.from,
                                     span.to)) {
            this.noteOn(entry.channel, note.pitch, note.velocity,
                        timeOf(prepared.map, anchor, note.start),
                        timeOf(prepared.map, anchor, note.end));
          }
        }
        this.clipVoices.schedule(prepared.map, anchor, span.to);
        if (this.metronome) {
          for (const click of clicksIn(prepared.score, span.from, span.to)) {
            this.addClick(timeOf(prepared.map, anchor, click.tick), click.accent);
          }
        }
      }
      this.cursor = step.cursor;
      if (step.ended) this.endedAt = step.cursor.time;
      // Only the anchors the playhead may still need.
      let keepFrom = 0;
      this.anchors.forEach((a, i) => { if (a.time <= now - 0.5) keepFrom = i; });
      if (keepFrom > 0) this.anchors = this.anchors.slice(keepFrom);
    }
    const horizon = this.endedAt === null ? until : Infinity;
    const due = this.pending.filter((off) => off.time <= horizon);
    if (due.length) {
      this.pending = this.pending.filter((off) => off.time > horizon);
      for (const off of due) {
        const time = this.endedAt === null ? off.time : Math.min(off.time, this.endedAt);
        this.engine.synth.noteOff(off.channel, off.pitch, { time });
      }
    }
    this.clicks = this.clicks.filter((click) => click.time > now - 1);
    if (this.endedAt !== null && now >= this.endedAt) {
      const end = prepared.endTick;
      this.stop();
      this.events.onEnded(end);
    }
  }

  /** The tick being heard now: the audio clock minus the output's latency. */
  heardTick(): number | null {
    const prepared = this.prepared;
    if (!prepared) return null;
    const { context } = this.engine;
    const stamp = context.getOutputTimestamp?.().contextTime;
    const latency = context.outputLatency || context.baseLatency || 0;
    const heard = typeof stamp === "number" && stamp > 0 ? stamp : context.currentTime - latency;
    return tickFromAnchors(prepared.map, this.anchors, heard);
  }

  private report(): void {
    const tick = this.heardTick();
    if (tick === null) return;
    const rounded = Math.round(tick);
    if (rounded === this.lastTick) return;
    this.lastTick = rounded;
    this.events.onTick(rounded);
  }
}
