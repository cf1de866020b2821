/** Loads one project and its score, and saves every change to the score through the API
 * with the revision check: one change at a time, each with the revision the previous one
 * produced; a refused change (409 or another error) is reported and the score reloaded. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { api, errorOf, type ApiError } from "@/api/client";
import type { Project, Score, Track } from "@/api/types";

import type { Notify, ProjectState, ScoreEdits, ScoreState } from "./contexts";

export function useScoreSession(projectId: string, notify: Notify,
                                onLoaded: (score: Score) => void):
    { project: ProjectState; score: ScoreState; edits: ScoreEdits } {
  const [project, setProject] = useState<Project | null>(null);
  const [score, setScore] = useState<Score | null>(null);
  const [revision, setRevision] = useState(0);
  // The revision every change is sent with. A ref, not the state: changes made one after
  // another (a mixer drag, queued note batches) must each see the revision the previous one
  // produced, even before React has re-rendered with it.
  const revisionRef = useRef(0);
  const [scoreVersion, setScoreVersion] = useState(0);
  const [outsideChanges, setOutsideChanges] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);

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
    setScore(scoreAnswer.data.score);
    setRevision(scoreAnswer.data.revision);
    revisionRef.current = scoreAnswer.data.revision;
    setScoreVersion((v) => v + 1);
    if (outside) setOutsideChanges((n) => n + 1);
    setLoadError(null);
    setLoading(false);
    onLoaded(scoreAnswer.data.score);
  }, [projectId, onLoaded]);
  const reload = useCallback(() => load(true), [load]);
  const reloadOwn = useCallback(() => load(false), [load]);

  useEffect(() => { void reload(); }, [reload]);

  const conflict = useCallback(async (error: ApiError) => {
    notify(error.code === "CONFLICT"
      ? "Someone else changed the score meanwhile; it has been reloaded, please redo your edit."
      : error.message, "error");
    await reload();
  }, [notify, reload]);

  // Every change to the score runs through one queue: each is sent with the revision the
  // previous one produced, so two panels saving at once never trip over each other.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const serial = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = queue.current.catch(() => undefined).then(work);
    queue.current = next;
    return next;
  }, []);

  const editNotes = useCallback<ScoreEdits["editNotes"]>((operations, message) =>
    serial(async () => {
      const answer = await api.POST("/api/v1/projects/{project_id}/notes/batch", {
        params: { path: { project_id: projectId } },
        body: { operations, revision: revisionRef.current, message: message ?? null },
      });
      if (!answer.data) {
        const error = errorOf(answer.error, answer.response.status);
        await conflict(error);
        return { ok: false, error };
      }
      revisionRef.current = answer.data.revision;
      await reloadOwn();
      return { ok: true, addedIds: answer.data.added_note_ids, revision: answer.data.revision };
    }), [projectId, conflict, reloadOwn, serial]);

  const updateTrack = useCallback((trackId: string, patch: Partial<Track>) => serial(async () => {
    const answer = await api.PATCH("/api/v1/projects/{project_id}/tracks/{track_id}", {
      params: { path: { project_id: projectId, track_id: trackId } },
      body: { ...patch, revision: revisionRef.current } as never,
    });
    if (!answer.data) {
      await conflict(errorOf(answer.error, answer.response.status));
      return false;
    }
    await reloadOwn();
    return true;
  }), [projectId, conflict, reloadOwn, serial]);

  const addTrack = useCallback((track: Partial<Track>) => serial(async () => {
    const answer = await api.POST("/api/v1/projects/{project_id}/tracks", {
      params: { path: { project_id: projectId } },
      body: { ...track, revision: revisionRef.current } as never,
    });
    if (!answer.data) {
      await conflict(errorOf(answer.error, answer.response.status));
      return null;
    }
    await reloadOwn();
    return (answer.data as { id?: string }).id ?? null;
  }), [projectId, conflict, reloadOwn, serial]);

  const deleteTrack = useCallback((trackId: string) => serial(async () => {
    const answer = await api.DELETE("/api/v1/projects/{project_id}/tracks/{track_id}", {
      params: { path: { project_id: projectId, track_id: trackId },
                header: { "if-match": `"${revisionRef.current}"` } },
    });
    if (answer.error || !answer.response.ok) {
      await conflict(errorOf(answer.error, answer.response.status));
      return false;
    }
    await reloadOwn();
    return true;
  }), [projectId, conflict, reloadOwn, serial]);

  const canEdit = project?.role === "owner" || project?.role === "editor";
  const projectState = useMemo<ProjectState>(
    () => ({ projectId, project, loading, loadError, canEdit, reload }),
    [projectId, project, loading, loadError, canEdit, reload]);
  const scoreState = useMemo<ScoreState>(
    () => ({ score, revision, scoreVersion, outsideChanges }),
    [score, revision, scoreVersion, outsideChanges]);
  const edits = useMemo<ScoreEdits>(
    () => ({ editNotes, updateTrack, addTrack, deleteTrack }),
    [editNotes, updateTrack, addTrack, deleteTrack]);
  return { project: projectState, score: scoreState, edits };
}
