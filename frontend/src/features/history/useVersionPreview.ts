"use client";
/** "Listen" in the history: fetch a version's score and play it in the browser (the
 * in-browser player, `usePlayer().play(undefined, score)`), without touching the
 * workspace's score. Which version is sounding, so its button can say "Stop". */
import { useCallback, useEffect, useRef, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import { usePlayer } from "@/features/playback/api";
import { useProject } from "@/features/workspace/state";

export interface VersionPreview {
  /** The version playing (or loading to play); null when none. */
  playing: number | null;
  loading: number | null;
  error: string | null;
  toggle(number: number): Promise<void>;
}

export function useVersionPreview(): VersionPreview {
  const { projectId } = useProject();
  const player = usePlayer();
  const [playing, setPlaying] = useState<number | null>(null);
  const [loading, setLoading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The player stopped (the end, or Stop elsewhere): no version is sounding any more.
  useEffect(() => {
    if (!player.playing && loading === null) setPlaying(null);
  }, [player.playing, loading]);

  // Leaving the history stops a preview; the workspace's own playback is not ours to stop.
  const playingRef = useRef<number | null>(null);
  const stopRef = useRef(player.stop);
  useEffect(() => { playingRef.current = playing; stopRef.current = player.stop; });
  useEffect(() => () => { if (playingRef.current !== null) stopRef.current(); }, []);

  const toggle = useCallback(async (number: number) => {
    if (playing === number) {
      player.stop();
      setPlaying(null);
      return;
    }
    setLoading(number);
    setError(null);
    const answer = await api.GET("/api/v1/projects/{project_id}/versions/{number}", {
      params: { path: { project_id: projectId, number } },
    });
    if (!answer.data) {
      setLoading(null);
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    player.stop();
    setPlaying(number);
    try {
      await player.play({ fromTick: 0 }, answer.data.score);
    } catch (problem) {
      setPlaying(null);
      setError(problem instanceof Error ? problem.message : "The browser cannot play this.");
    } finally {
      setLoading(null);
    }
  }, [playing, player, projectId]);

  return { playing, loading, error: error ?? player.error, toggle };
}
