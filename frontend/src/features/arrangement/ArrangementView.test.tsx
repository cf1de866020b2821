// @vitest-environment jsdom
/** The arrangement in the real workspace, against a fake API: lanes select tracks for the
 * editor, a rename is saved on the track, and the song (tempo, key, meter, bars, chords,
 * sections) is edited in place and saved on the score. */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { useSelection } from "@/features/workspace/state";
import { fakeApi, type FakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { ArrangementView } from "./ArrangementView";

const SCORE: Score = {
  bars: 4, tempo: 96, meter: { numerator: 3, denominator: 4 },
  tracks: [
    { id: "lead", name: "Lead", role: "melody", program: 73,
      notes: [{ id: "a", pitch: 72, start: 0, duration: 480 }] },
    { id: "bass", name: "Bass", role: "bass", program: 33, notes: [] },
  ],
};

// 4/4, 8 bars of 1920 ticks, a chord per bar for the first three bars, a verse.
const SONG: Score = {
  bars: 8, tempo: 100, key: { tonic: "C", mode: "major" },
  meter: { numerator: 4, denominator: 4 },
  chord_symbols: [{ tick: 0, symbol: "C" }, { tick: 1920, symbol: "Am7" },
                  { tick: 3840, symbol: "F" }],
  sections: [{ name: "Verse", start_bar: 1, bars: 4, key: null }],
  tracks: [{ id: "keys", name: "Keys", role: "chords", program: 4, notes: [] }],
};

/** The fake API plus the whole-score save (PUT /score) with the revision check, as the
 * server does it: the REST fallback saves song settings, chords and sections that way. */
function songApi(score: Score, role: "owner" | "viewer" = "owner"): FakeApi {
  const server = fakeApi({ score, role });
  const inner = server.fetch.bind(server);
  server.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (request.method === "PUT" && new URL(request.url).pathname === "/api/v1/projects/p1/score") {
      const body = await request.clone().json() as { score: Score; revision: number };
      server.requests.push({ method: "PUT", path: "/api/v1/projects/p1/score", body });
      if (body.revision !== server.revision) {
        return new Response(JSON.stringify({ error: { code: "CONFLICT", message: "Stale.",
                                                      details: null } }), { status: 409 });
      }
      server.score = body.score;
      server.revision += 1;
      return new Response(JSON.stringify({ project_id: "p1", revision: server.revision,
                                           score: server.score,
                                           updated_at: "2026-01-01T00:00:00Z" }),
                          { status: 200, headers: { "Content-Type": "application/json" } });
    }
    return inner(request);
  };
  return server;
}

/** Shows which track the workspace has selected, as the editor would use it. */
function SelectedTrack() {
  const { selectedTrackId } = useSelection();
  return <output aria-label="Selected track">{selectedTrackId ?? "none"}</output>;
}

const ticks = (server: FakeApi) =>
  (server.score.chord_symbols ?? []).map((c) => `${c.tick}:${c.symbol}`);

describe("ArrangementView", () => {
  it("shows a lane per track and selects the one clicked", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<><ArrangementView /><SelectedTrack /></>, server);
    const bass = await screen.findByRole("button", { name: /^Bass: Bass, .*0 notes$/ });
    expect((screen.getByLabelText("Song tempo (bpm)") as HTMLInputElement).value).toBe("96");
    expect((screen.getByLabelText("Song beats per bar") as HTMLInputElement).value).toBe("3");
    expect((screen.getByLabelText("Song length (bars)") as HTMLInputElement).value).toBe("4");
    await waitFor(() => expect(screen.getByLabelText("Selected track").textContent)
      .toBe("lead"));

    fireEvent.click(bass);
    expect(screen.getByLabelText("Selected track").textContent).toBe("bass");
    expect(bass.getAttribute("aria-pressed")).toBe("true");
  });

  it("renames a track: saved on the track and shown on its lane", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<ArrangementView />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Rename Lead" }));
    const field = screen.getByLabelText("New name for Lead");
    fireEvent.change(field, { target: { value: "  Flute line  " } });
    fireEvent.submit(field);

    await waitFor(() => expect(server.score.tracks?.[0]?.name).toBe("Flute line"));
    await screen.findByRole("button", { name: /^Flute line: Melody, / });
    expect(server.score.tracks?.[1]?.name).toBe("Bass");
  });
});

describe("song editing in the arrangement", () => {
  it("edits tempo, key, meter and bars inline, clamped, saved on the score", async () => {
    const server = songApi(SONG);
    renderWorkspace(<ArrangementView />, server);
    const tempo = await screen.findByLabelText("Song tempo (bpm)");
    fireEvent.change(tempo, { target: { value: "5000" } });
    fireEvent.blur(tempo);
    await waitFor(() => expect(server.score.tempo).toBe(1000));

    fireEvent.change(screen.getByLabelText("Song key"), { target: { value: "Eb" } });
    await waitFor(() => expect(server.score.key?.tonic).toBe("Eb"));
    fireEvent.change(screen.getByLabelText("Song mode"), { target: { value: "dorian" } });
    await waitFor(() => expect(server.score.key?.mode).toBe("dorian"));

    // Shortening to 2 bars trims the verse and the chord in bar 3 before saving the length.
    const bars = screen.getByLabelText("Song length (bars)");
    fireEvent.change(bars, { target: { value: "2" } });
    fireEvent.keyDown(bars, { key: "Enter" });
    await waitFor(() => expect(server.score.bars).toBe(2));
    expect(server.score.sections).toEqual([{ name: "Verse", start_bar: 1, bars: 2, key: null }]);
    expect(ticks(server)).toEqual(["0:C", "1920:Am7"]);
  });

  it("types a chord in an empty lane: unknown symbols are refused, a valid one saved", async () => {
    const server = songApi({ ...SONG, chord_symbols: [] });
    renderWorkspace(<ArrangementView />, server);
    const lane = await screen.findByRole("group", { name: "Chord track" });
    fireEvent.pointerDown(lane, { button: 0, clientX: 0, pointerId: 1 });
    fireEvent.pointerUp(lane, { button: 0, clientX: 0, pointerId: 1 });
    const editor = await screen.findByRole("dialog", { name: "Chord at bar 1 beat 1" });
    const field = within(editor).getByTestId("chord-input");
    fireEvent.change(field, { target: { value: "Hm7" } });
    expect(within(editor).getByRole("alert").textContent).toMatch(/root A–G/);
    fireEvent.change(field, { target: { value: "Cxyz" } });
    fireEvent.submit(field);
    expect(within(editor).getByRole("alert").textContent).toMatch(/Unknown chord quality/);
    expect(server.requests.some((r) => r.method === "PUT")).toBe(false);

    fireEvent.change(field, { target: { value: " am7/g " } });
    fireEvent.submit(field);
    await waitFor(() => expect(ticks(server)).toEqual(["0:Am7/G"]));
    await screen.findByRole("button", { name: "Chord Am7/G at bar 1 beat 1" });
  });

  it("offers the key's chords, borrowed ones and secondary dominants, and picks one", async () => {
    const server = songApi(SONG);
    renderWorkspace(<ArrangementView />, server);
    const chord = await screen.findByRole("button", { name: "Chord Am7 at bar 2 beat 1" });
    act(() => chord.focus());
    fireEvent.keyDown(chord, { key: "Enter" });
    const editor = await screen.findByRole("dialog", { name: "Chord at bar 2 beat 1" });
    within(editor).getByRole("button", { name: "G7 (V7)" });
    within(editor).getByRole("button", { name: "Ab (bVI)" });
    within(editor).getByRole("button", { name: "E7 (V7/vi)" });
    fireEvent.click(within(editor).getByRole("button", { name: "Bb (bVII)" }));
    await waitFor(() => expect(ticks(server)).toEqual(["0:C", "1920:Bb", "3840:F"]));
  });

  it("walks chords with arrows, resizes, moves and deletes them from the keyboard",
     async () => {
    const server = songApi(SONG);
    renderWorkspace(<ArrangementView />, server);
    const first = await screen.findByRole("button", { name: "Chord C at bar 1 beat 1" });
    act(() => first.focus());
    fireEvent.keyDown(first, { key: "ArrowRight" });
    const second = screen.getByRole("button", { name: "Chord Am7 at bar 2 beat 1" });
    await waitFor(() => expect(document.activeElement).toBe(second));

    // Shift+→ on C lengthens it by a beat: Am7 now starts on bar 2 beat 2.
    fireEvent.keyDown(first, { key: "ArrowRight", shiftKey: true });
    await waitFor(() => expect(ticks(server)).toEqual(["0:C", "2400:Am7", "3840:F"]));
    // Alt+→ moves F a beat later.
    fireEvent.keyDown(await screen.findByRole("button", { name: "Chord F at bar 3 beat 1" }),
                      { key: "ArrowRight", altKey: true });
    await waitFor(() => expect(ticks(server)).toEqual(["0:C", "2400:Am7", "4320:F"]));
    fireEvent.keyDown(await screen.findByRole("button", { name: "Chord Am7 at bar 2 beat 2" }),
                      { key: "Delete" });
    await waitFor(() => expect(ticks(server)).toEqual(["0:C", "4320:F"]));
  });

  it("drags a chord's right edge (the next chord moves, snapped to a beat) and a section",
     async () => {
    const server = songApi(SONG);
    renderWorkspace(<ArrangementView />, server);
    // The default zoom draws a quarter note (480 ticks) as 12 px; jsdom puts lanes at x = 0.
    const lane = await screen.findByRole("group", { name: "Chord track" });
    const first = screen.getByRole("button", { name: "Chord C at bar 1 beat 1" });
    const [edge] = within(first).getAllByTestId("chord-resize");
    fireEvent.pointerDown(edge!, { button: 0, clientX: 48, pointerId: 1 });
    fireEvent.pointerMove(lane, { clientX: 55, pointerId: 1 });
    fireEvent.pointerMove(lane, { clientX: 61, pointerId: 1 });
    fireEvent.pointerUp(lane, { clientX: 61, pointerId: 1 });
    await waitFor(() => expect(ticks(server)).toEqual(["0:C", "2400:Am7", "3840:F"]));

    // A double-click inside a chord's span adds one on the beat clicked (bar 1 beat 3).
    fireEvent.doubleClick(lane, { clientX: 25 });
    const editor = await screen.findByRole("dialog", { name: "Chord at bar 1 beat 3" });
    fireEvent.click(within(editor).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();

    // Dragging the verse's body two bars right (2 × 48 px) moves it, keeping its 4 bars.
    const sections = screen.getByRole("group", { name: "Song sections" });
    const verse = screen.getByRole("button", { name: "Section Verse, bars 1 to 4" });
    fireEvent.pointerDown(verse, { button: 0, clientX: 10, pointerId: 2 });
    fireEvent.pointerMove(sections, { clientX: 60, pointerId: 2 });
    fireEvent.pointerMove(sections, { clientX: 106, pointerId: 2 });
    fireEvent.pointerUp(sections, { clientX: 106, pointerId: 2 });
    await waitFor(() => expect(server.score.sections?.[0]).toMatchObject({ start_bar: 3,
                                                                           bars: 4 }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("adds, renames and sets a section's key and tempo", async () => {
    const server = songApi(SONG);
    renderWorkspace(<ArrangementView />, server);
    fireEvent.click(await screen.findByRole("button", { name: "+ Section" }));
    const rename = await screen.findByLabelText("New name for section Section 2");
    fireEvent.change(rename, { target: { value: "Chorus" } });
    fireEvent.keyDown(rename, { key: "Enter" });
    await waitFor(() => expect(server.score.sections?.map((s) => s.name))
      .toEqual(["Verse", "Chorus"]));
    expect(server.score.sections?.[1]).toMatchObject({ start_bar: 5, bars: 4 });

    const chorus = await screen.findByRole("button", { name: "Section Chorus, bars 5 to 8" });
    act(() => chorus.focus());
    fireEvent.keyDown(chorus, { key: "Enter" });
    const editor = await screen.findByRole("dialog", { name: /Section Chorus/ });
    fireEvent.change(within(editor).getByTestId("section-tonic"), { target: { value: "G" } });
    fireEvent.change(within(editor).getByTestId("section-tempo"), { target: { value: "120" } });
    fireEvent.click(within(editor).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.score.sections?.[1]?.key)
      .toEqual({ tonic: "G", mode: "major" }));
    await waitFor(() => expect(server.score.tempo_changes).toEqual([{ tick: 7680, bpm: 120 }]));
    await screen.findByRole("button", { name: "Section Chorus, bars 5 to 8, in G major" });

    // Shift+← shrinks it by a bar; a section never grows past the song's end.
    const keyed = screen.getByRole("button", { name: /Section Chorus, bars 5 to 8/ });
    fireEvent.keyDown(keyed, { key: "ArrowLeft", shiftKey: true });
    await waitFor(() => expect(server.score.sections?.[1]).toMatchObject({ bars: 3 }));
  });

  it("shows viewers the song read-only", async () => {
    const server = songApi(SONG, "viewer");
    renderWorkspace(<ArrangementView />, server);
    const chord = await screen.findByRole("button", { name: "Chord Am7 at bar 2 beat 1" });
    expect(screen.getByTestId("song-summary").textContent).toBe("8 bars · 100 bpm · 4/4 · C major");
    expect(screen.queryByLabelText("Song tempo (bpm)")).toBeNull();
    expect(screen.queryByRole("button", { name: "+ Section" })).toBeNull();
    expect(screen.queryByRole("button", { name: "+ Chord" })).toBeNull();
    act(() => chord.focus());
    fireEvent.keyDown(chord, { key: "Enter" });
    fireEvent.keyDown(chord, { key: "Delete" });
    expect(screen.queryByRole("dialog")).toBeNull();
    // Only reads (and the live-connection ticket request, which writes nothing).
    expect(server.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/collab/ticket")))
      .toEqual([]);
  });
});
