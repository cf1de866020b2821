"use client";
/** The transport: plays the server's MP3 preview of the current score (re-fetched when the
 * score, the mix or this listener's own mute/solo changes), drives the shared playhead from the audio clock through the
 * score's tempo map, loops a section, and toggles with the space bar. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { usePlayhead, useProject, useScore } from "@/features/workspace/state";
import { barToTick, formatTime, secondsToTick, tempoAt, tempoMap, tickToBar,
         tickToSeconds } from "@/lib/timing";

import { useListenerMix } from "./listenerMix";
import { spaceBelongsTo } from "./space";
import styles from "./Transport.module.css";
import { usePreview } from "./usePreview";

export function Transport() {
  const { projectId } = useProject();
  const { score, scoreVersion } = useScore();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  // Read inside the preview effect, which runs on scoreVersion, not on every score object.
  const hasNotes = useRef(false);
  hasNotes.current = (score?.tracks ?? []).some((track) => (track.notes ?? []).length > 0);
  const audioRef = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [loopIndex, setLoopIndex] = useState(-1);

  const resume = useRef<{ time: number; play: boolean } | null>(null);
  const wantPlay = useRef(false);
  const sent = useRef<number[]>([]);  // the playhead ticks this component set lately
  const tracks = useMemo(() => score?.tracks ?? [], [score?.tracks]);
  // Mute and solo are this listener's own: the preview is rendered with them.
  const { query: listen } = useListenerMix(projectId, tracks);
  const { src, preview, previewError, retry } = usePreview({ projectId, scoreVersion, listen,
                                                          hasNotes, audioRef, resume });

  const map = useMemo(() => (score ? tempoMap(score) : null), [score]);
  const sections = score?.sections ?? [];
  const loop = loopIndex >= 0 ? sections[loopIndex] : undefined;
  const loopRange = useMemo(() => {
    if (!score || !loop || !map) return null;
    const startTick = barToTick(score, loop.start_bar);
    const endTick = barToTick(score, loop.start_bar + loop.bars);
    return { startTick, endTick, start: tickToSeconds(map, startTick),
             end: tickToSeconds(map, endTick) };
  }, [score, loop, map]);

  // The newest values, for the animation-frame loop and the key handler.
  const live = useRef({ map, loopRange, setPlayheadTick });
  useEffect(() => { live.current = { map, loopRange, setPlayheadTick }; },
            [map, loopRange, setPlayheadTick]);


  const report = useCallback((seconds: number) => {
    const { map: tempo, setPlayheadTick: set } = live.current;
    if (!tempo) return;
    const tick = secondsToTick(tempo, seconds);
    sent.current = [...sent.current.slice(-15), tick];
    set(tick);
  }, []);

  // The playhead follows the audio clock every animation frame while playing.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const step = () => {
      const audio = audioRef.current;
      if (audio) {
        const range = live.current.loopRange;
        if (range && audio.currentTime >= range.end - 0.01) audio.currentTime = range.start;
        setTime(audio.currentTime);
        report(audio.currentTime);
      }
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, report]);

  // A playhead moved by someone else (e.g. a click in the editor) seeks the audio.
  useEffect(() => {
    if (playheadTick === null || !map || sent.current.includes(playheadTick)) return;
    const audio = audioRef.current;
    if (!audio || !audio.src) return;
    const seconds = tickToSeconds(map, playheadTick);
    if (Number.isFinite(seconds) && Math.abs(audio.currentTime - seconds) > 0.05) {
      audio.currentTime = Math.min(seconds, audio.duration || seconds);
      setTime(audio.currentTime);
    }
  }, [playheadTick, map]);

  const play = useCallback(async () => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!audio.src || audio.readyState < 1) {
      wantPlay.current = true;  // starts as soon as the preview has loaded
      return;
    }
    const range = live.current.loopRange;
    if (range && (audio.currentTime < range.start || audio.currentTime >= range.end)) {
      audio.currentTime = range.start;
    } else if (audio.ended) {
      audio.currentTime = 0;
    }
    try {
      await audio.play();
    } catch {
      // The browser refused (autoplay policy) or the source changed meanwhile.
    }
  }, []);

  const pause = useCallback(() => {
    wantPlay.current = false;
    audioRef.current?.pause();
  }, []);

  const toggle = useCallback(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.paused && !wantPlay.current) void play();
    else pause();
  }, [play, pause]);

  const stop = useCallback(() => {
    pause();
    const audio = audioRef.current;
    if (audio) audio.currentTime = live.current.loopRange?.start ?? 0;
    setTime(audio?.currentTime ?? 0);
    sent.current = [];
    live.current.setPlayheadTick(null);
  }, [pause]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.code !== "Space" && event.key !== " ") return;
      if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey
          || event.metaKey || spaceBelongsTo(event.target)) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggle]);

  const onLoaded = () => {
    const audio = audioRef.current;
    if (!audio) return;
    setDuration(Number.isFinite(audio.duration) ? audio.duration : 0);
    const previous = resume.current;
    resume.current = null;
    if (previous) {
      audio.currentTime = Math.min(previous.time, audio.duration || previous.time);
      setTime(audio.currentTime);
    }
    if (previous?.play || wantPlay.current) {
      wantPlay.current = false;
      void play();
    }
  };

  const seek = (seconds: number) => {
    const audio = audioRef.current;
    if (!audio || !audio.src) return;
    audio.currentTime = seconds;
    setTime(seconds);
    report(seconds);
  };

  const chooseLoop = (index: number) => {
    setLoopIndex(index);
    const section = index >= 0 ? sections[index] : undefined;
    if (section && score && map) {
      const audio = audioRef.current;
      const start = tickToSeconds(map, barToTick(score, section.start_bar));
      if (audio && audio.src && audio.paused) seek(start);
    }
  };

  const tick = playheadTick ?? 0;
  const bpm = map ? tempoAt(map, tick) : score?.tempo ?? 120;
  const bar = score ? tickToBar(score, tick) : 1;
  const meter = score?.meter ? `${score.meter.numerator ?? 4}/${score.meter.denominator ?? 4}`
    : "4/4";
  const loading = preview === "loading";
  const unavailable = (preview === "empty" || preview === "error") && !src;

  return (
    <div className={styles.transport}>
      {/* The preview's audio; controlled by the buttons below. */}
      <audio ref={audioRef} src={src ?? undefined} preload="auto"
             onLoadedMetadata={onLoaded}
             onDurationChange={(e) => setDuration(Number.isFinite(e.currentTarget.duration)
                                                  ? e.currentTarget.duration : 0)}
             onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)}
             onEnded={() => { setPlaying(false); setTime(duration); }} />
      <div className={styles.buttons}>
        <button type="button" className={`primary ${styles.play}`} data-testid="play"
                onClick={toggle} disabled={unavailable}
                aria-keyshortcuts="Space"
                title={playing ? "Pause (space)" : "Play (space)"}>
          <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span>
          <span>{playing ? "Pause" : "Play"}</span>
        </button>
        <button type="button" onClick={stop} disabled={unavailable} aria-label="Stop"
                title="Stop and return to the start">
          <span aria-hidden="true">■</span>
        </button>
      </div>
      <label className={styles.position}>
        <span className="sr-only">Position</span>
        <input type="range" min={0} max={Math.max(duration, 0.1)} step={0.1}
               value={Math.min(time, duration || 0)} disabled={!src}
               aria-valuetext={`${formatTime(time)} of ${formatTime(duration)}`}
               onChange={(e) => seek(Number(e.target.value))} />
      </label>
      <span className={styles.time}>
        {formatTime(time)} / {formatTime(duration)}
      </span>
      <span className={styles.facts}>
        <span title="Tempo">♩ = {Math.round(bpm)}</span>
        <span title="Meter">{meter}</span>
        <span title="Bar">bar {bar}</span>
      </span>
      <label className={styles.loop}>
        <span>Loop</span>
        <select value={loopIndex} onChange={(e) => chooseLoop(Number(e.target.value))}
                disabled={!sections.length}>
          <option value={-1}>Off</option>
          {sections.map((s, index) => (
            <option key={`${s.name}-${index}`} value={index}>
              {s.name} ({s.start_bar}–{s.start_bar + s.bars - 1})
            </option>
          ))}
        </select>
      </label>
      <span className={styles.state} role="status">
        {loading ? (
          <span className={styles.rendering}>
            <progress aria-label="Rendering the preview" />
            Rendering preview…
          </span>
        ) : preview === "empty" ? (
          <span className="muted">{previewError}</span>
        ) : preview === "error" ? (
          <span className="error">
            {previewError}{" "}
            <button type="button" onClick={retry}>Retry</button>
          </span>
        ) : null}
      </span>
    </div>
  );
}
