/** One project's live document and its connection: a y-websocket provider to
 * `WS /api/v1/projects/{id}/collab`, authenticated with a single-use ticket fetched before
 * every (re)connect. The provider's own reconnect is switched off (it would reuse a spent
 * ticket); this class reconnects with backoff after fetching a fresh one, and stops for good
 * on the closes that say retrying is pointless (4003 no longer a member, 4004 no project). */
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { readAuthMessage } from "y-protocols/auth";
import { Awareness } from "y-protocols/awareness";

import type { ProjectRole } from "@/api/types";

import type { CollabStatus } from "./useCollab";

export interface Ticket {
  ticket: string;
  role: ProjectRole;
}

/** A ticket, or why none came: `permanent` when asking again cannot help (no such route on
 * an older server, not a member, signed out). */
export type TicketResult = { ok: true; ticket: Ticket }
  | { ok: false; permanent: boolean; message: string };

/** A refusal the server sent as a "permission denied" auth message (DESIGN §2). */
export interface Refusal {
  code: string;
  message: string;
  details: unknown[];
}

export interface ConnectionListener {
  /** Status, the reason in a sentence (or null) and the ticket's role. */
  changed(status: CollabStatus, reason: string | null, role: ProjectRole | null): void;
  refused(refusal: Refusal): void;
}

export interface ConnectionOptions {
  /** e.g. "wss://host/api/v1/projects" (the room is "<project id>/collab"). */
  serverUrl: string;
  projectId: string;
  fetchTicket(projectId: string): Promise<TicketResult>;
  listener: ConnectionListener;
  /** For tests in Node. */
  WebSocketPolyfill?: typeof WebSocket;
}

const MESSAGE_AUTH = 2;
/** Closes after which reconnecting cannot help, with what to tell the person. */
const FINAL_CLOSES: Record<number, string> = {
  4003: "You are no longer a member of this project: live editing has stopped.",
  4004: "This project no longer exists.",
};
const CLOSE_REASONS: Record<number, string> = {
  4013: "The live session is full; retrying.",
  4029: "Too many changes at once; reconnecting shortly.",
  1009: "A change was too big to send live.",
  1013: "The server is busy; reconnecting.",
  1001: "The server is restarting; reconnecting.",
  1012: "The server is restarting; reconnecting.",
};
/** Failed attempts before a never-established connection is called unavailable (the app
 * keeps saving through the REST API meanwhile). */
const ATTEMPTS_BEFORE_UNAVAILABLE = 3;
const MAX_BACKOFF_MS = 30_000;

export class LiveConnection {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly provider: WebsocketProvider;
  status: CollabStatus = "connecting";
  reason: string | null = null;
  role: ProjectRole | null = null;
  /** The document was synced with the server at least once: from then on it is the truth
   * (edits made offline stay in it and merge on reconnect). */
  everSynced = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: ConnectionOptions) {
    this.provider = new WebsocketProvider(options.serverUrl, `${options.projectId}/collab`,
                                          this.doc, {
      connect: false, awareness: this.awareness, disableBc: true,
      // Every close comes to `closed` below: a reconnect needs a fresh ticket first.
      shouldReconnect: () => false,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    // The provider only logs a refusal; the person must be told.
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      readAuthMessage(decoder, this.doc, (_doc, reason) => this.refused(reason));
    };
    this.provider.on("sync", (synced: boolean) => {
      if (!synced || this.stopped) return;
      this.everSynced = true;
      this.failures = 0;
      this.set("live", null);
    });
    this.provider.on("connection-close", (event: CloseEvent | null) => {
      // The watchdog's own close (event null) would reconnect with the spent ticket.
      this.provider.shouldConnect = false;
      if (!this.stopped) this.closed(event?.code ?? 0);
    });
  }

  start(): void {
    this.schedule(0);
  }

  destroy(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.provider.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private set(status: CollabStatus, reason: string | null): void {
    this.status = status;
    this.reason = reason;
    this.options.listener.changed(status, reason, this.role);
  }

  private refused(text: string): void {
    let refusal: Refusal;
    try {
      const parsed = JSON.parse(text) as Partial<Refusal>;
      refusal = { code: String(parsed.code ?? "refused"),
                  message: String(parsed.message ?? text),
                  details: Array.isArray(parsed.details) ? parsed.details : [] };
    } catch {
      refusal = { code: "refused", message: text, details: [] };
    }
    this.options.listener.refused(refusal);
  }

  private closed(code: number): void {
    const final = FINAL_CLOSES[code];
    if (final) {
      this.stopped = true;
      this.set("unavailable", final);
      return;
    }
    // A spent or expired ticket (4001) is the ordinary case after a pause: retry at once,
    // once; anything else backs off.
    this.failures += 1;
    const reason = CLOSE_REASONS[code] ?? null;
    this.afterFailure(reason, code === 4001 && this.failures === 1 ? 0 : undefined);
  }

  private afterFailure(reason: string | null, delay?: number): void {
    if (this.everSynced) this.set("offline", reason);
    else if (this.failures >= ATTEMPTS_BEFORE_UNAVAILABLE) {
      this.set("unavailable", reason ?? "Live editing is not reachable; changes are saved " +
               "normally and live editing is tried again in the background.");
    } else this.set("connecting", reason);
    this.schedule(delay ?? this.backoff());
  }

  private backoff(): number {
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.failures, 10));
    return base / 2 + Math.random() * base / 2;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.provider.ws !== null) return;
    let answer: TicketResult;
    try {
      answer = await this.options.fetchTicket(this.options.projectId);
    } catch {
      answer = { ok: false, permanent: false, message: "The server could not be reached." };
    }
    if (this.stopped) return;
    if (!answer.ok) {
      if (answer.permanent) {
        this.stopped = true;
        this.set("unavailable", this.everSynced ? answer.message : null);
        return;
      }
      this.failures += 1;
      this.afterFailure(this.everSynced ? "Offline: your edits are kept and merge when " +
                        "the connection returns." : null);
      return;
    }
    this.role = answer.ticket.role;
    this.provider.params = { ticket: answer.ticket.ticket };
    if (this.status !== "live") this.set(this.status, this.reason);
    this.provider.connect();
  }
}
