"use client";
/** The "Hi-fi preview": the server's MP3 render of the current score, with what the browser
 * cannot reproduce (the mix's EQ, compressor and reverb, role balance, loudness
 * normalisation, the limiter). Re-fetched when the score, the mix or this listener's own
 * mute/solo changes; drives the shared playhead from the audio clock through the tempo
 * map; loops the player's loop region. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { LoopRegion } from "@/features/playback/api";
import { usePlayhead, useProject, useScore } from "@/features/workspace/state";
import { formatTime, secondsToTick, tempoMap, tickToSeconds } from "@/lib/timing";

import { useListenerMix } from "./listenerMix";
import styles from "./Transport.module.css";
import { usePreview } from "./usePreview";

export interface HifiControls {
  toggle(): void;
}

export function HifiPreview({ loop, controls }: {
  loop: LoopRegion | null;
  /** Filled with the play/pause toggle, for the transport's space bar. */
  controls: { current: HifiControls | null };
}) {
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

  const resume = useRef<{ time: number; play: boolean } | null>(null);
  const wantPlay = useRef(false);
  const sent = useRef<number[]>([]);  // the playhead ticks this component set lately
  const tracks = useMemo(() => score?.tracks ?? [], [score?.tracks]);
  // Mute and solo are this listener's own: the preview is rendered with them.
  const { query: listen } = useListenerMix(projectId, tracks);
  const { src, preview, previewError, retry } = usePreview({ projectId, scoreVersion, listen,
                                                          hasNotes, audioRef, resume });

  const map = useMemo(() => (score ? tempoMap(score) : null), [score]);
  const loopRange = useMemo(() => (loop && map
    ? { start: tickToSeconds(map, loop.startTick), end: tickToSeconds(map, loop.endTick) }
    : null), [loop, map]);

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

  useEffect(() => {
    controls.current = { toggle };
    return () => { controls.current = null; };
  }, [controls, toggle]);

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

  const unavailable = (preview === "empty" || preview === "error") && !src;

  return (
    <>
      {/* The preview's audio; controlled by the buttons below. */}
      <audio ref={audioRef} src={src ?? undefined} preload="auto"
             onLoadedMetadata={onLoaded}
             onDurationChange={(e) => setDuration(Number.isFinite(e.currentTarget.duration)
                                                  ? e.currentTarget.duration : 0)}
             onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)}
             onEnded={() => { setPlaying(false); setTime(duration); }} />
      <div className={styles.buttons}>
        <button type="button" className={`primary ${styles.play}`} data-testid="hifi-play"
                onClick={toggle} disabled={unavailable} aria-keyshortcuts="Space"
                title={playing ? "Pause the hi-fi preview (space)"
                  : "Play the hi-fi preview (space)"}>
          <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span>
          <span>{playing ? "Pause" : "Play hi-fi"}</span>
        </button>
      </div>
      <label className={styles.position}>
        <span className="sr-only">Position in the hi-fi preview</span>
        <input type="range" min={0} max={Math.max(duration, 0.1)} step={0.1}
               value={Math.min(time, duration || 0)} disabled={!src}
               aria-valuetext={`${formatTime(time)} of ${formatTime(duration)}`}
               onChange={(e) => seek(Number(e.target.value))} />
      </label>
      <span className={styles.time}>{formatTime(time)} / {formatTime(duration)}</span>
      <span className={styles.state} role="status">
        {preview === "loading" ? (
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
    </>
  );
}
