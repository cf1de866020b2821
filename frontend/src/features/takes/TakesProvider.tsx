"use client";
/** Runs "write a part for this track" sessions (POST /sessions with operation "part", then
 * GET /sessions/{id} until it ends) and notices every AI operation that finishes, from here
 * or from the Brief panel, so the take bar can offer it as a take (A: before, B: the take).
 * Without the provider (component tests) `useTakes()` is a harmless no-op. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState,
         type ReactNode } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Session } from "@/api/types";
import { useNotify, useProject, useScore } from "@/features/workspace/state";

import { newestTake, type Take } from "./takes";

export interface PartRequest {
  trackId: string;
  /** The section's index (songSections); null or absent: the whole song. */
  section?: number | null;
  /** Hints for the composer ("busier", "simpler", "walking"). */
  hint?: string;
}

export interface PartRun {
  phase: "idle" | "starting" | "running" | "done" | "failed";
  /** What is being written, for people: "a part for Bass in Verse". */
  label: string;
  percent: number | null;
  message: string;
  error: string | null;
}

export interface TakesApi {
  /** False outside the provider: the track menus hide their AI choices. */
  enabled: boolean;
  run: PartRun;
  writePart(request: PartRequest, label: string): Promise<void>;
  take: Take | null;
  dismissTake(): void;
  dismissRun(): void;
}

const IDLE: PartRun = { phase: "idle", label: "", percent: null, message: "", error: null };
const TERMINAL = new Set(["succeeded", "failed", "dead", "cancelled"]);
const POLL_MS = 500;
const SAVE_POLLS = 40; // a live edit (the new track) reaches the stored score within ~1 s
const MAX_POLLS = 1200; // ten minutes

const noop = (): void => {};
export const TakesContext = createContext<TakesApi>({
  enabled: false, run: IDLE, writePart: async () => {}, take: null, dismissTake: noop,
  dismissRun: noop,
});

export const useTakes = (): TakesApi => useContext(TakesContext);

const wait = (ms: number) => new Promise<void>((resolve) => { window.setTimeout(resolve, ms); });

export function TakesProvider({ children }: { children: ReactNode }) {
  const { projectId, reload } = useProject();
  const { score, revision } = useScore();
  const notify = useNotify();
  const [run, setRun] = useState<PartRun>(IDLE);
  const [take, setTake] = useState<Take | null>(null);
  // Sessions already offered (or finished before this page opened): never offered again.
  const seen = useRef<Set<string> | null>(null);
  const own = useRef(new Set<string>()); // sessions started from this page
  const scoreRef = useRef(score);
  scoreRef.current = score;
  const alive = useRef(true);
  useEffect(() => { alive.current = true; return () => { alive.current = false; }; }, []);

  const sessions = useCallback(async (): Promise<Session[] | null> => {
    const answer = await api.GET("/api/v1/projects/{project_id}/sessions", {
      params: { path: { project_id: projectId } },
    }).catch(() => null);
    return answer?.data ?? null;
  }, [projectId]);

  const detect = useCallback(async () => {
    const list = await sessions();
    if (!list || !alive.current) return;
    if (seen.current === null) {  // the first look: what already happened is no take
      seen.current = new Set(list.map((s) => s.id).filter((id) => !own.current.has(id)));
    }
    const found = newestTake(list, seen.current, scoreRef.current);
    if (found) {
      seen.current.add(found.sessionId);
      setTake(found);
    }
  }, [sessions]);

  useEffect(() => { void detect(); }, [detect]);

  // The score moved (a session stored its version, or anything else): look for a new take,
  // once things settle.
  useEffect(() => {
    const timer = window.setTimeout(() => { void detect(); }, 600);
    return () => window.clearTimeout(timer);
  }, [revision, detect]);

  // A track just added live reaches the stored score a moment later: the session reads
  // the stored score, so wait until the track is there.
  const trackSaved = useCallback(async (trackId: string): Promise<boolean> => {
    for (let attempt = 0; attempt < SAVE_POLLS && alive.current; attempt += 1) {
      const answer = await api.GET("/api/v1/projects/{project_id}/tracks", {
        params: { path: { project_id: projectId } },
      }).catch(() => null);
      if (answer?.data?.some((track) => track.id === trackId)) return true;
      await wait(POLL_MS);
    }
    return false;
  }, [projectId]);

  const writePart = useCallback(async (request: PartRequest, label: string) => {
    setRun({ ...IDLE, phase: "starting", label, message: "Sending…" });
    const body = { operation: "part" as const, track_id: request.trackId,
                   section: request.section ?? null, prompt: request.hint?.trim() ?? "" };
    if (!(await trackSaved(request.trackId)) || !alive.current) {
      if (alive.current) {
        setRun({ ...IDLE, phase: "failed", label,
                 error: "The track is not saved yet; try again in a moment." });
      }
      return;
    }
    const answer = await api.POST("/api/v1/projects/{project_id}/sessions", {
      params: { path: { project_id: projectId } }, body,
    }).catch(() => null);
    if (!alive.current) return;
    const started = answer?.data;
    if (!started) {
      setRun({ ...IDLE, phase: "failed", label,
               error: describeError(errorOf(answer?.error, answer?.response.status)) });
      return;
    }
    own.current.add(started.id);
    let session: Session = started;
    for (let polls = 0; !TERMINAL.has(session.status) && polls < MAX_POLLS; polls += 1) {
      setRun({ phase: "running", label, percent: session.progress ?? null,
               message: session.message || session.stage, error: null });
      await wait(POLL_MS);
      if (!alive.current) return;
      const answer = await api.GET("/api/v1/sessions/{session_id}", {
        params: { path: { session_id: session.id } },
      }).catch(() => null);
      if (answer?.data) session = answer.data;
    }
    if (!alive.current) return;
    if (session.version != null) await reload();
    if (session.status === "succeeded") {
      setRun({ phase: "done", label, percent: 100, message: "", error: null });
      notify(`Wrote ${label}.`);
      await detect();
    } else {
      setRun({ phase: "failed", label, percent: null, message: "",
               error: session.error || (TERMINAL.has(session.status) ? "The session failed."
                 : "The session is taking too long; it goes on in the background.") });
    }
  }, [projectId, reload, notify, detect, trackSaved]);

  const value = useMemo<TakesApi>(() => ({
    enabled: true, run, writePart, take,
    dismissTake: () => setTake(null), dismissRun: () => setRun(IDLE),
  }), [run, writePart, take]);

  return <TakesContext.Provider value={value}>{children}</TakesContext.Provider>;
}
