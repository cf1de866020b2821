/** Awareness as the app reads and publishes it, between two real y-protocols Awareness
 * instances exchanging their updates. */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  applyAwarenessUpdate, Awareness, encodeAwarenessUpdate,
} from "y-protocols/awareness";
import * as Y from "yjs";

import { colourFor, LocalPresence, remoteUsersOf } from "./presence";

function pair(): [Awareness, Awareness] {
  const mine = new Awareness(new Y.Doc());
  const theirs = new Awareness(new Y.Doc());
  for (const [from, to] of [[mine, theirs], [theirs, mine]] as const) {
    from.on("update", ({ added, updated, removed }: Record<string, number[]>) => {
      const changed = [...added!, ...updated!, ...removed!];
      applyAwarenessUpdate(to, encodeAwarenessUpdate(from, changed), "wire");
    });
  }
  return [mine, theirs];
}

afterEach(() => { vi.useRealTimers(); });

describe("presence", () => {
  it("publishes this tab's user, role, selection and playhead to the others", () => {
    const [mine, theirs] = pair();
    const local = new LocalPresence(mine, 100);
    local.setSelection("lead", ["n1"]);  // before the user is known: kept
    local.publish({ id: "u1", name: "Ada", colour: colourFor("u1") }, "editor");
    local.setPlayhead(960);
    expect(remoteUsersOf(theirs)).toEqual([{
      clientId: mine.clientID, user: { id: "u1", name: "Ada", colour: colourFor("u1") },
      role: "editor", selection: { trackId: "lead", noteIds: ["n1"] }, playhead: 960 }]);
    expect(remoteUsersOf(mine)).toEqual([]);
    local.destroy();
  });

  it("sends a moving playhead at most once per interval, ending on the last value", () => {
    vi.useFakeTimers();
    const [mine, theirs] = pair();
    const local = new LocalPresence(mine, 100);
    local.publish({ id: "u1", name: "Ada", colour: "#123456" }, "owner");
    let sent = 0;
    mine.on("update", () => { sent += 1; });
    for (let tick = 0; tick < 60; tick++) local.setPlayhead(tick * 10);
    expect(sent).toBe(1);
    vi.advanceTimersByTime(100);
    expect(sent).toBe(2);
    expect(remoteUsersOf(theirs)[0]?.playhead).toBe(590);
    local.setPlayhead(null);  // stopping is sent at once
    expect(remoteUsersOf(theirs)[0]?.playhead).toBeNull();
    local.destroy();
  });

  it("skips states without a user and repairs what another client got wrong", () => {
    const [mine, theirs] = pair();
    theirs.setLocalState({ cursor: 1 });
    expect(remoteUsersOf(mine)).toEqual([]);
    theirs.setLocalState({ user: { id: "u2", colour: "red" }, role: "boss",
                           selection: { trackId: 5, noteIds: ["a", 7] }, playhead: "x" });
    expect(remoteUsersOf(mine)).toEqual([{
      clientId: theirs.clientID, user: { id: "u2", name: "Someone", colour: colourFor("u2") },
      role: null, selection: { trackId: null, noteIds: ["a"] }, playhead: null }]);
  });
});
