"use client";
/** Runs a composition session (compose or an operation on the score): POST the session,
 * follow its WebSocket for live progress, fall back to polling GET /sessions/{id} every
 * second when the socket fails, and reload the workspace when it succeeds.
 *
 * On load it asks the project's sessions: one still queued or running (a reload in the
 * middle of a composition, another tab, a collaborator) is followed the same way, so the
 * panel says "Composing…" and Generate waits; the newest composition's prompt and brief
 * as understood are offered back (`lastCompose`). */
import { useCallback, useEffect, useRef, useState } from "react";

import { accessToken, api, errorOf, websocketUrl } from "@/api/client";
import { describeError } from "@/api/errors";
import type { components } from "@/api/schema";
import type { Session } from "@/api/types";
import { useNotify, useProject } from "@/features/workspace/state";

import { setComposing } from "./composing";

export type SessionRequest = components["schemas"]["SessionCreate"];

export type Phase = "idle" | "starting" | "running" | "done" | "failed";

export const STEPS = ["interpret", "plan", "harmony", "melody", "arrange", "validate",
                      "finalize"] as const;

export interface SessionState {
  phase: Phase;
  operation: string;
  session: Session | null;
  /** The node running now ("repair" counts as the validate step). */
  stage: string;
  percent: number | null;
  message: string;
  error: string | null;
  /** How the progress arrives: the socket, or polling after it failed. */
  via: "socket" | "polling" | null;
  /** Found on load (a session started before this page), not started here. */
  restored: boolean;
}

const IDLE: SessionState = { phase: "idle", operation: "compose", session: null, stage: "",
                             percent: null, message: "", error: null, via: null,
                             restored: false };
const TERMINAL = new Set(["succeeded", "failed", "dead", "cancelled"]);

export function useComposeSession() {
  const { projectId, reload } = useProject();
  const notify = useNotify();
  const [state, setState] = useState<SessionState>(IDLE);
  const [lastCompose, setLastCompose] = useState<Session | null>(null);
  // Everything the running session holds, so a new run or unmount stops the old one.
  const run = useRef<{ id: number; socket: WebSocket | null; timer: number | null } | null>(null);
  const runs = useRef(0);
  const latest = useRef({ reload, notify });
  latest.current = { reload, notify };

  const stop = useCallback(() => {
    const current = run.current;
    if (!current) return;
    if (current.timer !== null) window.clearTimeout(current.timer);
    if (current.socket) {
      current.socket.onclose = null;
      current.socket.onerror = null;
      current.socket.onmessage = null;
      if (current.socket.readyState <= WebSocket.OPEN) current.socket.close();
    }
    run.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const busy = state.phase === "starting" || state.phase === "running";
  useEffect(() => {
    setComposing(projectId, busy ? state.operation : null);
    return () => setComposing(projectId, null);
  }, [projectId, busy, state.operation]);

  const claim = useCallback(() => {
    stop();
    const me = { id: ++runs.current, socket: null as WebSocket | null,
                 timer: null as number | null };
    run.current = me;
    return me;
  }, [stop]);

  /** Follow a session to its end: its socket, else polling. */
  const follow = useCallback(async (me: { id: number; socket: WebSocket | null;
                                          timer: number | null },
                                    first: Session, operation: string) => {
    const alive = () => run.current === me;
    let finished = false;

    const apply = (session: Session) => {
      setState((s) => ({ ...s, session, phase: TERMINAL.has(session.status) ? s.phase : "running",
                         stage: session.stage || s.stage,
                         percent: session.progress ?? s.percent,
                         message: session.message || s.message }));
    };

    const finish = (session: Session) => {
      if (finished || !alive()) return;
      finished = true;
      stop();
      if (operation === "compose") setLastCompose(session);
      if (session.status === "succeeded") {
        setState((s) => ({ ...s, session, phase: "done", percent: 100, stage: "finalize",
                           message: session.message || "", error: null, restored: false }));
        latest.current.notify(operation === "compose" ? "The new composition is ready."
                              : `${label(operation)} finished.`);
      } else {
        const error = session.error || (session.status === "cancelled" ? "Cancelled."
                                         : "The session failed.");
        setState((s) => ({ ...s, session, phase: "failed", error }));
      }
      // A session that stored a version changed the score even when it then ended
      // "cancelled" (or failed): reload whenever the final session names a version.
      if (session.status === "succeeded" || session.version != null) {
        void latest.current.reload();
      }
    };

    const sessionId = first.id;
    apply(first);
    if (TERMINAL.has(first.status)) {
      finish(first);
      return;
    }

    // Polling: every second without a socket, every 5 s as a safety net beside one.
    let failures = 0;
    const poll = async () => {
      if (!alive() || finished) return;
      // A poll that throws counts as a failed poll, so polling goes on (up to 5 in a row).
      let polled;
      try {
        polled = await api.GET("/api/v1/sessions/{session_id}", {
          params: { path: { session_id: sessionId } },
        });
      } catch {
        polled = null;
      }
      if (!alive() || finished) return;
      if (polled?.data) {
        failures = 0;
        if (TERMINAL.has(polled.data.status)) {
          finish(polled.data);
          return;
        }
        if (!me.socket) apply(polled.data);
      } else if (++failures >= 5 || polled?.response.status === 404
                 || polled?.response.status === 403) {
        stop();
        setState((s) => ({ ...s, phase: "failed", error: describeError(
          errorOf(polled?.error, polled?.response.status)) }));
        return;
      }
      schedule();
    };
    const schedule = () => {
      if (!alive() || finished) return;
      if (me.timer !== null) window.clearTimeout(me.timer);
      me.timer = window.setTimeout(() => { void poll(); }, me.socket ? 5000 : 1000);
    };
    const fallBack = () => {
      if (!alive() || finished) return;
      if (me.socket) {
        me.socket.onclose = null;
        me.socket.onerror = null;
        me.socket.onmessage = null;
        if (me.socket.readyState <= WebSocket.OPEN) me.socket.close();
      }
      me.socket = null;
      setState((s) => ({ ...s, via: "polling" }));
      if (me.timer !== null) window.clearTimeout(me.timer);
      me.timer = null;
      void poll();
    };

    const token = await accessToken();
    if (!alive() || finished) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(websocketUrl(`/api/v1/sessions/${sessionId}/ws`));
    } catch {
      fallBack();
      return;
    }
    me.socket = socket;
    setState((s) => ({ ...s, via: "socket" }));
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token: token ?? "" }));
    socket.onmessage = (event: MessageEvent) => {
      let message: { type?: string; session?: Session; node?: string; percent?: number | null;
                     message?: string };
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        return;
      }
      if (message.type === "session" && message.session) {
        apply(message.session);
        if (TERMINAL.has(message.session.status)) finish(message.session);
      } else if (message.type === "progress") {
        setState((s) => ({ ...s, phase: "running", stage: message.node || s.stage,
                           percent: typeof message.percent === "number" ? message.percent
                             : s.percent,
                           message: message.message ?? s.message }));
      } else if (message.type === "result" && message.session) {
        finish(message.session);
      } else if (message.type === "error") {
        fallBack();  // e.g. the token expired meanwhile: polling refreshes it
      }
    };
    socket.onerror = () => fallBack();
    socket.onclose = () => { if (!finished) fallBack(); };
    schedule();
  }, [stop]);

  const start = useCallback(async (request: SessionRequest) => {
    const me = claim();
    const alive = () => run.current === me;
    const operation = request.operation ?? "compose";
    setState({ ...IDLE, phase: "starting", operation, message: "Sending the brief…" });

    // A POST that throws (network failure) must end in "failed", not leave "starting" forever.
    let answer;
    try {
      answer = await api.POST("/api/v1/projects/{project_id}/sessions", {
        params: { path: { project_id: projectId } }, body: request,
      });
    } catch {
      answer = null;
    }
    if (!alive()) return;
    if (!answer?.data) {
      const error = describeError(errorOf(answer?.error, answer?.response.status));
      setState((s) => ({ ...s, phase: "failed", error, message: "" }));
      run.current = null;
      return;
    }
    if (operation === "compose") setLastCompose(answer.data);
    await follow(me, answer.data, operation);
  }, [claim, follow, projectId]);

  // On load: re-attach to a session still running, and remember the newest composition.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let listed;
      try {
        listed = await api.GET("/api/v1/projects/{project_id}/sessions", {
          params: { path: { project_id: projectId } },
        });
      } catch {
        return;  // the panel still works: Generate starts a new session
      }
      if (cancelled || !listed.data || run.current) return;
      const sessions = listed.data;
      const compose = sessions.find((s) => s.operation === "compose") ?? null;
      setLastCompose((known) => known ?? compose);
      const running = sessions.find((s) => !TERMINAL.has(s.status));
      if (running) {
        const me = claim();
        setState({ ...IDLE, phase: "running", operation: running.operation, restored: true,
                   session: running, stage: running.stage, percent: running.progress,
                   message: running.message || "Composing…" });
        await follow(me, running, running.operation);
      } else if (compose?.status === "succeeded") {
        setState({ ...IDLE, phase: "done", operation: "compose", session: compose,
                   restored: true, percent: 100 });
      }
    })();
    return () => { cancelled = true; };
  }, [projectId, claim, follow]);

  const cancel = useCallback(async () => {
    const sessionId = state.session?.id;
    if (!sessionId) return;
    const answer = await api.POST("/api/v1/sessions/{session_id}/cancel", {
      params: { path: { session_id: sessionId } },
    });
    if (answer.error) notify(describeError(errorOf(answer.error, answer.response.status)),
                             "error");
  }, [state.session?.id, notify]);

  const reset = useCallback(() => {
    stop();
    setState(IDLE);
  }, [stop]);

  return { state, start, cancel, reset, lastCompose };
}

export function label(operation: string): string {
  switch (operation) {
    case "compose": return "Composition";
    case "regenerate": return "Regenerate section";
    case "variation": return "Variation";
    case "continue": return "Continue";
    case "reharmonize": return "Reharmonize";
    case "restyle": return "Restyle";
    default: return operation;
  }
}
