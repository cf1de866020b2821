// @vitest-environment jsdom
/** The others in the editors: their selected notes outlined in their colour, their
 * playheads as lines, and who has the track selected. */
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { CollabContext, type CollabState } from "@/features/collab/useCollab";
import { Editor } from "@/features/editor/Editor";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { liveSession, remoteUser } from "./testing";

const ROLL: Score = {
  bars: 2, tempo: 120, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "lead", name: "Lead", role: "melody", program: 0, is_drum: false, notes: [
    { id: "a", pitch: 60, start: 0, duration: 480, velocity: 90 },
    { id: "b", pitch: 64, start: 480, duration: 480, velocity: 90 },
  ] }],
};

const KIT: Score = {
  bars: 2, tempo: 100, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "kit", name: "Kit", role: "drums", program: 0, is_drum: true, notes: [
    { id: "k1", pitch: 36, start: 0, duration: 120, velocity: 95 },
    { id: "k2", pitch: 36, start: 480, duration: 120, velocity: 95 },
  ] }],
};

function renderEditor(score: Score, session: CollabState) {
  return renderWorkspace(
    <CollabContext.Provider value={session}><Editor /></CollabContext.Provider>,
    fakeApi({ score }));
}

describe("remote presence in the piano roll", () => {
  it("outlines the notes another person selected in their colour, with their name", async () => {
    renderEditor(ROLL, liveSession([
      remoteUser(5, "u-ada", "Ada", { trackId: "lead", noteIds: ["b"], colour: "#69db7c",
                                      playhead: 960 }),
      remoteUser(6, "u-bob", "Bob", { trackId: "other", noteIds: ["a"], playhead: null }),
    ]));
    const marked = await screen.findByRole("button", { name: /selected by Ada$/ });
    expect(marked.getAttribute("data-note-id")).toBe("b");
    expect(marked.getAttribute("data-remote-selected")).toBe("Ada");
    expect(marked.style.stroke).toBe("#69db7c");
    // Bob's selection is on another track: nothing of it here.
    const a = screen.getByRole("button", { name: /^Note C4 at bar 1 beat 1/ });
    expect(a.hasAttribute("data-remote-selected")).toBe(false);
    // Ada's playhead at beat 3 (960 ticks at 36 px per quarter), Bob has none.
    const heads = screen.getAllByTestId("remote-playhead");
    expect(heads.map((h) => [h.getAttribute("data-client-id"), h.getAttribute("x1"),
                             h.getAttribute("stroke")])).toEqual([["5", "72", "#69db7c"]]);
    const visitors = screen.getByTestId("track-visitors");
    expect(visitors.getAttribute("aria-label")).toBe("Also here: Ada");
    expect(within(visitors).getByText("Ada").closest("[data-user-id]")
      ?.getAttribute("data-user-id")).toBe("u-ada");
  });
});

describe("remote presence in the drum grid", () => {
  it("outlines the hits another person selected and draws their playhead", async () => {
    renderEditor(KIT, liveSession([
      remoteUser(9, "u-cy", "Cy", { trackId: "kit", noteIds: ["k2"], colour: "#ffa94d",
                                    playhead: 240 }),
    ]));
    const cell = await screen.findByRole("button", { name: /^Kick, bar 1 step 5, .*Cy$/ });
    expect(cell.getAttribute("data-remote-selected")).toBe("Cy");
    expect(cell.style.boxShadow).toContain("inset 0 0 0 2px");
    const first = screen.getByRole("button", { name: /^Kick, bar 1 step 1, velocity 95$/ });
    expect(first.hasAttribute("data-remote-selected")).toBe(false);
    const [head] = screen.getAllByTestId("remote-playhead");
    expect(head?.getAttribute("data-client-id")).toBe("9");
    expect(head?.style.left).toContain("2 * var(--cell)");  // 240 ticks: the third step
  });
});
