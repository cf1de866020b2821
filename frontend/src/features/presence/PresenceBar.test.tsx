// @vitest-environment jsdom
/** The presence bar in the real workspace, with a live session holding chosen people. */
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { CollabContext, type CollabState } from "@/features/collab/useCollab";
import { UNAVAILABLE_COLLAB } from "@/features/collab/useCollab";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { MAX_AVATARS, PresenceBar } from "./PresenceBar";
import { liveSession, remoteUser } from "./testing";

const SCORE: Score = {
  bars: 2, tracks: [{ id: "lead", name: "Lead", role: "melody", program: 0, notes: [] }],
};

function renderBar(session: CollabState) {
  return renderWorkspace(
    <CollabContext.Provider value={session}><PresenceBar /></CollabContext.Provider>,
    fakeApi({ score: SCORE }));
}

describe("PresenceBar", () => {
  it("shows this browser first, then one avatar per other person in their colour", async () => {
    renderBar(liveSession([
      remoteUser(7, "u-ada", "Ada Lovelace", { trackId: "lead", colour: "#69db7c" }),
      remoteUser(8, "u-bob", "bob@example.org", { role: "viewer", colour: "#ffd43b" }),
      remoteUser(9, "u-ada", "Ada Lovelace", { trackId: "lead", colour: "#69db7c" }),
    ]));
    const bar = await screen.findByTestId("presence");
    const avatars = within(bar).getAllByTestId("presence-avatar");
    expect(avatars.map((a) => [a.dataset.userId, a.textContent])).toEqual([
      ["me", "MM"], ["u-ada", "AL2"], ["u-bob", "B"]]);
    expect(avatars[0]?.hasAttribute("data-you")).toBe(true);
    expect(avatars[1]?.style.background).toBe("rgb(105, 219, 124)");
    // Where they are, once the score names the track.
    await within(bar).findByLabelText("Ada Lovelace (editor), on Lead — 2 tabs");
    expect(within(bar).getByLabelText("bob@example.org (viewer)")).toBe(avatars[2]);
    expect(within(bar).getByTestId("collab-status").textContent).toBe("Live");
  });

  it("folds everyone past the limit into one +N avatar that names them", async () => {
    const many = Array.from({ length: MAX_AVATARS + 3 }, (_, i) =>
      remoteUser(i + 1, `u${i}`, `Person ${i}`));
    renderBar(liveSession(many));
    const bar = await screen.findByTestId("presence");
    // Own avatar, MAX_AVATARS - 1 others, then "+4".
    expect(within(bar).getAllByTestId("presence-avatar")).toHaveLength(MAX_AVATARS);
    const more = within(bar).getByTestId("presence-more");
    expect(more.textContent).toBe("+4");
    expect(more.title).toBe("Person 7, Person 8, Person 9, Person 10");
  });

  it("says when the connection is lost, and shows nothing without a live session", async () => {
    const view = renderBar(liveSession([], { status: "offline" }));
    const status = await screen.findByTestId("collab-status");
    expect(status.textContent).toBe("Offline");
    expect(status.title).toMatch(/merge when it returns/);
    view.unmount();
    renderBar(UNAVAILABLE_COLLAB);
    expect(screen.queryByTestId("presence")).toBeNull();
  });
});
