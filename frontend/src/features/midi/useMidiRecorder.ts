"use client";
/** Recording a take from MIDI into a track. Record starts at the playhead: with the
 * in-browser player it plays the song from there (and the take is timed against the
 * moment playback began); without it, a clock runs from the playhead at the score's tempo
 * (moving the playhead). Notes played are heard at once (through `audition`) whether or not
 * a take is recording. Stop turns the take into notes (quantized if asked) and saves them
 * as one edit: one undo step. */
import { useCallback, useEffect, useRef, useState } from "react";

import type { Score, Track } from "@/api/types";
import { newNoteId } from "@/features/editor/undo";
import type { NoteEditing } from "@/features/editor/useNoteEditing";
import { usePlayer } from "@/features/playback/api";
import { usePlayhead } from "@/features/workspace/state";
import { barLayout, scoreEnd } from "@/lib/geometry";
import { quantizeNotes, type QuantizeOptions } from "@/lib/quantize";

import { NoteAssembler, notesToTicks, tempoClock, type MidiEvent } from "./messages";

export interface MidiRecorder {
  recording: boolean;
  /** Notes played in the current take so far. */
  taken: number;
  start(): Promise<void>;
  stop(): Promise<number>;
  /** Give every played note to the recorder (and to the ears). */
  onEvent(event: MidiEvent, atMs: number): void;
}

interface Take {
  /** The track the take goes into (the one selected when Record was pressed). */
  trackId: string;
  fromTick: number;
  startMs: number;
  notes: NoteAssembler;
  startedPlayer: boolean;
}

export function useMidiRecorder({ score, track, editing, canEdit, quantize }: {
  score: Score | null;
  track: Track | null;
  editing: NoteEditing;
  canEdit: boolean;
  /** Options to quantize the take with on stop, or null to keep it as played. */
  quantize: QuantizeOptions | null;
}): MidiRecorder {
  const player = usePlayer();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const [recording, setRecording] = useState(false);
  const [taken, setTaken] = useState(0);
  const take = useRef<Take | null>(null);
  const latest = useRef({ score, track, editing, canEdit, quantize, player, playheadTick,
                          setPlayheadTick });
  latest.current = { score, track, editing, canEdit, quantize, player, playheadTick,
                     setPlayheadTick };

  const onEvent = useCallback((event: MidiEvent, atMs: number) => {
    const { track: current, player: p } = latest.current;
    if (event.kind === "on" && current) {
      p.audition({ pitch: event.pitch, velocity: event.velocity, program: current.program ?? 0,
                   isDrum: Boolean(current.is_drum), durationMs: 600 });
    }
    const t = take.current;
    if (!t) return;
    t.notes.handle(event, atMs - t.startMs);
    if (event.kind === "on") setTaken((n) => n + 1);
  }, []);

  const start = useCallback(async () => {
    const { canEdit: allowed, track: current, score: s, player: p } = latest.current;
    if (!allowed || !current?.id || !s || take.current) return;
    const trackId = current.id;
    const fromTick = Math.max(0, Math.round(latest.current.playheadTick ?? 0));
    let startedPlayer = false;
    if (p.status !== "error") {
      try {
        await p.play({ fromTick });
        startedPlayer = true;
      } catch {
        // No sound: the clock below still times the take.
      }
    }
    take.current = { trackId, fromTick, startMs: performance.now(), notes: new NoteAssembler(),
                     startedPlayer };
    setTaken(0);
    setRecording(true);
  }, []);

  // Without the player moving the playhead, move it with the take's clock.
  useEffect(() => {
    if (!recording) return;
    const t = take.current;
    const s = latest.current.score;
    if (!t || !s) return;
    const clock = tempoClock(t.fromTick, s.tempo ?? 120, s.tempo_changes ?? []);
    let frame = 0;
    const tick = () => {
      if (!latest.current.player.playing) {
        latest.current.setPlayheadTick(Math.round(clock(performance.now() - t.startMs)));
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [recording]);

  const stop = useCallback(async () => {
    const t = take.current;
    if (!t) return 0;
    take.current = null;
    setRecording(false);
    const { score: s, editing: e, quantize: q, player: p } = latest.current;
    if (t.startedPlayer) p.stop();
    const played = t.notes.finish(performance.now() - t.startMs);
    if (!s || played.length === 0) return 0;
    const bars = barLayout(s);
    const clock = tempoClock(t.fromTick, s.tempo ?? 120, s.tempo_changes ?? []);
    const ticked = notesToTicks(played, clock, scoreEnd(bars))
      .map((n) => ({ ...n, id: newNoteId() }));
    const end = scoreEnd(bars);
    const moved = q ? quantizeNotes(ticked, q, bars) : new Map();
    const notes = ticked.map((n) => {
      const change = moved.get(n.id);
      if (!change) return n;
      const startTick = Math.min(change.start, end - 1);
      return { ...n, start: startTick, duration: Math.max(1, Math.min(change.duration,
                                                                      end - startTick)) };
    });
    if (notes.length === 0) return 0;
    const ok = await e.apply(notes.map((n) => ({
      op: "add" as const, id: n.id, track_id: t.trackId, pitch: n.pitch, start: n.start,
      duration: n.duration, velocity: n.velocity })),
      `Record ${notes.length} note${notes.length === 1 ? "" : "s"}`);
    return ok ? notes.length : 0;
  }, []);

  return { recording, taken, start, stop, onEvent };
}
