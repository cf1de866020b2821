/** One project's score session. The project and its score are loaded through REST; the
 * live document (`useLiveDocument`) takes over once it has synced: from then on the score
 * shown is derived from the document and every edit is a document transaction. Until then
 * (an older server, a refused connection) every edit is saved through REST as before. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { api, errorOf, type ApiError } from "@/api/client";
import type { Project, Score } from "@/api/types";
import { useLiveDocument } from "@/features/collab/useLiveDocument";
import type { CollabState } from "@/features/collab/useCollab";

import type { Notify, ProjectState, ScoreEdits, ScoreState } from "./contexts";
import { useLiveEdits } from "./useLiveEdits";
import { useRestEdits } from "./useRestEdits";
import { useSavedRevision } from "./useSavedRevision";

export function useScoreSession(projectId: string, notify: Notify,
                                onLoaded: (score: Score) => void):
    { project: ProjectState; score: ScoreState; edits: ScoreEdits; collab: CollabState } {
  const [project, setProject] = useState<Project | null>(null);
  const [restScore, setRestScore] = useState<Score | null>(null);
  const [revision, setRevision] = useState(0);
  // The revision every REST change is sent with. A ref, not the state: changes made one
  // after another (a mixer drag, queued note batches) must each see the revision the
  // previous one produced, even before React has re-rendered with it.
  const revisionRef = useRef(0);
  const [scoreVersion, setScoreVersion] = useState(0);
  const [outsideChanges, setOutsideChanges] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const live = useLiveDocument(projectId, notify);
  const isLive = live.content !== null;
  const liveRef = useRef(isLive);
  liveRef.current = isLive;

  // Reloads can overlap; an answer older than one already shown must not win.
  const reloads = useRef(0);
  const load = useCallback(async (outside: boolean) => {
    const mine = ++reloads.current;
    const params = { params: { path: { project_id: projectId } } };
    const [projectAnswer, scoreAnswer] = await Promise.all([
      api.GET("/api/v1/projects/{project_id}", params),
      api.GET("/api/v1/projects/{project_id}/score", params),
    ]);
    if (mine !== reloads.current) return;
    if (!projectAnswer.data || !scoreAnswer.data) {
      setLoadError(errorOf(projectAnswer.error ?? scoreAnswer.error,
                           projectAnswer.response.status));
      setLoading(false);
      return;
    }
    setProject(projectAnswer.data);
    // Kept, but not shown while live: the live document is the truth then (a REST answer
    // may lag behind it), and what REST operations change arrives through the document.
    setRestScore(scoreAnswer.data.score);
    // REST edits queued one after another read the score through this ref before React
    // re-renders: without this, a second whole-score save would undo the first.
    if (!liveRef.current) scoreRef.current = scoreAnswer.data.score;
    setRevision(scoreAnswer.data.revision);
    revisionRef.current = scoreAnswer.data.revision;
    setScoreVersion((v) => v + 1);
    // Live, Yjs keeps each undo step valid across others' changes: nothing to reset.
    if (outside && !liveRef.current) setOutsideChanges((n) => n + 1);
    setLoadError(null);
    setLoading(false);
    if (!liveRef.current) onLoaded(scoreAnswer.data.score);
  }, [projectId, onLoaded]);
  const reload = useCallback(() => load(true), [load]);
  const reloadOwn = useCallback(() => load(false), [load]);

  useEffect(() => { void reload(); }, [reload]);

  const score = live.content?.score ?? restScore;
  const scoreRef = useRef(score);
  scoreRef.current = score;
  useEffect(() => { if (live.content) onLoaded(live.content.score); }, [live.content, onLoaded]);

  // Live, the server saves the document a moment after the edits: follow its revision so
  // previews, notation and the history re-fetch what it saved.
  useSavedRevision({
    projectId, content: live.content, revisionRef,
    saved: useCallback((next: Project) => {
      setProject(next);
      setRevision(next.revision);
      setScoreVersion((v) => v + 1);
    }, []),
  });

  const restEdits = useRestEdits({ projectId, notify, revisionRef, scoreRef, reload, reloadOwn });
  const liveEdits = useLiveEdits(live);
  const chosen = isLive ? liveEdits : restEdits;

  const ticketRole = live.collab.role;
  const canEdit = (project?.role === "owner" || project?.role === "editor") &&
    (!isLive || (live.writable && ticketRole !== "viewer"));
  const projectState = useMemo<ProjectState>(
    () => ({ projectId, project, loading, loadError, canEdit, reload }),
    [projectId, project, loading, loadError, canEdit, reload]);
  const mix = live.content?.mix ?? null;
  const scoreState = useMemo<ScoreState>(
    () => ({ score, mix, revision, scoreVersion, outsideChanges }),
    [score, mix, revision, scoreVersion, outsideChanges]);
  const edits = useMemo<ScoreEdits>(
    () => ({ ...chosen, liveHistory: live.history, liveHistoryVersion: live.historyVersion }),
    [chosen, live.history, live.historyVersion]);
  return { project: projectState, score: scoreState, edits, collab: live.collab };
}
