// @vitest-environment jsdom
/** The drum grid in the real workspace, against a fake API: a cell toggles a hit. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { Editor } from "@/features/editor/Editor";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

const SCORE: Score = {
  bars: 2, tempo: 100, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "kit", name: "Kit", role: "drums", program: 0, is_drum: true,
             notes: [{ id: "k1", pitch: 36, start: 0, duration: 120, velocity: 95 }] }],
};

const kicks = (server: ReturnType<typeof fakeApi>) =>
  (server.score.tracks?.[0]?.notes ?? []).filter((n) => n.pitch === 36).map((n) => n.start);

describe("DrumGrid", () => {
  it("adds a hit when an empty cell is clicked, at the step's tick", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Editor />, server);
    const cell = await screen.findByRole("button", { name: /^Kick, bar 1 step 3$/ });
    expect(cell.getAttribute("aria-pressed")).toBe("false");

    fireEvent.click(cell);
    expect(cell.getAttribute("aria-pressed")).toBe("true");  // shown before it is saved
    await waitFor(() => expect(kicks(server)).toEqual([0, 240]));
    await screen.findByRole("button", { name: /^Kick, bar 1 step 3, velocity 95$/ });
  });

  it("removes the hit of a filled cell, and Ctrl+Z brings it back", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Editor />, server);
    const cell = await screen.findByRole("button", { name: /^Kick, bar 1 step 1, velocity 95$/ });

    fireEvent.click(cell);
    await waitFor(() => expect(kicks(server)).toEqual([]));
    const empty = await screen.findByRole("button", { name: /^Kick, bar 1 step 1$/ });
    expect(empty.getAttribute("aria-pressed")).toBe("false");

    await waitFor(() => expect(screen.getByRole("button", { name: /^Undo Remove Kick/ })
      .getAttribute("aria-disabled")).toBeNull());
    fireEvent.keyDown(empty, { key: "z", ctrlKey: true });
    await waitFor(() => expect(server.note("kit", "k1")).toMatchObject({ pitch: 36, start: 0 }));
  });

  it("adds hits at the velocity chosen", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Editor />, server);
    fireEvent.click(await screen.findByRole("radio", { name: "Accent" }));
    fireEvent.click(screen.getByRole("button", { name: /^Snare, bar 2 step 5$/ }));
    await waitFor(() => expect(server.score.tracks?.[0]?.notes).toHaveLength(2));
    expect(server.score.tracks?.[0]?.notes?.[1])
      .toMatchObject({ pitch: 38, start: 1920 + 4 * 120, duration: 120, velocity: 120 });
  });

  it("adds a row for any GM drum and places a hit on it", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Editor />, server);
    const add = await screen.findByRole("combobox", { name: "Add a drum row" });
    expect(screen.queryByRole("button", { name: /^Cowbell, bar 1 step 1$/ })).toBeNull();
    // The kit's rows already shown are not offered again.
    const offered = [...add.querySelectorAll("option")].map((o) => o.value).filter(Boolean);
    expect(offered).toContain("56");
    expect(offered).not.toContain("36");
    expect(offered.map(Number).every((p) => p >= 35 && p <= 81)).toBe(true);

    fireEvent.change(add, { target: { value: "56" } });
    fireEvent.click(await screen.findByRole("button", { name: /^Cowbell, bar 1 step 5$/ }));
    await waitFor(() => expect((server.score.tracks?.[0]?.notes ?? [])
      .find((n) => n.pitch === 56)).toMatchObject({ start: 480, duration: 120 }));
  });
});
