"use client";
/** One project's workspace state, shared by every panel: the score and its revision, the
 * user's role, the selected track, highlighted notes, the playhead, and the calls that
 * change the score (each saved through the API with the revision check). */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState,
         type ReactNode } from "react";

import { api, errorOf, type ApiError } from "@/api/client";
import type { NoteOperation, Project, Score, Track } from "@/api/types";

export type EditResult = { ok: true; addedIds: string[]; revision: number }
  | { ok: false; error: ApiError };

export interface Toast {
  id: number;
  kind: "info" | "error";
  message: string;
}

export interface Workspace {
  projectId: string;
  project: Project | null;
  score: Score | null;
  /** The score's revision: sent with every edit, so a stale edit answers 409. */
  revision: number;
  /** Bumped whenever the score changes (for previews and notation to re-fetch). */
  scoreVersion: number;
  /** Bumped when the score was replaced by something other than this workspace's own note
   * and track edits (a composition, an import, a restore, a conflict reload): an undo
   * history of earlier edits no longer applies. */
  outsideChanges: number;
  loading: boolean;
  loadError: ApiError | null;
  /** Owners and editors edit; viewers see everything read-only. */
  canEdit: boolean;
  selectedTrackId: string | null;
  selectTrack(trackId: string | null): void;
  highlightedNoteIds: ReadonlySet<string>;
  /** Select the track, highlight notes and scroll the editors to `tick`. */
  highlight(noteIds: string[], trackId?: string | null, tick?: number): void;
  focusTick: number | null;
  reload(): Promise<void>;
  editNotes(operations: NoteOperation[], message?: string): Promise<EditResult>;
  updateTrack(trackId: string, patch: Partial<Track>): Promise<boolean>;
  addTrack(track: Partial<Track>): Promise<string | null>;
  deleteTrack(trackId: string): Promise<boolean>;
  toasts: Toast[];
  notify(message: string, kind?: Toast["kind"]): void;
  dismiss(id: number): void;
}

const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace outside <WorkspaceProvider>");
  return workspace;
}

export function WorkspaceProvider({ projectId, children }: { projectId: string;
                                                             children: ReactNode }) {
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
  const [selectedTrackId, setSelectedTrackId] = useState<string | null>(null);
  const [highlightedNoteIds, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [focusTick, setFocusTick] = useState<number | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextToast = useRef(1);

  const notify = useCallback((message: string, kind: Toast["kind"] = "info") => {
    const id = nextToast.current++;
    setToasts((all) => [...all.slice(-3), { id, kind, message }]);
    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)),
               kind === "error" ? 8000 : 4000);
  }, []);
  const dismiss = useCallback((id: number) => {
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);

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
    setSelectedTrackId((current) => {
      const tracks = scoreAnswer.data.score.tracks ?? [];
      return tracks.some((t) => t.id === current) ? current : (tracks[0]?.id ?? null);
    });
  }, [projectId]);
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

  const editNotes = useCallback((operations: NoteOperation[],
                                 message?: string): Promise<EditResult> => serial(async () => {
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

  const highlight = useCallback((noteIds: string[], trackId?: string | null, tick?: number) => {
    setHighlighted(new Set(noteIds));
    if (trackId) setSelectedTrackId(trackId);
    setFocusTick(tick ?? null);
  }, []);

  const canEdit = project?.role === "owner" || project?.role === "editor";
  const value = useMemo<Workspace>(() => ({
    projectId, project, score, revision, scoreVersion, outsideChanges, loading, loadError, canEdit,
    selectedTrackId, selectTrack: setSelectedTrackId, highlightedNoteIds, highlight,
    focusTick, reload, editNotes, updateTrack, addTrack, deleteTrack, toasts, notify, dismiss,
  }), [projectId, project, score, revision, scoreVersion, outsideChanges, loading, loadError, canEdit,
       selectedTrackId, highlightedNoteIds, highlight, focusTick, reload, editNotes,
       updateTrack, addTrack, deleteTrack, toasts, notify, dismiss]);

  return (
    <WorkspaceContext.Provider value={value}>
      <PlayheadProvider>{children}</PlayheadProvider>
    </WorkspaceContext.Provider>
  );
}

export interface Playhead {
  /** Where playback is, in ticks (null when stopped and never placed). */
  playheadTick: number | null;
  setPlayheadTick(tick: number | null): void;
}

// Its own context: during playback it changes many times a second, and only the editors
// and the transport draw it; the other panels must not re-render with it.
const PlayheadContext = createContext<Playhead | null>(null);

export function usePlayhead(): Playhead {
  const playhead = useContext(PlayheadContext);
  if (!playhead) throw new Error("usePlayhead outside <WorkspaceProvider>");
  return playhead;
}

function PlayheadProvider({ children }: { children: ReactNode }) {
  const [playheadTick, setPlayheadTick] = useState<number | null>(null);
  const value = useMemo(() => ({ playheadTick, setPlayheadTick }), [playheadTick]);
  return <PlayheadContext.Provider value={value}>{children}</PlayheadContext.Provider>;
}
