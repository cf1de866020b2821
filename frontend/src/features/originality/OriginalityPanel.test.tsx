// @vitest-environment jsdom
/** The Originality tab in the real workspace against a fake API (the network is the only
 * thing replaced): the check's verdict, matches and side-by-side bars; plain-words errors;
 * "Vary these bars" starting a variation of the section that holds them, which arrives as a
 * take; similar projects as links; a phrase selected in the piano roll searched. */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { Editor } from "@/features/editor/Editor";
import { TakeBar } from "@/features/takes/TakeBar";
import { TakesProvider } from "@/features/takes/TakesProvider";
import { fakeApi, type FakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { OriginalityPanel } from "./OriginalityPanel";
import type { CheckResult, Match, SimilarityStatus } from "./types";

const SONG: Score = {
  bars: 8, tempo: 100, meter: { numerator: 4, denominator: 4 },
  sections: [{ name: "Verse", start_bar: 1, bars: 4, key: null },
             { name: "Chorus", start_bar: 5, bars: 4, key: null }],
  tracks: [{ id: "lead", name: "Lead", role: "melody", program: 0, is_drum: false,
             notes: [{ id: "a", pitch: 60, start: 0, duration: 480, velocity: 90 },
                     { id: "b", pitch: 62, start: 480, duration: 480, velocity: 90 },
                     { id: "c", pitch: 64, start: 960, duration: 960, velocity: 90 },
                     { id: "d", pitch: 67, start: 1920, duration: 480, velocity: 90 }] }],
};

const note = (pitch: number, start: number, duration = 480) => ({ pitch, start, duration });

const MELODY: Match = {
  score: 0.93, kind: "melody",
  source: { type: "reference", id: "t1", title: "Old Tune", licence: "Public domain",
            project_id: null, version: null },
  query_bars: { start_bar: 5, bars: 4, track_id: "lead", track_name: "Lead" },
  match_bars: { start_bar: 1, bars: 4, track_id: null, track_name: "" },
  // Yours: C D E G F; theirs (a tone lower): B♭ C D F, then an extra A.
  query_notes: [note(60, 0), note(62, 480), note(64, 960), note(67, 1440), note(65, 1920)],
  match_notes: [note(58, 0), note(60, 480), note(62, 960), note(65, 1440), note(69, 1920)],
  transposition: 2,
};

const HARMONY: Match = {
  score: 0.97, kind: "harmony",
  source: { type: "project", id: "v9", title: "My Other Song", licence: null,
            project_id: "p2", version: 3 },
  query_bars: { start_bar: 1, bars: 4, track_id: null, track_name: "" },
  match_bars: { start_bar: 9, bars: 4, track_id: null, track_name: "" },
  query_notes: [note(0, 0, 1920), note(5, 1920, 1920), note(7, 3840, 1920), note(0, 5760, 1920)],
  match_notes: [note(0, 0, 1920), note(5, 1920, 1920), note(7, 3840, 1920), note(0, 5760, 1920)],
  transposition: 0, labels: ["C", "F", "G", "C"],
};

const UNSAFE: CheckResult = {
  is_safe: false, threshold: 0.8, score: 0.93,
  query: { kind: "project", project_id: "p1", version: 2, filename: null, notes: 4 },
  matches: [MELODY, HARMONY],
  recommendations: [{ start_bar: 5, bars: 4, track_id: "lead", section: "Chorus",
                      message: "Bars 5–8 of Lead follow Old Tune closely." }],
  reference: { tunes: 4798, ready: true },
};

const STATUS: SimilarityStatus = {
  reference: { tunes: 4798, windows: 120000, version: "abc", ready: true },
  threshold: 0.8, indexed_versions: 12,
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json", ...headers } });

interface Answers {
  check?: () => Response;
  search?: () => Response;
  similar?: () => Response;
  status?: SimilarityStatus;
}

/** The fake API plus the similarity endpoints and sessions (a variation ends at once). */
function originalityApi(answers: Answers = {}): FakeApi {
  const server = fakeApi({ score: SONG });
  const inner = server.fetch.bind(server);
  const sessions: unknown[] = [];
  server.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    const body: unknown = request.method === "POST" ? await request.clone().json() : null;
    const record = () => server.requests.push({ method: request.method, path, body });
    if (path === "/api/v1/similarity/status") return json(200, answers.status ?? STATUS);
    if (path === "/api/v1/similarity/check") {
      record();
      return answers.check?.() ?? json(200, UNSAFE);
    }
    if (path === "/api/v1/similarity/search") {
      record();
      return answers.search?.() ?? json(200, { ...UNSAFE, matches: [MELODY] });
    }
    if (path === "/api/v1/projects/p1/similar") {
      record();
      return answers.similar?.() ?? json(200, { items: [] });
    }
    if (path === "/api/v1/projects/p1/sessions" && request.method === "GET") {
      return json(200, sessions);
    }
    if (path === "/api/v1/projects/p1/sessions" && request.method === "POST") {
      record();
      const before = server.revision;
      server.revision += 1;
      const session = {
        id: `s${sessions.length + 1}`, project_id: "p1", job_id: null,
        operation: (body as { operation: string }).operation, prompt: "", status: "succeeded",
        progress: 100, stage: "finalize", message: "", error: null, request: body,
        warnings: [], version: server.revision, base_revision: before,
        created_at: "2026-12-03T12:00:00Z", finished_at: "2026-12-03T12:00:01Z" };
      sessions.unshift(session);
      return json(202, session);
    }
    return inner(request);
  };
  return server;
}

describe("OriginalityPanel", () => {
  it("shows the verdict, the matches and the matched bars side by side", async () => {
    const server = originalityApi();
    renderWorkspace(<OriginalityPanel />, server);
    expect((await screen.findByTestId("corpus-status")).textContent)
      .toBe("Reference corpus: 4,798 tunes");
    fireEvent.click(screen.getByRole("button", { name: "Check originality" }));

    expect((await screen.findByTestId("originality-badge")).textContent)
      .toBe("Too close to Old Tune");
    const check = server.requests.find((r) => r.path === "/api/v1/similarity/check");
    expect(check?.body).toEqual({ project_id: "p1", version: null, scope: "all", limit: 8 });
    const overall = screen.getByRole("meter", { name: "Overall similarity" });
    expect(overall.getAttribute("aria-valuetext")).toBe("93% (threshold 80%)");

    const list = screen.getByRole("list", { name: "Matches of this song" });
    const [melody, harmony] = within(list).getAllByTestId("match");
    expect(melody!.textContent).toContain("Old Tune");
    expect(melody!.textContent).toContain("Reference tune · Public domain");
    expect(within(melody!).getByTestId("match-bars").textContent)
      .toBe("your bars 5–8 ↔ their bars 1–4 · yours is 2 semitones higher · Lead");
    expect(melody!.textContent).toContain("Melody");
    expect(harmony!.textContent).toContain("Your project · version 3");
    expect(harmony!.textContent).toContain("never make a song unoriginal");
    expect(within(harmony!).getByRole("link", { name: "open" }).getAttribute("href"))
      .toMatch(/^\/workspace\/?\?project=p2$/);

    const expand = within(melody!).getByRole("button", { name: "Compare the bars" });
    expect(expand.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(expand);
    expect(expand.getAttribute("aria-expanded")).toBe("true");
    const yours = within(melody!).getByTestId("roll-yours");
    const theirs = within(melody!).getByTestId("roll-theirs");
    expect(yours.getAttribute("aria-label")).toBe("Yours, bars 5–8: 5 notes, 4 aligned");
    expect(theirs.getAttribute("aria-label")).toBe("Old Tune, bars 1–4: 5 notes, 4 aligned");
    // The same steps (up 2, up 2, up 3) are highlighted on both sides; the last notes differ.
    const alignedPitches = (roll: Element) => [...roll.querySelectorAll("rect[data-aligned]")]
      .map((r) => Number(r.getAttribute("y")));
    expect(alignedPitches(yours)).toHaveLength(4);
    expect(alignedPitches(theirs)).toHaveLength(4);
  });

  it("says Original when nothing decides against the song", async () => {
    const safe: CheckResult = { ...UNSAFE, is_safe: true, score: 0.41, recommendations: [],
                                matches: [{ ...MELODY, score: 0.41 }] };
    const server = originalityApi({
      check: () => json(200, safe),
      status: { ...STATUS, reference: { ...STATUS.reference, tunes: 800, ready: false } },
    });
    renderWorkspace(<OriginalityPanel />, server);
    expect((await screen.findByTestId("corpus-status")).textContent)
      .toBe("Reference corpus: still loading (800 tunes so far)");
    fireEvent.click(screen.getByRole("button", { name: "Check originality" }));
    expect((await screen.findByTestId("originality-badge")).textContent).toBe("Original");
    expect(screen.queryByTestId("recommendation")).toBeNull();
  });

  it("puts a rate limit in plain words", async () => {
    const server = originalityApi({
      check: () => json(429, { error: { code: "RATE_LIMITED", message: "Too many requests.",
                                        details: { retry_after: 150 } } },
                        { "Retry-After": "150" }),
    });
    renderWorkspace(<OriginalityPanel />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Check originality" }));
    expect((await screen.findByRole("alert")).textContent)
      .toBe("Too many requests for now: try again in 3 minutes.");
    expect(screen.queryByTestId("originality-badge")).toBeNull();
  });

  it("varies the section holding the bars; the variation arrives as a take", async () => {
    const server = originalityApi();
    renderWorkspace(<TakesProvider><TakeBar /><OriginalityPanel /></TakesProvider>, server);
    fireEvent.click(await screen.findByRole("button", { name: "Check originality" }));
    const vary = await screen.findByRole("button", { name: "Vary bars 5–8 (section Chorus)" });
    fireEvent.click(vary);
    await waitFor(() => expect(server.requests.some((r) => r.path.endsWith("/sessions")))
      .toBe(true));
    const posted = server.requests.find((r) => r.path === "/api/v1/projects/p1/sessions");
    expect(posted?.body).toEqual({ operation: "variation", section: 1, prompt: "" });
    const take = await screen.findByRole("region", { name: "Take" });
    expect(take.textContent).toContain("Variation of Chorus");
    expect((await screen.findByTestId("vary-status")).textContent)
      .toContain("A variation of Chorus is ready");
  });

  it("lists similar projects as links", async () => {
    const server = originalityApi({
      similar: () => json(200, { items: [{ project_id: "p7", name: "Summer Demo", score: 0.88,
                                           version: 4, matches: [MELODY] }] }),
    });
    renderWorkspace(<OriginalityPanel />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Find similar in my projects" }));
    const link = await screen.findByRole("link", { name: "Summer Demo" });
    expect(link.getAttribute("href")).toMatch(/^\/workspace\/?\?project=p7$/);
    expect(screen.getByTestId("similar-project").textContent)
      .toContain("Closest: your bars 5–8 ↔ their bars 1–4");
  });

  it("searches the notes selected in the piano roll", async () => {
    const server = originalityApi();
    renderWorkspace(<><Editor /><OriginalityPanel /></>, server);
    await screen.findByTestId("piano-roll-grid");
    const search = screen.getByRole("button", { name: "Search" });
    expect(search).toHaveProperty("disabled", true);
    expect(screen.getByTestId("phrase-selection").textContent)
      .toBe("no notes selected in the piano roll");

    await screen.findByRole("button", { name: /^Note G4 at bar 2 beat 1/ });
    // Ctrl+A in the roll (again, should the workspace still be settling its first load).
    await waitFor(() => {
      fireEvent.keyDown(screen.getByTestId("piano-roll-grid"), { key: "a", ctrlKey: true });
      expect(screen.getByTestId("phrase-selection").textContent).toBe("4 notes selected in Lead");
    });
    fireEvent.click(search);
    const found = await screen.findByRole("list", { name: "Matches of the phrase" });
    expect(within(found).getByTestId("match-title").textContent).toBe("Old Tune");
    const sent = server.requests.find((r) => r.path === "/api/v1/similarity/search");
    expect(sent?.body).toEqual({ scope: "all", limit: 8, notes: [
      note(60, 0), note(62, 480), note(64, 960, 960), note(67, 1920)] });
  });
});
