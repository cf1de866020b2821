"use client";
/** The transport: Play sounds the score at once in the browser (the SoundFont synthesizer
 * of features/playback), from the playhead, with the metronome, a count-in and a loop;
 * the space bar toggles it. "Hi-fi preview" switches to the server's render, which adds
 * what the browser cannot reproduce (the mix's effects, balance, loudness, limiter). */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { useComposing } from "@/features/brief/composing";
import { usePlayer } from "@/features/playback/api";
import { scoreEndTick } from "@/features/playback/schedule";
import { usePlayhead, useProject, useScore } from "@/features/workspace/state";
import { PPQ } from "@/lib/ticks";
import { formatTime, tempoAt, tempoMap, tickToBar, tickToSeconds } from "@/lib/timing";

import { type HifiControls, HifiPreview } from "./HifiPreview";
import { LoopControls } from "./LoopControls";
import { spaceBelongsTo } from "./space";
import styles from "./Transport.module.css";

export function Transport() {
  const player = usePlayer();
  const { score } = useScore();
  const { projectId } = useProject();
  // While a composition runs, an empty score is music on its way, not "nothing to play".
  const composing = useComposing(projectId);
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const [hifi, setHifi] = useState(false);
  const hifiControls = useRef<HifiControls | null>(null);

  const map = useMemo(() => (score ? tempoMap(score) : null), [score]);
  const endTick = useMemo(() => (score ? scoreEndTick(score) : 0), [score]);
  const hasNotes = (score?.tracks ?? []).some((track) => (track.notes ?? []).length > 0);
  const { playing, loop } = player;

  const toggle = useCallback(() => {
    if (hifi) { hifiControls.current?.toggle(); return; }
    if (player.playing) player.stop();
    else if (hasNotes) void player.play().catch(() => { /* status shows why */ });
  }, [hifi, player, hasNotes]);

  const stop = () => {
    player.stop();
    setPlayheadTick(loop?.startTick ?? null);
  };

  const toggleHifi = () => {
    if (!hifi) player.stop();
    setHifi(!hifi);
  };

  const live = useRef(toggle);
  useEffect(() => { live.current = toggle; }, [toggle]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.code !== "Space" && event.key !== " ") return;
      if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey
          || event.metaKey || spaceBelongsTo(event.target)) return;
      event.preventDefault();
      live.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const tick = playheadTick ?? 0;
  const bpm = map ? tempoAt(map, tick) : score?.tempo ?? 120;
  const bar = score ? tickToBar(score, tick) : 1;
  const meter = score?.meter ? `${score.meter.numerator ?? 4}/${score.meter.denominator ?? 4}`
    : "4/4";
  const seconds = map ? tickToSeconds(map, Math.min(tick, endTick)) : 0;
  const total = map ? tickToSeconds(map, endTick) : 0;

  return (
    <div className={styles.transport}>
      {hifi ? <HifiPreview loop={loop} controls={hifiControls} /> : (
        <>
          <div className={styles.buttons}>
            <button type="button" className={`primary ${styles.play}`} data-testid="play"
                    onClick={toggle} disabled={!hasNotes} aria-keyshortcuts="Space"
                    data-playing={playing}
                    title={playing ? "Pause (space)" : "Play (space)"}>
              <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span>
              <span>{playing ? "Pause" : "Play"}</span>
            </button>
            <button type="button" onClick={stop} disabled={!hasNotes} aria-label="Stop"
                    data-testid="stop" title="Stop and return to the start">
              <span aria-hidden="true">■</span>
            </button>
          </div>
          <label className={styles.position}>
            <span className="sr-only">Position</span>
            <input type="range" min={0} max={Math.max(endTick, 1)} step={PPQ / 4}
                   value={Math.min(tick, endTick)} disabled={!hasNotes}
                   aria-valuetext={`${formatTime(seconds)} of ${formatTime(total)}`}
                   onChange={(e) => setPlayheadTick(Number(e.target.value))} />
          </label>
          <span className={styles.time}>{formatTime(seconds)} / {formatTime(total)}</span>
        </>
      )}
      <span className={styles.facts}>
        <span title="Tempo">♩ = {Math.round(bpm)}</span>
        <span title="Meter">{meter}</span>
        <span title="Bar">bar {bar}</span>
      </span>
      <LoopControls score={score} loop={loop} setLoop={player.setLoop} />
      <span className={styles.click} role="group" aria-label="Metronome">
        <button type="button" aria-pressed={player.metronome} data-testid="metronome"
                className={player.metronome ? styles.active : undefined}
                onClick={() => player.setMetronome(!player.metronome)}
                title="Click every beat while playing (the bar's first beat accented)">
          Metronome
        </button>
        <label className={styles.countIn}>
          <span>Count-in</span>
          <select value={player.countInBars} data-testid="count-in"
                  onChange={(e) => player.setCountInBars(Number(e.target.value))}>
            <option value={0}>Off</option>
            <option value={1}>1 bar</option>
            <option value={2}>2 bars</option>
          </select>
        </label>
      </span>
      <button type="button" aria-pressed={hifi} data-testid="hifi-preview"
              className={hifi ? styles.active : undefined} onClick={toggleHifi}
              title={hifi ? "Back to instant playback in the browser"
                : "Render on the server, with the mix's effects, balance and loudness "
                  + "(takes a few seconds)"}>
        Hi-fi preview
      </button>
      {!hifi && (
        <span className={styles.state} role="status">
          {!hasNotes && score && composing ? (
            <span className="muted" data-testid="transport-composing">Composing…</span>
          ) : !hasNotes && score ? (
            <span className="muted">Nothing to play yet: generate or import some music.</span>
          ) : player.status === "loading" ? (
            <span className={styles.rendering}>
              <progress aria-label="Loading the instruments" max={1}
                        value={player.loadProgress ?? undefined} />
              Loading instruments…
            </span>
          ) : player.status === "error" ? (
            <span className="error">
              {player.error ?? "This browser cannot play here."} Try the Hi-fi preview.
            </span>
          ) : null}
        </span>
      )}
    </div>
  );
}
