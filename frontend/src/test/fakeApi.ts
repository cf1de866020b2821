/** An in-memory stand-in for the AriaForge API at the network boundary (`fetch`), for
 * component tests: one project with a score and a mix, note batches and track patches
 * applied as the server applies them (with the revision check), every request recorded. */
import type { MixSettings, NoteOperation, Project, Score, Track } from "@/api/types";

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeApi {
  /** The score as the server holds it now. */
  score: Score;
  revision: number;
  requests: RecordedRequest[];
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The note `id` of `trackId` as stored, or undefined. */
  note(trackId: string, id: string): NonNullable<Track["notes"]>[number] | undefined;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const error = (status: number, code: string, message: string) =>
  json(status, { error: { code, message, details: null } });

export function fakeApi({ projectId = "p1", score, role = "owner" }: {
  projectId?: string; score: Score; role?: Project["role"];
}): FakeApi {
  let nextId = 1;
  let mix: { revision: number; settings: MixSettings } = {
    revision: 1, settings: { master: { gain_db: 0, limiter: true, ceiling_dbtp: -1 } },
  };
  const project: Project = {
    id: projectId, name: "Test project", role, status: "active", revision: 1,
    description: "", genre: "", key: "C", mode: "major", meter: "4/4", tempo: 120,
    created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
  } as Project;

  const api: FakeApi = {
    score: structuredClone(score),
    revision: 1,
    requests: [],
    note(trackId, id) {
      return api.score.tracks?.find((t) => t.id === trackId)?.notes?.find((n) => n.id === id);
    },
    async fetch(input, init) {
      const request = input instanceof Request ? input : new Request(input, init);
      const path = new URL(request.url).pathname;
      const text = request.method === "GET" ? "" : await request.text();
      const body: unknown = text ? JSON.parse(text) : null;
      api.requests.push({ method: request.method, path, body });
      const base = `/api/v1/projects/${projectId}`;

      if (request.method === "GET" && path === base) return json(200, project);
      if (request.method === "GET" && path === `${base}/score`) {
        return json(200, { project_id: projectId, revision: api.revision,
                           score: api.score, updated_at: project.updated_at });
      }
      if (request.method === "GET" && path === `${base}/mix`) return json(200, mix);
      if (request.method === "PUT" && path === `${base}/mix`) {
        const sent = body as typeof mix;
        if (sent.revision !== mix.revision) return error(409, "CONFLICT", "Stale mix.");
        mix = { revision: mix.revision + 1, settings: sent.settings };
        return json(200, mix);
      }
      if (request.method === "POST" && path === `${base}/notes/batch`) {
        const batch = body as { operations: NoteOperation[]; revision: number };
        if (batch.revision !== api.revision) return error(409, "CONFLICT", "Stale revision.");
        const added = applyBatch(api.score, batch.operations, () => `srv${nextId++}`);
        if (added === null) return error(404, "NOT_FOUND", "No such note.");
        api.revision += 1;
        return json(200, { revision: api.revision, added_note_ids: added });
      }
      const trackPath = path.match(new RegExp(`^${base}/tracks/([^/]+)$`));
      if (request.method === "PATCH" && trackPath) {
        const { revision, ...patch } = body as Partial<Track> & { revision: number };
        if (revision !== api.revision) return error(409, "CONFLICT", "Stale revision.");
        const track = api.score.tracks?.find((t) => t.id === trackPath[1]);
        if (!track) return error(404, "NOT_FOUND", "No such track.");
        Object.assign(track, patch);
        api.revision += 1;
        return json(200, track);
      }
      return error(404, "NOT_FOUND", `Not found: ${request.method} ${path}`);
    },
  };
  return api;
}

/** Applies note operations in order, as the API does; the ids of added notes, or null when
 * an operation names a note that does not exist. */
function applyBatch(score: Score, operations: NoteOperation[],
                    makeId: () => string): string[] | null {
  const added: string[] = [];
  const find = (id: string) => {
    for (const track of score.tracks ?? []) {
      const index = (track.notes ?? []).findIndex((n) => n.id === id);
      if (index >= 0) return { track, index };
    }
    return null;
  };
  for (const operation of operations) {
    if (operation.op === "add") {
      const { op: _op, track_id: trackId, id, ...note } = operation;
      const track = score.tracks?.find((t) => t.id === trackId);
      if (!track) return null;
      const noteId = id ?? makeId();
      (track.notes ??= []).push({ ...note, id: noteId });
      added.push(noteId);
      continue;
    }
    const found = find(operation.note_id);
    if (!found) return null;
    const notes = found.track.notes ?? [];
    if (operation.op === "delete") {
      notes.splice(found.index, 1);
      continue;
    }
    const note = notes[found.index]!;
    for (const field of ["pitch", "start", "duration", "velocity"] as const) {
      const value = operation[field];
      if (value !== null && value !== undefined) note[field] = value;
    }
  }
  return added;
}
