/** A stand-in for the server's collab room at the network boundary (the `WebSocket` class
 * and the ticket route), for jsdom tests of the workspace: single-use tickets, the
 * y-websocket sync protocol against a server-side Y.Doc, updates relayed to the other
 * sockets, viewers' updates refused with a "permission denied" auth message, and closes
 * with the server's codes. The Yjs and y-protocols code on both ends is the real one. */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as sync from "y-protocols/sync";
import type * as Y from "yjs";

import type { ProjectRole } from "@/api/types";

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;

export interface FakeCollabServer {
  /** The room's document (the server's truth). */
  doc: Y.Doc;
  /** Tickets issued so far (each usable once). */
  issued: string[];
  sockets: Set<FakeSocket>;
  /** The role the next tickets carry. */
  role: ProjectRole;
  /** Answers POST …/collab/ticket; null for any other request. */
  ticketRoute(request: Request): Response | null;
  WebSocket: typeof WebSocket;
  /** Closes every open socket with `code`. */
  closeAll(code: number): void;
  /** Whether new sockets are accepted (false: closed at once with 1013). */
  accepting: boolean;
}

export interface FakeSocket {
  ticket: string | null;
  role: ProjectRole | null;
  readyState: number;
  close(code?: number): void;
}

export function fakeCollabServer(doc: Y.Doc, projectId = "p1"): FakeCollabServer {
  const valid = new Map<string, ProjectRole>();
  const server: FakeCollabServer = {
    doc, issued: [], sockets: new Set(), role: "owner", accepting: true,
    ticketRoute(request) {
      const path = new URL(request.url).pathname;
      if (request.method !== "POST" || path !== `/api/v1/projects/${projectId}/collab/ticket`) {
        return null;
      }
      const ticket = `t${server.issued.length + 1}`;
      server.issued.push(ticket);
      valid.set(ticket, server.role);
      return new Response(JSON.stringify({ ticket, role: server.role, expires_at: "",
                                           path: `/api/v1/projects/${projectId}/collab` }),
                          { status: 201, headers: { "Content-Type": "application/json" } });
    },
    closeAll(code) {
      for (const socket of [...server.sockets]) socket.close(code);
    },
    WebSocket: undefined as unknown as typeof WebSocket,
  };

  class Socket implements FakeSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readyState = 0;
    binaryType = "arraybuffer";
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    ticket: string | null;
    role: ProjectRole | null = null;
    private readonly relay = (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      sync.writeUpdate(encoder, update);
      this.deliver(encoding.toUint8Array(encoder));
    };

    constructor(url: string) {
      this.ticket = new URL(url).searchParams.get("ticket");
      setTimeout(() => this.accept(), 0);
    }

    private accept(): void {
      if (this.readyState !== 0) return;
      const role = this.ticket ? valid.get(this.ticket) : undefined;
      if (this.ticket) valid.delete(this.ticket);
      if (!server.accepting) return this.close(1013);
      if (!role) return this.close(4001);
      this.role = role;
      this.readyState = 1;
      server.sockets.add(this);
      doc.on("update", this.relay);
      this.onopen?.(new Event("open"));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      sync.writeSyncStep1(encoder, doc);
      this.deliver(encoding.toUint8Array(encoder));
    }

    private deliver(message: Uint8Array): void {
      setTimeout(() => {
        if (this.readyState !== 1) return;
        const data = message.buffer.slice(message.byteOffset,
                                          message.byteOffset + message.byteLength);
        this.onmessage?.({ data: data as ArrayBuffer });
      }, 0);
    }

    send(data: ArrayBuffer | Uint8Array): void {
      if (this.readyState !== 1) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;  // awareness: not relayed
      const kind = decoding.peekVarUint(decoder);
      if (kind !== sync.messageYjsSyncStep1 && this.role === "viewer") {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_AUTH);
        encoding.writeVarUint(encoder, 0);
        encoding.writeVarString(encoder, JSON.stringify({
          code: "read_only", message: "Viewers cannot change the project.", details: [] }));
        this.deliver(encoding.toUint8Array(encoder));
        return;
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      sync.readSyncMessage(decoder, encoder, doc, this);
      if (encoding.length(encoder) > 1) this.deliver(encoding.toUint8Array(encoder));
    }

    close(code = 1000): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      server.sockets.delete(this);
      doc.off("update", this.relay);
      setTimeout(() => this.onclose?.({ code, reason: "" }), 0);
    }
  }
  server.WebSocket = Socket as unknown as typeof WebSocket;
  return server;
}
