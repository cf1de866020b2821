// @vitest-environment jsdom
/** The track header's ✦ → "Write a part" in one section with a hint → the session request
 * the server gets; the take bar that follows, and Discard restoring the version before —
 * in the real workspace, against a fake API (the network is the only thing replaced). */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { ArrangementView } from "@/features/arrangement/ArrangementView";
import { fakeApi, type FakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { TakeBar } from "./TakeBar";
import { TakesProvider } from "./TakesProvider";

// jsdom has <dialog> without its modal methods.
if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.open = false;
  };
}

const SONG: Score = {
  bars: 4, tempo: 100, meter: { numerator: 4, denominator: 4 },
  chord_symbols: [{ tick: 0, symbol: "C" }, { tick: 3840, symbol: "F" }],
  sections: [{ name: "A", start_bar: 1, bars: 2, key: null },
             { name: "B", start_bar: 3, bars: 2, key: null }],
  tracks: [
    { id: "lead", name: "Lead", role: "melody", program: 73,
      notes: [{ id: "a", pitch: 72, start: 0, duration: 480 }] },
    { id: "bass", name: "Bass", role: "bass", program: 33, notes: [] },
  ],
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), {
  status, headers: { "Content-Type": "application/json" } });

/** The fake API plus sessions (a part ends at once: the bass gets a note), versions and
 * restore, as the server answers them. */
function partApi(sessions: unknown[] = []): FakeApi & { sessionLooks: () => number } {
  const server = fakeApi({ score: SONG });
  const inner = server.fetch.bind(server);
  const versions = new Map<number, Score>([[server.revision, structuredClone(SONG)]]);
  let looks = 0;
  server.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    const base = "/api/v1/projects/p1";
    if (request.method === "GET" && path === `${base}/sessions`) {
      looks += 1;
      return json(200, sessions);
    }
    if (request.method === "GET" && path === `${base}/tracks`) {
      return json(200, (server.score.tracks ?? []).map((t) => ({ id: t.id, name: t.name })));
    }
    if (request.method === "POST" && path === `${base}/sessions`) {
      const body = await request.clone().json() as Record<string, unknown>;
      server.requests.push({ method: "POST", path, body });
      const before = server.revision;
      server.score = { ...server.score, tracks: (server.score.tracks ?? []).map((t) => (
        t.id === body.track_id ? { ...t, notes: [{ id: "n1", pitch: 41, start: 3840,
                                                    duration: 960 }] } : t)) };
      server.revision += 1;
      versions.set(server.revision, structuredClone(server.score));
      const session = {
        id: `s${sessions.length + 1}`, project_id: "p1", job_id: null,
        operation: body.operation, prompt: body.prompt ?? "", status: "succeeded",
        progress: 100, stage: "finalize", message: "", error: null, request: body,
        warnings: [], version: server.revision, base_revision: before,
        created_at: "2026-12-03T12:00:00Z", finished_at: "2026-12-03T12:00:01Z" };
      sessions.unshift(session);
      return json(202, session);
    }
    const version = path.match(new RegExp(`^${base}/versions/(\\d+)(/restore)?$`));
    if (version) {
      const number = Number(version[1]);
      const score = versions.get(number);
      if (!score) return json(404, { error: { code: "NOT_FOUND", message: "No.", details: null } });
      if (request.method === "GET") return json(200, { number, score, reason: "generated" });
      const body = await request.clone().json() as { revision: number };
      server.requests.push({ method: "POST", path, body });
      server.score = structuredClone(score);
      server.revision += 1;
      return json(200, { project_id: "p1", revision: server.revision, score: server.score,
                         updated_at: "2026-12-03T12:00:02Z" });
    }
    return inner(request);
  };
  return Object.assign(server, { sessionLooks: () => looks });
}

describe("track parts and takes", () => {
  it("writes a part in one section with a hint, then discards the take", async () => {
    const server = partApi();
    renderWorkspace(<TakesProvider><TakeBar /><ArrangementView /></TakesProvider>, server);
    fireEvent.click(await screen.findByRole("button", { name: "Write a part for Bass…" }));
    const dialog = await screen.findByRole("dialog", { name: "Write a part for Bass" });
    fireEvent.change(within(dialog).getByLabelText("Where"), { target: { value: "1" } });
    fireEvent.change(within(dialog).getByLabelText("Hint (optional)"),
                     { target: { value: "busier" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Write the part" }));

    const bar = await screen.findByRole("region", { name: "Take" });
    expect(bar.textContent).toContain("New part for Bass in B (busier)");
    const posted = server.requests.find((r) => r.path.endsWith("/sessions"));
    expect(posted?.body).toEqual({ operation: "part", track_id: "bass", section: 1,
                                   prompt: "busier" });
    // The workspace reloaded the result: the bass lane shows its note.
    await screen.findByRole("button", { name: /^Bass: Bass, .*1 notes$/ });

    fireEvent.click(within(bar).getByRole("button", { name: "Discard" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Take" })).toBeNull());
    const restore = server.requests.find((r) => r.path.endsWith("/restore"));
    expect(restore?.path).toBe("/api/v1/projects/p1/versions/1/restore");
    expect(restore?.body).toEqual({ revision: 2 });
    await screen.findByRole("button", { name: /^Bass: Bass, .*0 notes$/ });
  });

  it("offers no take for what happened before the page opened, and Keep dismisses", async () => {
    // A variation that finished before this page opened.
    const earlier = { id: "old", project_id: "p1", job_id: null, operation: "variation",
                      prompt: "", status: "succeeded", progress: 100, stage: "finalize",
                      message: "", error: null, request: { section: 0 }, warnings: [],
                      version: 1, base_revision: 0, created_at: "2026-12-03T11:00:00Z",
                      finished_at: "2026-12-03T11:00:01Z" };
    const server = partApi([earlier]);
    renderWorkspace(<TakesProvider><TakeBar /><ArrangementView /></TakesProvider>, server);
    await waitFor(() => expect(server.sessionLooks()).toBeGreaterThanOrEqual(2));
    expect(screen.queryByRole("region", { name: "Take" })).toBeNull();
    fireEvent.click(await screen.findByRole("button", { name: "Write a part for Bass…" }));
    const dialog = await screen.findByRole("dialog", { name: "Write a part for Bass" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Write the part" }));
    const bar = await screen.findByRole("region", { name: "Take" });
    expect(bar.textContent).toContain("New part for Bass");
    expect(bar.textContent).toContain("A: before");
    fireEvent.click(within(bar).getByRole("button", { name: "Keep" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Take" })).toBeNull());
    expect(server.requests.some((r) => r.path.endsWith("/restore"))).toBe(false);
    expect(server.score.tracks?.find((t) => t.id === "bass")?.notes).toHaveLength(1);
  });
});
