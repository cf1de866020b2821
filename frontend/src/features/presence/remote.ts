/** What the editors and the presence bar draw of the other people here, derived from the
 * live session's awareness (`useCollab().remoteUsers`). Pure functions: easy to test. */
import type { RemoteUser } from "@/features/collab/useCollab";

import { safeColour } from "./colour";

/** One person in the presence bar (several tabs of one person: one avatar). */
export interface Avatar {
  userId: string;
  name: string;
  colour: string;
  role: string | null;
  /** How many tabs (awareness clients) this person has open here. */
  tabs: number;
  /** The tracks they have selected (one per tab, without repeats). */
  trackIds: string[];
}

/** Another person's mark on one track: their colour and the notes they selected there. */
export interface RemoteMark {
  clientId: number;
  userId: string;
  name: string;
  colour: string;
  noteIds: ReadonlySet<string>;
}

export interface RemotePlayhead {
  clientId: number;
  name: string;
  colour: string;
  tick: number;
}

/** The display name of a remote user: what they published, bounded, never empty. */
export function displayName(user: RemoteUser["user"]): string {
  const name = typeof user.name === "string" ? user.name.trim().slice(0, 80) : "";
  return name || "Someone";
}

/** Everyone else here, one avatar per person, in the order the session lists them. */
export function avatarsOf(remote: readonly RemoteUser[]): Avatar[] {
  const byUser = new Map<string, Avatar>();
  for (const entry of remote) {
    const userId = String(entry.user.id);
    const trackId = entry.selection?.trackId ?? null;
    const known = byUser.get(userId);
    if (known) {
      known.tabs += 1;
      if (trackId && !known.trackIds.includes(trackId)) known.trackIds.push(trackId);
      continue;
    }
    byUser.set(userId, { userId, name: displayName(entry.user),
                         colour: safeColour(entry.user.colour, userId),
                         role: entry.role ?? null, tabs: 1,
                         trackIds: trackId ? [trackId] : [] });
  }
  return [...byUser.values()];
}

/** The people whose selected track is `trackId`, with the notes they selected on it. */
export function marksOn(remote: readonly RemoteUser[], trackId: string): RemoteMark[] {
  return remote.filter((entry) => entry.selection?.trackId === trackId).map((entry) => ({
    clientId: entry.clientId, userId: String(entry.user.id), name: displayName(entry.user),
    colour: safeColour(entry.user.colour, String(entry.user.id)),
    noteIds: new Set(Array.isArray(entry.selection.noteIds) ? entry.selection.noteIds : []),
  }));
}

/** note id → the first person (in session order) who has it selected. */
export function markedNotes(marks: readonly RemoteMark[]): Map<string, RemoteMark> {
  const notes = new Map<string, RemoteMark>();
  for (const mark of marks) {
    for (const id of mark.noteIds) if (!notes.has(id)) notes.set(id, mark);
  }
  return notes;
}

/** Where the others' playback is (only those playing or placed, at a finite tick ≥ 0). */
export function playheadsOf(remote: readonly RemoteUser[]): RemotePlayhead[] {
  return remote.filter((entry) => typeof entry.playhead === "number"
                        && Number.isFinite(entry.playhead) && entry.playhead >= 0)
    .map((entry) => ({ clientId: entry.clientId, name: displayName(entry.user),
                       colour: safeColour(entry.user.colour, String(entry.user.id)),
                       tick: entry.playhead as number }));
}

/** The people behind some marks, once each (a person with two tabs on one track: once). */
export function visitorsOf(marks: readonly RemoteMark[]): Pick<Avatar, "userId" | "name" |
                                                                    "colour">[] {
  const seen = new Map<string, Pick<Avatar, "userId" | "name" | "colour">>();
  for (const mark of marks) {
    if (!seen.has(mark.userId)) {
      seen.set(mark.userId, { userId: mark.userId, name: mark.name, colour: mark.colour });
    }
  }
  return [...seen.values()];
}
