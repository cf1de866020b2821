// @vitest-environment jsdom
/** The workspace on a live document: the score shown comes from the document, edits are
 * document transactions (no REST save), undo takes back only this tab's edits, a spent
 * ticket is replaced before reconnecting and offline edits merge, viewers are read-only and
 * told when the server refuses. The room is a stand-in at the network boundary (the
 * `WebSocket` class and the ticket route); Yjs and y-websocket are the real ones. */
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import * as Y from "yjs";

import type { Score } from "@/api/types";
import { ArrangementView } from "@/features/arrangement/ArrangementView";
import { Editor } from "@/features/editor/Editor";
import { Mixer } from "@/features/mixer/Mixer";
import { Toasts } from "@/features/workspace/Toasts";
import { useScore } from "@/features/workspace/state";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { addTrack, applyNoteOperations, updateTrack } from "./edits";
import { readDocument } from "./read";
import { fakeCollabServer } from "./testing/fakeCollabServer";
import { useCollab } from "./useCollab";
import { newDocument } from "./write";

// jsdom has <dialog> without its modal methods.
if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.open = false;
  };
}

const SCORE: Score = {
  bars: 2, tempo: 100, meter: { numerator: 4, denominator: 4 },
  tracks: [{ id: "kit", name: "Kit", role: "drums", program: 0, is_drum: true,
             notes: [{ id: "k1", pitch: 36, start: 0, duration: 120, velocity: 95 }] }],
};

/** The REST API and the room, with the room's document ahead of the REST score (as it is
 * between the server's saves). */
function setup(role: "owner" | "viewer" = "owner", saved = { revision: 1 }) {
  const live = structuredClone(SCORE);
  live.tracks![0]!.name = "Live kit";
  const room = fakeCollabServer(newDocument(live, {}));
  room.role = role;
  const api = fakeApi({ score: SCORE, role });
  const rest = api.fetch;
  api.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const ticket = room.ticketRoute(request.clone());
    if (ticket) return ticket;
    const answer = await rest(request);
    // The project's revision as the server's saves of the document move it.
    if (request.method === "GET" && new URL(request.url).pathname === "/api/v1/projects/p1") {
      return new Response(JSON.stringify({ ...await answer.json(), ...saved }),
                          { status: 200, headers: { "Content-Type": "application/json" } });
    }
    return answer;
  };
  vi.stubGlobal("WebSocket", room.WebSocket);
  return { room, api };
}

function Status() {
  const { status } = useCollab();
  const { revision, scoreVersion } = useScore();
  return (
    <>
      <output data-testid="collab-status">{status}</output>
      <output data-testid="saved">{`${revision}/${scoreVersion}`}</output>
    </>
  );
}

const status = () => screen.getByTestId("collab-status").textContent;
const kicks = (doc: Y.Doc) =>
  (readDocument(doc).score.tracks?.find((t) => t.id === "kit")?.notes ?? [])
    .filter((n) => n.pitch === 36).map((n) => n.start).sort((a, b) => a - b);
const writes = (api: ReturnType<typeof fakeApi>) => api.requests.filter(
  (r) => r.method === "PATCH" || r.method === "PUT" || r.path.endsWith("/notes/batch"));

describe("live workspace", () => {
  it("shows the document's score and writes edits into the document, not through REST",
     async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><ArrangementView /><Editor /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    await screen.findAllByText("Live kit");

    fireEvent.click(screen.getByRole("button", { name: /^Kick, bar 1 step 3$/ }));
    await waitFor(() => expect(kicks(room.doc)).toEqual([0, 240]));
    fireEvent.click(screen.getByRole("button", { name: "Rename Live kit" }));
    const field = screen.getByRole("textbox", { name: "New name for Live kit" });
    fireEvent.change(field, { target: { value: "Drums" } });
    fireEvent.submit(field);
    await waitFor(() => expect(readDocument(room.doc).score.tracks?.[0]?.name).toBe("Drums"));
    expect(writes(api)).toEqual([]);
    expect(room.issued).toHaveLength(1);
  });

  it("reorders tracks and changes the song's settings in the document", async () => {
    const { room, api } = setup();
    act(() => { addTrack(room.doc, { id: "bass", name: "Bass", role: "bass" }, {}); });
    renderWorkspace(<><Status /><ArrangementView /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    fireEvent.click(await screen.findByRole("button", { name: "Move Bass up" }));
    await waitFor(() => expect(readDocument(room.doc).score.tracks?.map((t) => t.id))
      .toEqual(["bass", "kit"]));

    fireEvent.click(screen.getByRole("button", { name: "Song…" }));
    fireEvent.change(screen.getByLabelText("Tempo (bpm)"), { target: { value: "132" } });
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "dorian" } });
    fireEvent.change(screen.getByLabelText(/^Sections/), { target: { value: "Verse 1 2" } });
    fireEvent.change(screen.getByLabelText(/^Chord symbols/),
                     { target: { value: "0 Dm7\n1920 G7" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(readDocument(room.doc).score).toMatchObject({
      tempo: 132, key: { tonic: "C", mode: "dorian" },
      sections: [{ name: "Verse", start_bar: 1, bars: 2, key: null }],
      chord_symbols: [{ tick: 0, symbol: "Dm7" }, { tick: 1920, symbol: "G7" }] }));
    expect(writes(api)).toEqual([]);
  });

  it("follows the server's saves of the document (revision and score version)", async () => {
    const saved = { revision: 1 };
    const { room, api } = setup("owner", saved);
    renderWorkspace(<><Status /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    const before = screen.getByTestId("saved").textContent!;
    expect(before.startsWith("1/")).toBe(true);
    act(() => { updateTrack(room.doc, "kit", { name: "Edited" }, {}); });
    saved.revision = 2;  // the server saved the edit as a new revision
    await waitFor(() => expect(screen.getByTestId("saved").textContent)
      .toBe(`2/${Number(before.split("/")[1]) + 1}`), { timeout: 15_000 });
  });

  it("writes the shared mix (track volume, master) into the document", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><Mixer /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    fireEvent.change(await screen.findByRole("slider", { name: /^Gain/ }),
                     { target: { value: "-6" } });
    fireEvent.click(screen.getByLabelText("True-peak limiter"));
    await waitFor(() => expect(readDocument(room.doc).mix.master)
      .toEqual({ gain_db: -6, limiter: false, ceiling_dbtp: -1 }));
    fireEvent.change(screen.getByRole("slider", { name: /^Volume/ }),
                     { target: { value: "80" } });
    await waitFor(() => expect(readDocument(room.doc).score.tracks?.[0]?.volume).toBe(80));
    expect(writes(api)).toEqual([]);
    expect(api.requests.filter((r) => r.path.endsWith("/mix") && r.method !== "GET"))
      .toEqual([]);
  });

  it("shows another person's edits as they arrive", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><ArrangementView /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    act(() => {
      updateTrack(room.doc, "kit", { name: "Their kit" }, {});
      addTrack(room.doc, { id: "bass", name: "Their bass", role: "bass" }, {});
    });
    await screen.findAllByText("Their kit");
    await screen.findAllByText("Their bass");
  });

  it("undoes only this person's edit", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><Editor /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    fireEvent.click(await screen.findByRole("button", { name: /^Kick, bar 1 step 3$/ }));
    await waitFor(() => expect(kicks(room.doc)).toEqual([0, 240]));
    // Someone else adds a kick meanwhile.
    act(() => {
      applyNoteOperations(room.doc, [{ op: "add", id: "theirs", track_id: "kit", pitch: 36,
                                       start: 480, duration: 120 }], {});
    });
    await screen.findByRole("button", { name: /^Kick, bar 1 step 5, velocity/ });

    const undo = screen.getByRole("button", { name: /^Undo Add Kick/ });
    fireEvent.click(undo);
    await waitFor(() => expect(kicks(room.doc)).toEqual([0, 480]));
    expect(screen.getByRole("button", { name: /^Undo/ }).getAttribute("aria-disabled"))
      .toBe("true");
    expect(writes(api)).toEqual([]);
  });

  it("fetches a new ticket after a close and merges the edits made meanwhile", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><Editor /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    room.accepting = false;
    act(() => room.closeAll(1001));
    await waitFor(() => expect(status()).toBe("offline"));

    // Offline: the editor stays usable and keeps the edit.
    fireEvent.click(screen.getByRole("button", { name: /^Kick, bar 2 step 1$/ }));
    await screen.findByRole("button", { name: /^Kick, bar 2 step 1, velocity/ });
    expect(kicks(room.doc)).toEqual([0]);

    room.accepting = true;
    await waitFor(() => expect(status()).toBe("live"), { timeout: 15_000 });
    await waitFor(() => expect(kicks(room.doc)).toEqual([0, 1920]));
    // A fresh ticket for every attempt: each is used once.
    expect(room.issued.length).toBeGreaterThanOrEqual(2);
    expect(writes(api)).toEqual([]);
  });

  it("replaces a spent or expired ticket (4001) and reconnects", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    act(() => room.closeAll(4001));
    await waitFor(() => expect(room.issued).toHaveLength(2));
    await waitFor(() => expect(status()).toBe("live"));
    expect(room.sockets.size).toBe(1);
    expect([...room.sockets][0]!.ticket).toBe("t2");
  });

  it("stops and says why when the project is gone (4004)", async () => {
    const { room, api } = setup();
    renderWorkspace(<><Status /><Toasts /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    act(() => room.closeAll(4004));
    await waitFor(() => expect(status()).toBe("unavailable"));
    expect((await screen.findByRole("alert")).textContent).toMatch(/no longer exists/);
    expect(room.issued).toHaveLength(1);
  });

  it("gives viewers a read-only editor and shows the server's refusal", async () => {
    const { room, api } = setup("viewer");
    renderWorkspace(<><Status /><Editor /><ArrangementView /><Toasts /></>, api);
    await waitFor(() => expect(status()).toBe("live"));
    await screen.findAllByText("Live kit");
    expect(screen.queryByRole("button", { name: "Rename Live kit" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /^Kick, bar 1 step 3$/ }));
    expect(kicks(room.doc)).toEqual([0]);

    // A change that reached the server anyway is refused and the person is told.
    const socket = [...room.sockets][0]!;
    expect(socket.role).toBe("viewer");
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(room.doc));
    updateTrack(other, "kit", { name: "Sneaky" }, {});
    const update = Y.encodeStateAsUpdate(other, Y.encodeStateVector(room.doc));
    act(() => {
      (socket as unknown as { send(data: Uint8Array): void }).send(
        new Uint8Array([0, 2, ...lengthPrefixed(update)]));
    });
    expect((await screen.findByRole("alert")).textContent).toMatch(/only view/);
    expect(readDocument(room.doc).score.tracks?.[0]?.name).toBe("Live kit");
  });
});

describe("REST fallback", () => {
  it("saves through REST when the server offers no live session", async () => {
    const api = fakeApi({ score: SCORE });
    renderWorkspace(<><Status /><Editor /></>, api);
    fireEvent.click(await screen.findByRole("button", { name: /^Kick, bar 1 step 3$/ }));
    await waitFor(() => expect(api.score.tracks?.[0]?.notes).toHaveLength(2));
    expect(status()).toBe("unavailable");
    expect(api.requests.filter((r) => r.path.endsWith("/notes/batch"))).toHaveLength(1);
  });
});

/** A var-uint length prefix and the bytes (lib0's writeVarUint8Array). */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}
