// @vitest-environment jsdom
/** The piano roll's selection commands in the real workspace, against a fake API: box
 * selection, duplicate, paste at the playhead, quantize and the velocity lane, each saved
 * as one note batch. */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { Editor } from "@/features/editor/Editor";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

const SCORE: Score = {
  bars: 4, tempo: 120, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "lead", name: "Lead", role: "melody", program: 0, is_drum: false,
             notes: [{ id: "a", pitch: 60, start: 0, duration: 480, velocity: 100 },
                     { id: "b", pitch: 62, start: 480, duration: 480, velocity: 50 },
                     { id: "c", pitch: 72, start: 1500, duration: 200, velocity: 90 }] }],
};

// Default zoom: 36 px per quarter note; 14 px rows with pitch 127 on top; jsdom's rects
// start at 0, 0.
const x = (tick: number) => (tick * 36) / 480;
const y = (pitch: number) => (127 - pitch) * 14 + 7;
const pointer = (clientX: number, clientY: number, extra: object = {}) =>
  ({ button: 0, pointerId: 1, pointerType: "mouse", clientX, clientY, ...extra });
const notes = (server: ReturnType<typeof fakeApi>) => server.score.tracks?.[0]?.notes ?? [];
const selectedIds = (grid: HTMLElement) =>
  [...grid.querySelectorAll("[data-selected]")].map((n) => n.getAttribute("data-note-id"));

async function openRoll() {
  const server = fakeApi({ score: SCORE });
  renderWorkspace(<Editor />, server);
  const grid = await screen.findByTestId("piano-roll-grid");
  return { server, grid };
}

/** Drags a box on the grid from empty space (a press on no note). */
function drawBox(grid: HTMLElement, from: [number, number], to: [number, number],
                 extra: object = {}) {
  fireEvent.pointerDown(grid, pointer(from[0], from[1], extra));
  fireEvent.pointerMove(grid, pointer((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, extra));
  fireEvent.pointerMove(grid, pointer(to[0], to[1], extra));
  fireEvent.pointerUp(grid, pointer(to[0], to[1], extra));
}

describe("PianoRoll commands", () => {
  it("selects the notes a box touches, and Shift adds another box", async () => {
    const { server, grid } = await openRoll();
    drawBox(grid, [x(100), y(64)], [x(700), y(59)]);
    await waitFor(() => expect(selectedIds(grid).sort()).toEqual(["a", "b"]));
    expect(notes(server)).toHaveLength(3);     // a box adds no note

    drawBox(grid, [x(1400), y(74)], [x(1800), y(70)], { shiftKey: true });
    await waitFor(() => expect(selectedIds(grid).sort()).toEqual(["a", "b", "c"]));
  });

  it("duplicates the selection right after its span with Ctrl+D, as one edit", async () => {
    const { server, grid } = await openRoll();
    drawBox(grid, [x(100), y(64)], [x(700), y(59)]);
    await waitFor(() => expect(selectedIds(grid)).toHaveLength(2));
    fireEvent.keyDown(grid, { key: "d", ctrlKey: true });
    await waitFor(() => expect(notes(server)).toHaveLength(5));
    const copies = notes(server).filter((n) => !["a", "b", "c"].includes(n.id ?? ""));
    expect(copies.map((n) => [n.pitch, n.start, n.duration, n.velocity]).sort())
      .toEqual([[60, 960, 480, 100], [62, 1440, 480, 50]]);
    expect(server.requests.filter((r) => r.path.endsWith("/notes/batch"))).toHaveLength(1);
  });

  it("pastes a copy where the ruler was clicked", async () => {
    const { server, grid } = await openRoll();
    fireEvent.pointerDown(grid, pointer(x(0) + 3, y(60)));
    fireEvent.pointerUp(grid, pointer(x(0) + 3, y(60)));
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    // Seek to bar 3 (the playhead), then paste there.
    const ruler = document.querySelector("svg[class*='ruler']") as SVGElement | null;
    expect(ruler).not.toBeNull();
    fireEvent.pointerDown(ruler!, pointer(x(3840), 5));
    fireEvent.click(ruler!, pointer(x(3840), 5));
    await waitFor(() => expect(document.querySelector("[data-testid='playhead']")).not.toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Paste" }));
    await waitFor(() => expect(notes(server)).toHaveLength(4));
    expect(notes(server).find((n) => n.start === 3840)).toMatchObject({ pitch: 60,
                                                                       duration: 480 });
  });

  it("quantizes the selection to the chosen grid", async () => {
    const { server, grid } = await openRoll();
    fireEvent.pointerDown(grid, pointer(x(1500) + 3, y(72)));
    fireEvent.pointerUp(grid, pointer(x(1500) + 3, y(72)));
    await waitFor(() => expect(selectedIds(grid)).toEqual(["c"]));
    fireEvent.click(screen.getByRole("button", { name: "Quantize…" }));
    const panel = screen.getByRole("dialog", { name: "Quantize" });
    fireEvent.change(within(panel).getByTestId("quantize-grid"), { target: { value: "1/8" } });
    fireEvent.click(within(panel).getByRole("button", { name: /^Quantize 1 selected/ }));
    await waitFor(() => expect(notes(server).find((n) => n.id === "c")?.start).toBe(1440));
    expect(notes(server).find((n) => n.id === "a")?.start).toBe(0);
  });

  it("sets a velocity by dragging its bar, scaling the other selected notes", async () => {
    const { server, grid } = await openRoll();
    drawBox(grid, [x(100), y(64)], [x(700), y(59)]);
    await waitFor(() => expect(selectedIds(grid)).toHaveLength(2));
    const lane = screen.getByTestId("velocity-lane");
    // a (100) dragged to half the lane's height (48 px) → 64: b (50) follows at that ratio.
    fireEvent.pointerDown(lane, pointer(x(0) + 2, 10));
    fireEvent.pointerMove(lane, pointer(x(0) + 2, 24));
    fireEvent.pointerUp(lane, pointer(x(0) + 2, 24));
    await waitFor(() => expect(notes(server).find((n) => n.id === "a")?.velocity).toBe(64));
    expect(notes(server).find((n) => n.id === "b")?.velocity).toBe(32);
  });
});
