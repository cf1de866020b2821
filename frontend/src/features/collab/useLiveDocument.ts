"use client";
/** The workspace's live document: opens the connection for a project, derives the score and
 * the mix from the document (after this tab's own edits at once, after others' at most once
 * per animation frame), keeps the undo history of this tab's edits, and publishes presence.
 * Until the document has synced once, `doc` is null and the workspace saves through REST. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type * as Y from "yjs";

import { api, errorOf, websocketUrl } from "@/api/client";
import type { ProjectRole } from "@/api/types";

import { LiveConnection, type Refusal, type TicketResult } from "./connection";
import type { Origin } from "./edits";
import { createLiveHistory, type LiveHistory } from "./history";
import { colourFor, LocalPresence, remoteUsersOf } from "./presence";
import { DocumentReader } from "./read";
import type { DocContent } from "./schema";
import type { CollabState, CollabStatus, CollabUser, RemoteUser } from "./useCollab";

export interface LiveDocument {
  /** The document once synced (then the workspace's truth), else null. */
  doc: Y.Doc | null;
  /** The origin of this tab's transactions (what its undo history tracks). */
  origin: Origin;
  history: LiveHistory | null;
  /** Bumped whenever the undo/redo stacks change. */
  historyVersion: number;
  content: DocContent | null;
  /** Whether this tab may write: synced once, not stopped, and not a viewer. */
  writable: boolean;
  collab: CollabState;
}

/** Permanent ticket failures: no such route (an older server), not a member, signed out. */
const PERMANENT = new Set([401, 403, 404, 405, 501]);

export async function fetchTicket(projectId: string): Promise<TicketResult> {
  const answer = await api.POST("/api/v1/projects/{project_id}/collab/ticket", {
    params: { path: { project_id: projectId } },
  });
  if (answer.data) {
    return { ok: true, ticket: { ticket: answer.data.ticket, role: answer.data.role } };
  }
  const status = answer.response.status;
  return { ok: false, permanent: PERMANENT.has(status),
           message: errorOf(answer.error, status).message };
}

const nextFrame = (run: () => void): (() => void) => {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(run);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(run, 16);
  return () => clearTimeout(id);
};

/** What a refusal tells the person. */
export function refusalMessage(refusal: Refusal): string {
  if (refusal.code === "read_only") return "You can only view this project: your change was not saved.";
  if (refusal.code === "rate_limited") return "Too many changes at once: slow down a little.";
  const first = refusal.details[0] as { msg?: unknown } | undefined;
  const detail = typeof first?.msg === "string" ? ` (${first.msg})` : "";
  return `Your change was refused: ${refusal.message}${detail}`;
}

export function useLiveDocument(projectId: string,
                                notify: (message: string, kind?: "info" | "error") => void,
                                enabled = true): LiveDocument {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus>("connecting");
  const [reason, setReason] = useState<string | null>(null);
  const [role, setRole] = useState<ProjectRole | null>(null);
  const [synced, setSynced] = useState(false);
  const [content, setContent] = useState<DocContent | null>(null);
  const [remoteUsers, setRemoteUsers] = useState<RemoteUser[]>([]);
  const [localUser, setLocalUser] = useState<CollabUser | null>(null);
  const [history, setHistory] = useState<LiveHistory | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const origin = useMemo<Origin>(() => ({ tab: projectId }), [projectId]);
  const presence = useRef<LocalPresence | null>(null);
  const notifyRef = useRef(notify);
  useEffect(() => { notifyRef.current = notify; }, [notify]);

  useEffect(() => {
    if (!enabled) return;
    const live = new LiveConnection({
      serverUrl: websocketUrl("/api/v1/projects"), projectId, fetchTicket,
      listener: {
        changed(next, why, ticketRole) {
          setStatus(next);
          setReason(why);
          setRole(ticketRole);
          if (live.everSynced) setSynced(true);
          if (next === "unavailable" && why && live.everSynced) notifyRef.current(why, "error");
        },
        refused(refusal) { notifyRef.current(refusalMessage(refusal), "error"); },
      },
    });
    const reader = new DocumentReader(live.doc);
    const liveHistory = createLiveHistory(live.doc, origin);
    const local = new LocalPresence(live.awareness);
    presence.current = local;
    let cancelFrame: (() => void) | null = null;
    const derive = () => {
      cancelFrame?.();
      cancelFrame = null;
      if (live.everSynced) setContent(reader.read());
    };
    // This tab's own edits (and its undo/redo) show at once, under the pointer; others'
    // changes at most once per frame.
    const afterTransaction = (transaction: Y.Transaction) => {
      if (transaction.origin === origin || transaction.origin === liveHistory.manager) derive();
      else cancelFrame ??= nextFrame(derive);
    };
    live.doc.on("afterTransaction", afterTransaction);
    live.provider.on("sync", (isSynced: boolean) => { if (isSynced) derive(); });
    let cancelUsers: (() => void) | null = null;
    live.awareness.on("change", () => {
      cancelUsers ??= nextFrame(() => {
        cancelUsers = null;
        setRemoteUsers(remoteUsersOf(live.awareness));
      });
    });
    const stopHistory = liveHistory.subscribe(() => setHistoryVersion((v) => v + 1));
    setConnection(live);
    setHistory(liveHistory);
    live.start();
    return () => {
      cancelFrame?.();
      cancelUsers?.();
      stopHistory();
      local.destroy();
      presence.current = null;
      liveHistory.destroy();
      reader.destroy();
      live.destroy();
      setConnection(null);
      setHistory(null);
      setContent(null);
      setSynced(false);
      setRemoteUsers([]);
    };
  }, [projectId, origin, enabled]);

  // Who this tab is, for presence: published once the user and the ticket's role are known.
  useEffect(() => {
    let gone = false;
    void api.GET("/api/v1/me").then((answer) => {
      if (gone || !answer.data) return;
      const me = answer.data;
      setLocalUser({ id: me.id, name: me.display_name || me.email, colour: colourFor(me.id) });
    }).catch(() => undefined);
    return () => { gone = true; };
  }, []);
  useEffect(() => {
    if (localUser && connection) presence.current?.publish(localUser, role);
  }, [localUser, role, connection]);

  const setLocalSelection = useCallback((trackId: string | null, noteIds: string[]) => {
    presence.current?.setSelection(trackId, noteIds);
  }, []);
  const setLocalPlayhead = useCallback((tick: number | null) => {
    presence.current?.setPlayhead(tick);
  }, []);

  const collab = useMemo<CollabState>(() => ({
    status: enabled ? status : "unavailable", reason, role,
    awareness: connection?.awareness ?? null, localUser, remoteUsers, setLocalSelection,
    setLocalPlayhead,
  }), [enabled, status, reason, role, connection, localUser, remoteUsers, setLocalSelection,
       setLocalPlayhead]);

  const usable = synced && connection !== null;
  const stopped = status === "unavailable";
  return {
    doc: usable ? connection.doc : null, origin, history: usable ? history : null,
    historyVersion, content: usable ? content : null,
    writable: usable && !stopped && role !== "viewer", collab,
  };
}
