/** The server's MP3 preview of the score as an object URL: fetched whenever the score, the
 * mix or this listener's own mute/solo changes (with the ETag, so an unchanged preview
 * answers 304), or not at all when there is nothing to play. */
import { useEffect, useRef, useState, type RefObject } from "react";

import { authorizedFetch } from "@/api/client";
import { describeError, errorFromResponse } from "@/api/errors";
import { MIX_CHANGED_EVENT } from "@/features/mixer/events";

/** How many times a "still rendering" answer is waited out before it is shown. */
const MAX_RENDER_WAITS = 30;
/** A longer Retry-After means the render failed and is retried later: shown, not waited. */
const LONGEST_RENDER_WAIT_S = 10;

/** Milliseconds to wait before asking again, if the answer says the preview is rendering. */
export function renderingDelay(response: Response): number | null {
  if (response.status !== 503) return null;
  const seconds = Number(response.headers.get("Retry-After"));
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > LONGEST_RENDER_WAIT_S) return null;
  return seconds * 1000;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

export type PreviewState = "idle" | "loading" | "ready" | "empty" | "error";

export interface PreviewInput {
  projectId: string;
  scoreVersion: number;
  /** This listener's mute/solo as the preview's query (`listenerQuery`; "" for the score's
   * own flags). */
  listen?: string;
  /** Whether the score has notes, read when the score changes. */
  hasNotes: RefObject<boolean>;
  audioRef: RefObject<HTMLAudioElement | null>;
  /** Set to where the old audio was (and whether it played) when new audio replaces it. */
  resume: RefObject<{ time: number; play: boolean } | null>;
}

export function usePreview({ projectId, scoreVersion, listen = "", hasNotes, audioRef,
                             resume }: PreviewInput) {
  const [src, setSrc] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewState>("idle");
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [mixVersion, setMixVersion] = useState(0);
  const [retries, setRetries] = useState(0);
  const etag = useRef<string | null>(null);
  const srcRef = useRef<string | null>(null);
  useEffect(() => { srcRef.current = src; }, [src]);

  useEffect(() => {
    const onMix = () => setMixVersion((v) => v + 1);
    window.addEventListener(MIX_CHANGED_EVENT, onMix);
    return () => window.removeEventListener(MIX_CHANGED_EVENT, onMix);
  }, []);

  // Fetch the preview whenever the score (or the mix) changes.
  useEffect(() => {
    if (scoreVersion === 0) return;
    if (!hasNotes.current) {  // nothing to render: say so without asking the server
      setPreview("empty");
      setPreviewError("Nothing to play yet: generate or import some music.");
      // The ETag belongs to the audio dropped here: kept, a later identical score would
      // answer 304 and show "ready" with nothing to play.
      etag.current = null;
      setSrc((old) => { if (old) URL.revokeObjectURL(old); return null; });
      return;
    }
    const controller = new AbortController();
    const url = `/api/v1/projects/${projectId}/preview${listen ? `?${listen}` : ""}`;
    setPreview("loading");
    setPreviewError(null);
    (async () => {
      try {
        const headers: Record<string, string> = {};
        // A 304 only helps when there is audio to keep playing.
        if (etag.current && srcRef.current) headers["If-None-Match"] = etag.current;
        let response = await authorizedFetch(url, { headers, signal: controller.signal });
        // The preview renders as a job; while it is still rendering the server answers 503
        // with a short Retry-After. Keep showing "loading" and ask again, for a while.
        for (let waits = 0; waits < MAX_RENDER_WAITS; waits++) {
          const delay = renderingDelay(response);
          if (delay === null || controller.signal.aborted) break;
          await pause(delay, controller.signal);
          if (controller.signal.aborted) return;
          response = await authorizedFetch(url, { headers, signal: controller.signal });
        }
        if (controller.signal.aborted) return;
        if (response.status === 304) {
          setPreview("ready");
          return;
        }
        if (!response.ok) {
          const error = await errorFromResponse(response);
          if (controller.signal.aborted) return;
          etag.current = null;
          setPreview(response.status === 422 ? "empty" : "error");
          setPreviewError(response.status === 422
            ? "Nothing to play yet: generate or import some music."
            : describeError(error));
          setSrc((old) => { if (old) URL.revokeObjectURL(old); return null; });
          return;
        }
        const blob = await response.blob();
        if (controller.signal.aborted) return;
        etag.current = response.headers.get("ETag");
        const audio = audioRef.current;
        resume.current = audio && audio.src ? { time: audio.currentTime, play: !audio.paused }
                                            : null;
        setSrc((old) => {
          if (old) URL.revokeObjectURL(old);
          return URL.createObjectURL(blob);
        });
        setPreview("ready");
      } catch (error) {
        if (controller.signal.aborted) return;
        setPreview("error");
        setPreviewError(error instanceof Error ? `The preview could not be loaded: ${error.message}`
                        : "The preview could not be loaded.");
      }
    })();
    return () => controller.abort();
    // hasNotes, audioRef and resume are refs: read when the score changes, not followed.
  }, [projectId, scoreVersion, listen, mixVersion, retries, hasNotes, audioRef, resume]);

  // Revoke the last object URL on unmount.
  useEffect(() => () => { if (srcRef.current) URL.revokeObjectURL(srcRef.current); }, []);

  return { src, preview, previewError, retry: () => setRetries((r) => r + 1) };
}
