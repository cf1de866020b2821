"use client";
/** The workspace's pages: the members' notation endpoint, signed in, for the score the
 * workspace holds (re-fetched whenever the saved score changes). */
import { useCallback, useMemo } from "react";

import { authorizedFetch } from "@/api/client";
import { usePlayhead, useProject, useScore } from "@/features/workspace/state";

import { sheetTracks } from "./ScoreSheet";
import type { PageSource } from "./usePageImage";

export function useWorkspaceNotation() {
  const { projectId } = useProject();
  const { score, scoreVersion } = useScore();
  const { playheadTick } = usePlayhead();
  const hasTracks = (score?.tracks?.length ?? 0) > 0;
  const fetchPage = useCallback<PageSource>(({ page, track }, signal) => {
    const query = new URLSearchParams({ page: String(page) });
    if (track) query.set("track", track);
    return authorizedFetch(`/api/v1/projects/${projectId}/notation.svg?${query.toString()}`,
                           { signal });
  }, [projectId]);
  const tracks = useMemo(() => sheetTracks(score), [score]);
  return {
    source: hasTracks && scoreVersion > 0 ? fetchPage : null,
    tracks, contentKey: scoreVersion, score, playheadTick,
  };
}
