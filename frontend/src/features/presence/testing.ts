/** Test helpers: a live session as the panels see it, with chosen remote users. */
import type { CollabState, RemoteUser } from "@/features/collab/useCollab";
import { UNAVAILABLE_COLLAB } from "@/features/collab/useCollab";

export function remoteUser(clientId: number, id: string, name: string, extra: {
  trackId?: string | null; noteIds?: string[]; playhead?: number | null; colour?: string;
  role?: RemoteUser["role"];
} = {}): RemoteUser {
  return { clientId, user: { id, name, colour: extra.colour ?? "#ff6b6b" },
           role: extra.role ?? "editor",
           selection: { trackId: extra.trackId ?? null, noteIds: extra.noteIds ?? [] },
           playhead: extra.playhead ?? null };
}

export function liveSession(remoteUsers: RemoteUser[],
                            extra: Partial<CollabState> = {}): CollabState {
  return { ...UNAVAILABLE_COLLAB, status: "live", role: "owner",
           localUser: { id: "me", name: "Me Myself", colour: "#4dabf7" }, remoteUsers,
           ...extra };
}
