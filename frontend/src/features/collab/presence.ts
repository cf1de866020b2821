/** Awareness states as the app reads and publishes them (DESIGN §2): who else is here, each
 * with a colour, a selection and a playhead. Other clients may publish anything, so a state
 * is read defensively and one without a user is skipped. */
import type { Awareness } from "y-protocols/awareness";

import type { ProjectRole } from "@/api/types";
import { userColour } from "@/features/presence/colour";

import type { AwarenessState, CollabSelection, CollabUser, RemoteUser } from "./useCollab";

/** A person's colour, the same in every browser (derived from the user id; the presence
 * UI draws with the same function). */
export const colourFor = userColour;

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const ROLES = new Set(["owner", "editor", "viewer"]);

function readUser(value: unknown): CollabUser | null {
  if (typeof value !== "object" || value === null) return null;
  const { id, name, colour } = value as Record<string, unknown>;
  if (typeof id !== "string" || !id) return null;
  return { id, name: typeof name === "string" && name ? name : "Someone",
           colour: typeof colour === "string" && COLOUR.test(colour) ? colour : colourFor(id) };
}

function readSelection(value: unknown): CollabSelection {
  if (typeof value !== "object" || value === null) return { trackId: null, noteIds: [] };
  const { trackId, noteIds } = value as Record<string, unknown>;
  return {
    trackId: typeof trackId === "string" ? trackId : null,
    noteIds: Array.isArray(noteIds) ? noteIds.filter((n): n is string => typeof n === "string")
                                    : [],
  };
}

export function remoteUsersOf(awareness: Awareness): RemoteUser[] {
  const users: RemoteUser[] = [];
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return;
    const user = readUser(state.user);
    if (!user) return;
    const role = typeof state.role === "string" && ROLES.has(state.role)
      ? state.role as ProjectRole : null;
    const playhead = typeof state.playhead === "number" && Number.isFinite(state.playhead)
      ? state.playhead : null;
    users.push({ clientId, user, role, selection: readSelection(state.selection), playhead });
  });
  return users.sort((a, b) => a.user.name.localeCompare(b.user.name) ||
                              a.clientId - b.clientId);
}

/** Publishes this tab's state; `playhead` updates are throttled (the server limits the
 * messages per second of a connection, and a playing transport moves 60 times a second). */
export class LocalPresence {
  private state: AwarenessState | null = null;
  // Kept before the state is first published (the user is known a moment after connecting).
  private selection: CollabSelection = { trackId: null, noteIds: [] };
  private playhead: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = 0;

  constructor(private readonly awareness: Awareness, private readonly throttleMs = 125) {}

  publish(user: CollabUser, role: ProjectRole | null): void {
    this.state = { user, role, selection: this.selection, playhead: this.playhead };
    this.awareness.setLocalState(this.state);
  }

  setSelection(trackId: string | null, noteIds: string[]): void {
    const old = this.selection;
    if (old.trackId === trackId && old.noteIds.length === noteIds.length &&
        old.noteIds.every((id, i) => id === noteIds[i])) return;
    this.selection = { trackId, noteIds: [...noteIds] };
    if (!this.state) return;
    this.state = { ...this.state, selection: this.selection };
    this.awareness.setLocalStateField("selection", this.selection);
  }

  setPlayhead(tick: number | null): void {
    if (this.playhead === tick) return;
    this.playhead = tick;
    if (!this.state) return;
    const send = () => {
      this.timer = null;
      this.lastSent = Date.now();
      if (!this.state) return;
      this.state = { ...this.state, playhead: this.playhead };
      this.awareness.setLocalStateField("playhead", this.playhead);
    };
    const wait = this.lastSent + this.throttleMs - Date.now();
    if (tick === null || wait <= 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      send();
    } else if (this.timer === null) {
      this.timer = setTimeout(send, wait);
    }
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }
}
