// @vitest-environment jsdom
/** The mixer in the real workspace, against a fake API: volume and pan are saved on the
 * track; mute and solo are this listener's own (kept in this browser, sent with the
 * preview request, never saved on the score). */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { CollabContext } from "@/features/collab/useCollab";
import { liveSession, remoteUser } from "@/features/presence/testing";
import { Transport } from "@/features/transport/Transport";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { Mixer } from "./Mixer";

const SCORE: Score = {
  bars: 2,
  tracks: [
    { id: "lead", name: "Lead", role: "melody", program: 73,
      notes: [{ id: "n1", pitch: 60, start: 0, duration: 480, velocity: 90 }] },
    { id: "kit", name: "Kit", role: "drums", is_drum: true, notes: [] },
  ],
};

const track = (server: ReturnType<typeof fakeApi>, id: string) =>
  server.score.tracks?.find((t) => t.id === id);

afterEach(() => { window.localStorage.clear(); });

/** The fake API, recording the full URL of every request (the preview's query). */
function serverWithUrls(score: Score = SCORE) {
  const server = fakeApi({ score });
  const urls: string[] = [];
  const answer = server.fetch;
  server.fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return answer(input, init);
  };
  return { server, urls };
}

describe("Mixer", () => {
  it("mutes a track for this listener only: kept in this browser, never saved", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Mixer />, server);
    const mute = await screen.findByRole("button", { name: "Mute Kit" });
    expect(mute.getAttribute("aria-pressed")).toBe("false");

    fireEvent.click(mute);
    await waitFor(() => expect(screen.getByRole("button", { name: "Mute Kit" })
      .getAttribute("aria-pressed")).toBe("true"));
    expect(JSON.parse(window.localStorage.getItem("ariaforge.listen.p1") ?? "null"))
      .toEqual({ mute: ["kit"], solo: [] });
    expect(track(server, "kit")?.mute).toBeUndefined();
    // Nothing written (a POST here is the live session's ticket, if any).
    expect(server.requests.filter((r) => r.method === "PATCH" || r.method === "PUT"
                                  || r.path.endsWith("/notes/batch"))).toEqual([]);
  });

  it("marks the other tracks silent when one is soloed, for viewers too", async () => {
    const server = fakeApi({ score: SCORE, role: "viewer" });
    renderWorkspace(<Mixer />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Solo Lead" }));
    const strips = await screen.findAllByRole("listitem");
    await waitFor(() => expect(strips[1]?.textContent).toContain("silent"));
    expect(strips[0]?.textContent).not.toContain("silent");
    expect(track(server, "lead")?.solo).toBeUndefined();
  });

  it("starts from the score's own flags until this browser changes them", async () => {
    const flagged: Score = { ...SCORE, tracks: SCORE.tracks?.map((t) =>
      t.id === "kit" ? { ...t, mute: true } : t) };
    renderWorkspace(<Mixer />, fakeApi({ score: flagged }));
    const mute = await screen.findByRole("button", { name: "Mute Kit" });
    expect(mute.getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Mute Lead" }));
    await waitFor(() => expect(JSON.parse(
      window.localStorage.getItem("ariaforge.listen.p1") ?? "null"))
      .toEqual({ mute: ["kit", "lead"], solo: [] }));
  });

  it("asks the preview with this listener's mute and solo", async () => {
    const { server, urls } = serverWithUrls();
    renderWorkspace(<><Mixer /><Transport /></>, server);
    // Play is in the browser; the server's render is the transport's "Hi-fi preview".
    fireEvent.click(await screen.findByRole("button", { name: "Hi-fi preview" }));
    const previews = () => urls.filter((u) => u.includes("/preview"));
    // Before any change: the score's own flags, no query.
    await waitFor(() => expect(previews().length).toBeGreaterThan(0));
    expect(new URL(previews()[0]!).search).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Solo Kit" }));
    await waitFor(() => expect(previews().some((u) => new URL(u).search
      === "?mute=&solo=kit")).toBe(true));
  });

  it("shows who else has a track selected on its strip", async () => {
    renderWorkspace(
      <CollabContext.Provider value={liveSession([
        remoteUser(3, "u-ada", "Ada", { trackId: "kit" })])}>
        <Mixer />
      </CollabContext.Provider>, fakeApi({ score: SCORE }));
    const strips = await screen.findAllByRole("listitem");
    expect(strips[1]?.querySelector("[data-testid=track-visitors]")?.getAttribute("aria-label"))
      .toBe("Also here: Ada");
    expect(strips[0]?.querySelector("[data-testid=track-visitors]")).toBeNull();
  });

  it("sends each volume change with the revision the previous one produced", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<Mixer />, server);
    const lead = await screen.findByRole("slider", { name: "Volume, Lead" });
    const kit = screen.getByRole("slider", { name: "Volume, Kit" });
    fireEvent.change(lead, { target: { value: "90" } });
    fireEvent.change(kit, { target: { value: "80" } });
    await waitFor(() => expect(track(server, "kit")?.volume).toBe(80));
    expect(track(server, "lead")?.volume).toBe(90);
    const patches = server.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => (r.body as { revision: number }).revision)).toEqual([1, 2]);
  });

  it("names every control after its track, as a screen reader announces it", async () => {
    renderWorkspace(<Mixer />, fakeApi({ score: SCORE }));
    await screen.findByRole("slider", { name: "Volume, Lead" });
    const strips = screen.getAllByRole("listitem");
    const sliders = strips.flatMap((strip) => [...strip.querySelectorAll("input[type=range]")]);
    expect(sliders.map((s) => s.getAttribute("aria-label"))).toEqual(
      ["Volume, Lead", "Pan, Lead", "Volume, Kit", "Pan, Kit"]);
    expect(screen.getByRole("slider", { name: "Pan, Kit" }).getAttribute("aria-valuetext"))
      .toBe("centre");
    const toggles = screen.getAllByRole("button", { name: /^(Mute|Solo) / });
    expect(toggles.map((b) => b.getAttribute("aria-label"))).toEqual(
      ["Mute Lead", "Solo Lead", "Mute Kit", "Solo Kit"]);
  });
});
