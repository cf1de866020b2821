// @vitest-environment jsdom
/** The mixer in the real workspace, against a fake API: mute and solo are saved on the
 * track and shown from the saved score. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { Mixer } from "./Mixer";

const SCORE: Score = {
  bars: 2,
  tracks: [
    { id: "lead", name: "Lead", role: "melody", program: 73, notes: [] },
    { id: "kit", name: "Kit", role: "drums", is_drum: true, notes: [] },
  ],
};

const track = (server: ReturnType<typeof fakeApi>, id: string) =>
  server.score.tracks?.find((t) => t.id === id);

describe("Mixer", () => {
  it("mutes a track: saved on the track, pressed once saved", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Mixer />, server);
    const mute = await screen.findByRole("button", { name: "Mute Kit" });
    expect(mute.getAttribute("aria-pressed")).toBe("false");

    fireEvent.click(mute);
    await waitFor(() => expect(track(server, "kit")?.mute).toBe(true));
    await waitFor(() => expect(screen.getByRole("button", { name: "Mute Kit" })
      .getAttribute("aria-pressed")).toBe("true"));
    expect(track(server, "lead")?.mute).toBeUndefined();
  });

  it("marks the other tracks silent when one is soloed", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Mixer />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Solo Lead" }));
    await waitFor(() => expect(track(server, "lead")?.solo).toBe(true));
    const strips = await screen.findAllByRole("listitem");
    await waitFor(() => expect(strips[1]?.textContent).toContain("silent"));
    expect(strips[0]?.textContent).not.toContain("silent");
  });

  it("sends each change with the revision the previous one produced", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Mixer />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Mute Lead" }));
    fireEvent.click(screen.getByRole("button", { name: "Mute Kit" }));
    await waitFor(() => expect(track(server, "kit")?.mute).toBe(true));
    expect(track(server, "lead")?.mute).toBe(true);
    const patches = server.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => (r.body as { revision: number }).revision)).toEqual([1, 2]);
  });
});
