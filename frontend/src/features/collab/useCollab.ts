/** What the live session offers the panels: its status, the awareness of who else is here
 * (their colour, selection and playhead), and setters for what this browser publishes.
 * `WorkspaceProvider` fills it; outside one (a panel rendered alone in a test) the hook
 * answers an "unavailable" session whose setters do nothing. */
import { createContext, useContext } from "react";
import type { Awareness } from "y-protocols/awareness";

import type { ProjectRole } from "@/api/types";

/** connecting: no live document yet (ticket, socket, first sync); live: synced and
 * connected; offline: synced once, connection lost (edits stay local and merge on
 * reconnect); unavailable: no live editing (the server refused or does not offer it; the
 * workspace saves through the REST API). */
export type CollabStatus = "connecting" | "live" | "offline" | "unavailable";

export interface CollabUser {
  id: string;
  name: string;
  /** "#rrggbb" */
  colour: string;
}

export interface CollabSelection {
  trackId: string | null;
  noteIds: string[];
}

/** One other browser in the room (a person with two tabs appears twice, one per tab). */
export interface RemoteUser {
  /** The Yjs awareness client id of that browser tab. */
  clientId: number;
  user: CollabUser;
  role: ProjectRole | null;
  selection: CollabSelection;
  /** Where that person's playback is, in ticks (null when stopped). */
  playhead: number | null;
}

/** The awareness state this app publishes (DESIGN §2). */
export interface AwarenessState {
  user: CollabUser;
  role: ProjectRole | null;
  selection: CollabSelection;
  playhead: number | null;
}

export interface CollabState {
  status: CollabStatus;
  /** Why live editing stopped or is unavailable, in a sentence (null when there is no
   * problem to tell). */
  reason: string | null;
  /** The role the server gave this connection (from the ticket). */
  role: ProjectRole | null;
  /** The y-protocols awareness of the live document (null before the first connection). */
  awareness: Awareness | null;
  localUser: CollabUser | null;
  /** Everyone else here, sorted by name then client id; never this tab. */
  remoteUsers: RemoteUser[];
  setLocalSelection(trackId: string | null, noteIds: string[]): void;
  setLocalPlayhead(tick: number | null): void;
}

const nothing = (): void => undefined;

export const UNAVAILABLE_COLLAB: CollabState = {
  status: "unavailable", reason: null, role: null, awareness: null, localUser: null,
  remoteUsers: [], setLocalSelection: nothing, setLocalPlayhead: nothing,
};

export const CollabContext = createContext<CollabState | null>(null);

export function useCollab(): CollabState {
  return useContext(CollabContext) ?? UNAVAILABLE_COLLAB;
}
