// @vitest-environment jsdom
/** The piano roll in the real workspace, against a fake API: pointer drags go through the
 * drag hook and end as saved note batches. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { Editor } from "@/features/editor/Editor";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

const SCORE: Score = {
  bars: 2, tempo: 120, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "lead", name: "Lead", role: "melody", program: 0, is_drum: false,
             notes: [{ id: "a", pitch: 60, start: 0, duration: 480, velocity: 90 }] }],
};

// The grid at the default zoom: 36 px per quarter note (480 ticks), 14 px rows, pitch 127
// in the top row. jsdom lays nothing out, so the grid's client rectangle starts at 0, 0.
const x = (tick: number) => (tick * 36) / 480;
const y = (pitch: number) => (127 - pitch) * 14 + 7;
const pointer = (clientX: number, clientY: number) =>
  ({ button: 0, pointerId: 1, pointerType: "mouse", clientX, clientY });

async function openRoll() {
  const server = fakeApi({ score: SCORE });
  renderWorkspace(<Editor />, server);
  const grid = await screen.findByTestId("piano-roll-grid");
  return { server, grid };
}

describe("PianoRoll", () => {
  it("moves a dragged note and saves the move", async () => {
    const { server, grid } = await openRoll();
    const note = screen.getByRole("button", { name: /^Note C4 at bar 1 beat 1/ });

    fireEvent.pointerDown(grid, pointer(x(0) + 3, y(60)));
    fireEvent.pointerMove(grid, pointer(x(480) + 3, y(62)));
    // Drawn where it is dragged before anything is saved.
    expect(note.getAttribute("data-pitch")).toBe("62");
    expect(note.getAttribute("data-start")).toBe("480");
    expect(server.note("lead", "a")).toMatchObject({ pitch: 60, start: 0 });

    fireEvent.pointerUp(grid, pointer(x(480) + 3, y(62)));
    await waitFor(() => expect(server.note("lead", "a")).toMatchObject({ pitch: 62, start: 480 }));
    const batch = server.requests.find((r) => r.path.endsWith("/notes/batch"));
    expect(batch?.body).toMatchObject({
      operations: [{ op: "move", note_id: "a", pitch: 62, start: 480 }], revision: 1,
    });
    await screen.findByRole("button", { name: /^Note D4 at bar 1 beat 2/ });
  });

  it("resizes a note dragged by its right edge, to the grid", async () => {
    const { server, grid } = await openRoll();
    fireEvent.pointerDown(grid, pointer(x(480) - 2, y(60)));
    fireEvent.pointerMove(grid, pointer(x(960) - 2, y(60)));
    fireEvent.pointerUp(grid, pointer(x(960) - 2, y(60)));
    await waitFor(() => expect(server.note("lead", "a")).toMatchObject({ duration: 960 }));
    expect(server.note("lead", "a")).toMatchObject({ pitch: 60, start: 0 });
  });

  it("adds a note where empty space is clicked, one grid step long", async () => {
    const { server, grid } = await openRoll();
    fireEvent.pointerDown(grid, pointer(x(1000), y(64)));
    fireEvent.pointerUp(grid, pointer(x(1000), y(64)));

    await waitFor(() => expect(server.score.tracks?.[0]?.notes).toHaveLength(2));
    const added = server.score.tracks?.[0]?.notes?.find((n) => n.id !== "a");
    // 1000 ticks snaps down to the 1/16 grid (120 ticks): 960, on E4 (64).
    expect(added).toMatchObject({ pitch: 64, start: 960, duration: 120, velocity: 90 });
    const shown = await screen.findByRole("button", { name: /^Note E4 at bar 1 beat 3/ });
    expect(shown.getAttribute("data-note-id")).toBe(added?.id);
  });

  it("undoes a move with Ctrl+Z", async () => {
    const { server, grid } = await openRoll();
    fireEvent.pointerDown(grid, pointer(x(0) + 3, y(60)));
    fireEvent.pointerMove(grid, pointer(x(0) + 3, y(55)));
    fireEvent.pointerUp(grid, pointer(x(0) + 3, y(55)));
    await waitFor(() => expect(server.note("lead", "a")?.pitch).toBe(55));
    await waitFor(() => expect(screen.getByRole("button", { name: /^Undo Move 1 note/ })
      .getAttribute("aria-disabled")).toBeNull());

    fireEvent.keyDown(grid, { key: "z", ctrlKey: true });
    await waitFor(() => expect(server.note("lead", "a")?.pitch).toBe(60));
  });

  it("changes nothing for a viewer", async () => {
    const server = fakeApi({ score: SCORE, role: "viewer" });
    renderWorkspace(<Editor />, server);
    const grid = await screen.findByRole("group", { name: "Lead notes (read-only)" });
    fireEvent.pointerDown(grid, pointer(x(0) + 3, y(60)));
    fireEvent.pointerMove(grid, pointer(x(0) + 3, y(70)));
    fireEvent.pointerUp(grid, pointer(x(0) + 3, y(70)));
    expect(screen.getByRole("button", { name: /^Note C4/ }).getAttribute("data-pitch"))
      .toBe("60");
    expect(screen.queryAllByRole("button", { name: /^Note / })).toHaveLength(1);
  });
});
