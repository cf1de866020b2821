// @vitest-environment jsdom
/** The Library tab in the real workspace, against a fake API at the network boundary
 * (`fetch`, and XMLHttpRequest for uploads): samples listed with tempo and key, filtered,
 * edited, added to the song as a clip on an audio track (new, then reused); presets applied
 * to the selected track; uploads with progress and the server's refusals as sentences. */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Score, Track } from "@/api/types";
import { ArrangementView } from "@/features/arrangement/ArrangementView";
import { usePlayhead } from "@/features/workspace/state";
import { fakeApi, type FakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import type { Preset, Sample } from "./api";
import { clipsOf } from "./audioTracks";
import { LibraryPanel } from "./LibraryPanel";

const SCORE: Score = {
  bars: 8, tempo: 100, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "lead", name: "Lead", role: "melody", program: 73,
             notes: [{ id: "n1", pitch: 60, start: 0, duration: 480 }] }],
};

/** A sample as the API lists it. */
const sample = (fields: Partial<Sample> & Pick<Sample, "id" | "name">): Sample => ({
  category: "other", bpm: null, key: null, tags: [], format: "wav", size_bytes: 1000,
  duration_s: 1, sample_rate: 44100, channels: 2, detected: {}, owned: true, shared_with: [],
  audio_url: `/api/v1/library/samples/${fields.id}/audio`, created_at: "2026-12-01T00:00:00Z",
  ...fields,
});
const LOOP = sample({ id: "11111111-1111-4111-8111-111111111111", name: "Funk loop",
                      category: "guitar", bpm: 96, key: "A minor", tags: ["funk", "guitar"],
                      duration_s: 5 });
// Someone else's, shared with this project.
const HIT = sample({ id: "22222222-2222-4222-8222-222222222222", name: "Clap",
                     category: "percussion", duration_s: 0.4, owned: false });

const preset = (fields: Partial<Preset> & Pick<Preset, "id" | "name">): Preset => ({
  category: "other", source: "gm", shipped: true, program: 0, is_drum: false,
  soundfont_id: null, bank: 0, preset: 0, effects: { gain_db: 0, fx: [] },
  mix: { volume: 100, pan: 0 }, created_at: "2026-12-01T00:00:00Z", ...fields,
});
const REVERB = { type: "reverb" as const, room_size: 0.6, wet_level: 0.3 };
const PRESETS: Preset[] = [
  preset({ id: "33333333-3333-4333-8333-333333333333", name: "Warm strings",
           category: "strings", program: 48, mix: { volume: 92, pan: -10 },
           effects: { gain_db: 0, fx: [REVERB] } }),
  preset({ id: "44444444-4444-4444-8444-444444444444", name: "Fingered bass",
           category: "bass", program: 33, mix: { volume: 105, pan: 0 } }),
];

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status,
                                       headers: { "Content-Type": "application/json", ...headers } });

/** The fake workspace API plus the library's routes and adding a track (POST /tracks). */
function libraryApi(score: Score = SCORE) {
  const server = fakeApi({ score });
  const samples = [structuredClone(LOOP), structuredClone(HIT)];
  const inner = server.fetch.bind(server);
  const urls: string[] = [];
  server.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname;
    urls.push(`${request.method} ${path}${url.search}`);
    const body: unknown = request.method === "GET" ? null
      : await request.clone().text().then((t) => (t ? JSON.parse(t) : null));
    if (path === "/api/v1/library/samples" && request.method === "GET") {
      const key = url.searchParams.get("key");
      const items = samples.filter((s) => !key || s.key === key);
      return json(200, { items, total: items.length });
    }
    const one = path.match(/^\/api\/v1\/library\/samples\/([^/]+)$/);
    if (one) {
      const sample = samples.find((s) => s.id === one[1]);
      if (!sample) return json(404, { error: { code: "NOT_FOUND", message: "No such sample." } });
      if (request.method === "PATCH") {
        server.requests.push({ method: "PATCH", path, body });
        const { project_ids: shared, ...fields } = body as { project_ids?: string[] };
        Object.assign(sample, fields, shared ? { shared_with: shared } : {});
      }
      return json(200, sample);
    }
    if (path === "/api/v1/library/presets") {
      const category = url.searchParams.get("category");
      return json(200, { items: PRESETS.filter((p) => !category || p.category === category) });
    }
    if (path === "/api/v1/library/soundfonts") return json(200, { items: [] });
    // The whole-score save: clips and preset ids go this way (the track PATCH has none).
    if (request.method === "PUT" && path === "/api/v1/projects/p1/score") {
      const { score: sent, revision } = body as { score: Score; revision: number };
      server.requests.push({ method: "PUT", path, body });
      if (revision !== server.revision) {
        return json(409, { error: { code: "CONFLICT", message: "Stale revision." } });
      }
      server.score = sent;
      server.revision += 1;
      return json(200, { project_id: "p1", revision: server.revision, score: sent,
                         updated_at: "2026-01-01T00:00:00Z" });
    }
    if (request.method === "POST" && path === "/api/v1/projects/p1/tracks") {
      const { revision, ...track } = body as Track & { revision: number };
      server.requests.push({ method: "POST", path, body });
      if (revision !== server.revision) {
        return json(409, { error: { code: "CONFLICT", message: "Stale revision." } });
      }
      server.score.tracks = [...(server.score.tracks ?? []), track];
      server.revision += 1;
      return json(201, track);
    }
    return inner(request);
  };
  return { server, urls };
}

function PlayheadAt({ tick }: { tick: number }) {
  const { setPlayheadTick } = usePlayhead();
  return <button type="button" onClick={() => setPlayheadTick(tick)}>Put playhead</button>;
}

const audioTracks = (server: FakeApi) =>
  (server.score.tracks ?? []).filter((t) => t.role === "audio");

afterEach(() => { vi.unstubAllGlobals(); });

describe("Library: samples", () => {
  it("lists samples with tempo, key, duration and tags, and filters by key", async () => {
    const { server, urls } = libraryApi();
    renderWorkspace(<LibraryPanel />, server);
    const items = await screen.findAllByTestId("sample-item");
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain("96 bpm");
    expect(items[0]!.textContent).toContain("A minor");
    expect(items[0]!.textContent).toContain("5.0 s");
    expect(within(items[0]!).getByLabelText("Tags").textContent).toContain("funk");
    expect(items[1]!.textContent).toContain("no key");

    fireEvent.change(screen.getByLabelText("Key"), { target: { value: "A minor" } });
    await waitFor(() => expect(screen.getAllByTestId("sample-item")).toHaveLength(1));
    expect(urls.some((u) => new URLSearchParams(u.split("?")[1] ?? "").get("key")
                          === "A minor")).toBe(true);
  });

  it("adds a sample at the playhead's bar on a new audio track, then reuses that track",
     async () => {
    const { server } = libraryApi();
    renderWorkspace(<><PlayheadAt tick={1920 * 2 + 500} /><ArrangementView />
                      <LibraryPanel /></>, server);
    fireEvent.click(await screen.findByRole("button", { name: "Put playhead" }));
    fireEvent.click(await screen.findByRole("button", { name: "Add Funk loop to the song" }));
    await waitFor(() => expect(audioTracks(server)).toHaveLength(1));
    const track = audioTracks(server)[0]!;
    expect(track.is_drum).toBe(false);
    expect(track.notes).toEqual([]);
    // Bar 3 starts at tick 3840; the loop has a tempo, so it follows the song's.
    expect(clipsOf(track)).toEqual([expect.objectContaining({
      sample_id: LOOP.id, start: 3840, stretch: true, gain_db: 0 })]);
    // Shared with the project first, so every member can hear it.
    expect(server.requests.find((r) => r.method === "PATCH"
      && r.path.endsWith(LOOP.id))?.body).toEqual({ project_ids: ["p1"] });
    // Someone else's sample (already shared with this project) is not re-shared.

    // The arrangement draws the clip with the sample's name.
    const clip = await screen.findByTestId("audio-clip");
    await waitFor(() => expect(clip.textContent).toContain("Funk loop"));
    expect(clip.getAttribute("aria-label")).toContain("bar 3 beat 1");

    // A one-shot without tempo goes on the same track, not stretched.
    fireEvent.click(screen.getByRole("button", { name: "Add Clap to the song" }));
    await waitFor(() => expect(clipsOf(audioTracks(server)[0]!)).toHaveLength(2));
    expect(server.requests.some((r) => r.method === "PATCH" && r.path.endsWith(HIT.id)))
      .toBe(false);
    expect(audioTracks(server)).toHaveLength(1);
    expect(clipsOf(audioTracks(server)[0]!)[1]).toEqual(expect.objectContaining({
      sample_id: HIT.id, start: 3840, stretch: false }));
  });

  it("moves a clip by a beat with the arrow keys and removes it with Delete", async () => {
    const score: Score = { ...SCORE, tracks: [...SCORE.tracks!, {
      id: "aud", name: "Loops", role: "audio", notes: [],
      clips: [{ id: "c1", sample_id: LOOP.id, start: 1920, gain_db: 0, stretch: true }],
    }] };
    const { server } = libraryApi(score);
    renderWorkspace(<ArrangementView />, server);
    const clip = await screen.findByTestId("audio-clip");
    await waitFor(() => expect(clip.textContent).toContain("Funk loop"));
    fireEvent.keyDown(clip, { key: "ArrowRight" });
    await waitFor(() => expect(clipsOf(audioTracks(server)[0]!)[0]?.start).toBe(2400));
    fireEvent.keyDown(await screen.findByTestId("audio-clip"), { key: "ArrowLeft",
                                                                 shiftKey: true });
    await waitFor(() => expect(clipsOf(audioTracks(server)[0]!)[0]?.start).toBe(480));
    fireEvent.keyDown(await screen.findByTestId("audio-clip"), { key: "Delete" });
    await waitFor(() => expect(clipsOf(audioTracks(server)[0]!)).toEqual([]));
  });

  it("edits the detected tempo, key and tags inline", async () => {
    const { server } = libraryApi();
    renderWorkspace(<LibraryPanel />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Edit Clap" }));
    const form = screen.getByRole("form", { name: "Edit Clap" });
    fireEvent.change(within(form).getByLabelText("Tempo (bpm)"), { target: { value: "120" } });
    fireEvent.change(within(form).getByLabelText("Key"), { target: { value: "D minor" } });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " Clap 2 " } });
    fireEvent.change(within(form).getByLabelText("Tags (comma-separated)"),
                     { target: { value: "Claps, dry, claps" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("form", { name: "Edit Clap" })).toBeNull());
    const patch = server.requests.find((r) => r.method === "PATCH")?.body;
    expect(patch).toEqual({ name: "Clap 2", bpm: 120, key: "D minor", tags: ["claps", "dry"] });
    const item = screen.getAllByTestId("sample-item")[1]!;
    expect(item.textContent).toContain("120 bpm");
    expect(item.textContent).toContain("D minor");
  });

  it("refuses an out-of-range tempo before saving", async () => {
    const { server } = libraryApi();
    renderWorkspace(<LibraryPanel />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Edit Clap" }));
    fireEvent.change(screen.getByLabelText("Tempo (bpm)", { selector: "form input" }),
                     { target: { value: "900" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("between 20 and 300");
    expect(server.requests.filter((r) => r.method === "PATCH")).toEqual([]);
  });
});

describe("Library: presets", () => {
  it("applies a preset to the selected track: instrument, mix, preset id and effects",
     async () => {
    const { server } = libraryApi();
    renderWorkspace(<><ArrangementView /><LibraryPanel /></>, server);
    fireEvent.click(await screen.findByTestId("library-presets"));
    const apply = await screen.findByRole("button",
                                          { name: "Apply Warm strings to the selected track" });
    fireEvent.click(screen.getByRole("button", { name: /^Lead: Melody/ }));
    await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
    expect(screen.getByText(/Applies to/).textContent).toContain("Lead");
    fireEvent.click(apply);
    await waitFor(() => expect(server.score.tracks?.[0]?.program).toBe(48));
    expect(server.score.tracks?.[0]).toEqual(expect.objectContaining({
      volume: 92, pan: -10, is_drum: false, preset_id: PRESETS[0]!.id }));
    await waitFor(() => expect(server.requests.some((r) => r.method === "PUT"
      && r.path.endsWith("/mix"))).toBe(true));
    const mix = server.requests.find((r) => r.method === "PUT" && r.path.endsWith("/mix"))
      ?.body as { settings: { tracks: Record<string, { fx: unknown[] }> } };
    expect(mix.settings.tracks.lead?.fx).toEqual([REVERB]);
  });

  it("filters presets by category", async () => {
    const { server, urls } = libraryApi();
    renderWorkspace(<LibraryPanel />, server);
    fireEvent.click(await screen.findByTestId("library-presets"));
    await screen.findAllByTestId("preset-item");
    const presets = screen.getByRole("region", { name: "Presets" });
    fireEvent.change(within(presets).getByLabelText("Category"),
                     { target: { value: "bass" } });
    await waitFor(() => expect(screen.getAllByTestId("preset-item")).toHaveLength(1));
    expect(screen.getByTestId("preset-item").textContent).toContain("Fingered bass");
    expect(urls.some((u) => u.includes("category=bass"))).toBe(true);
  });
});

/** XMLHttpRequest at the network boundary: answers uploads with `answer`, reporting
 * progress first. */
function fakeXhr(answer: (form: FormData) => { status: number; body: unknown;
                                                headers?: Record<string, string> }) {
  const sent: FormData[] = [];
  class FakeXhr {
    upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number;
                                 total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    responseText = "";
    private headers: Record<string, string> = {};
    open() {}
    setRequestHeader() {}
    abort() { this.onabort?.(); }
    getResponseHeader(name: string) { return this.headers[name] ?? null; }
    send(form: FormData) {
      sent.push(form);
      const reply = answer(form);
      queueMicrotask(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
        setTimeout(() => {
          this.status = reply.status;
          this.responseText = JSON.stringify(reply.body);
          this.headers = reply.headers ?? {};
          this.onload?.();
        }, 0);
      });
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

const wav = (name = "loop.wav", bytes = 64) =>
  new File([new Uint8Array(bytes)], name, { type: "audio/wav" });

describe("Library: upload", () => {
  it("uploads a file and shows the new sample first with its detected tempo and key",
     async () => {
    const { server } = libraryApi();
    const sent = fakeXhr(() => ({ status: 201, body: { kind: "sample", sample: sample({
      id: "55555555-5555-4555-8555-555555555555", name: "Groove", bpm: 128, key: "E minor",
      duration_s: 3.75 }) } }));
    renderWorkspace(<LibraryPanel />, server);
    await screen.findAllByTestId("sample-item");
    await act(async () => {
      fireEvent.change(screen.getByTestId("library-file"), { target: { files: [wav("Groove.wav")] } });
    });
    await waitFor(() => expect(screen.getAllByTestId("sample-item")).toHaveLength(3));
    const first = screen.getAllByTestId("sample-item")[0]!;
    expect(first.textContent).toContain("Groove");
    expect(first.textContent).toContain("128 bpm");
    expect(first.textContent).toContain("E minor");
    expect(screen.getByText("Uploaded Groove.wav.")).toBeTruthy();
    expect((sent[0]!.get("file") as File).name).toBe("Groove.wav");
    expect(sent[0]!.get("name")).toBe("Groove");
  });

  it("says plainly why the server refused a file, and when the hourly limit ends",
     async () => {
    const { server } = libraryApi();
    fakeXhr((form) => ((form.get("file") as File).name === "bad.wav"
      ? { status: 422, body: { error: { code: "VALIDATION_ERROR",
                                        message: "cannot accept bad.wav: the file could not be "
                                          + "decoded as WAV",
                                        details: [{ loc: ["body", "file"],
                                                    msg: "the file could not be decoded as WAV",
                                                    type: "unreadable_audio" }] } } }
      : { status: 429, body: { error: { code: "RATE_LIMITED", message: "Too many uploads." } },
          headers: { "Retry-After": "700" } }));
    renderWorkspace(<LibraryPanel />, server);
    await screen.findAllByTestId("sample-item");
    await act(async () => {
      fireEvent.change(screen.getByTestId("library-file"),
                       { target: { files: [wav("bad.wav"), wav("next.wav"), wav("never.wav")] } });
    });
    const alerts = await screen.findAllByRole("alert");
    const text = alerts.map((a) => a.textContent).join("\n");
    expect(text).toContain(
      "bad.wav: That file isn't a valid WAV: the file could not be decoded as WAV.");
    expect(text).toContain("Upload limit reached, try again in 12 min.");
    // After the limit, the rest are not sent.
    expect(text).not.toContain("never.wav");
  });

  it("refuses files of other types and over the size limit before sending them", async () => {
    const { server } = libraryApi();
    const sent = fakeXhr(() => ({ status: 201, body: {} }));
    renderWorkspace(<LibraryPanel />, server);
    await screen.findAllByTestId("sample-item");
    expect(screen.getByText(/At most 16 MB a file/)).toBeTruthy();
    const huge = new File([new Uint8Array(1)], "huge.wav");
    Object.defineProperty(huge, "size", { value: 17 * 1024 * 1024 });
    await act(async () => {
      fireEvent.change(screen.getByTestId("library-file"),
                       { target: { files: [new File(["x"], "notes.txt"), huge] } });
    });
    const text = (await screen.findAllByRole("alert")).map((a) => a.textContent).join("\n");
    expect(text).toContain("only WAV, FLAC, MP3, OGG samples and SF2 SoundFonts");
    expect(text).toContain("huge.wav is 17 MB; the limit is 16 MB.");
    expect(sent).toEqual([]);
  });
});
