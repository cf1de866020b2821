/** The sound library's API (DESIGN §4): presets, samples (list, edit, audio, upload) and
 * SoundFonts. JSON calls go through `authorizedFetch` (the token handling of every call);
 * uploads go through XMLHttpRequest, the one browser API that reports upload progress. */
import { accessToken, api, API_BASE, authorizedFetch, errorOf, refreshTokens,
         type ApiError } from "@/api/client";
import { errorFromResponse } from "@/api/errors";
import type { components, paths } from "@/api/schema";

type Schemas = components["schemas"];
export type Preset = Schemas["PresetOut"];
export type Sample = Schemas["SampleOut"];
export type SoundFont = Schemas["SoundFontOut"];
export type SamplePatch = Schemas["SamplePatch"];
/** What an upload answers: a sample, or a SoundFont with its presets. */
export type Uploaded = Schemas["UploadOut"];
export type SampleCategory = NonNullable<SamplePatch["category"]>;

export type SampleFilters = NonNullable<
  paths["/api/v1/library/samples"]["get"]["parameters"]["query"]>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError; status: number };

/** The typed client's answer as a Result (204: `undefined`). */
function result<T>(answer: { data?: T; error?: unknown; response: Response }): Result<T> {
  if (answer.response.ok) return { ok: true, value: answer.data as T };
  return { ok: false, status: answer.response.status,
           error: errorOf(answer.error, answer.response.status) };
}

/** Empty filters are left out of the query (the API refuses an empty key or category). */
function compact<T extends object>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(
    ([, value]) => value !== undefined && value !== null && value !== "")) as T;
}

const BASE = "/api/v1/library";

export const listPresets = async (search = "", category = "") => result(
  await api.GET("/api/v1/library/presets", { params: { query: compact({
    search, category: category as NonNullable<NonNullable<paths["/api/v1/library/presets"][
      "get"]["parameters"]["query"]>["category"]> }) } }));

export const listSamples = async (filters: SampleFilters) => result(
  await api.GET("/api/v1/library/samples", { params: { query: compact(filters) } }));

export const getSample = async (id: string) => result(
  await api.GET("/api/v1/library/samples/{sample_id}", { params: { path: { sample_id: id } } }));

export const updateSample = async (id: string, patch: SamplePatch) => result(
  await api.PATCH("/api/v1/library/samples/{sample_id}",
                  { params: { path: { sample_id: id } }, body: patch }));

export const deleteSample = async (id: string) => result(
  await api.DELETE("/api/v1/library/samples/{sample_id}",
                   { params: { path: { sample_id: id } } }));

export const listSoundFonts = async () => result(
  await api.GET("/api/v1/library/soundfonts"));

export const deleteSoundFont = async (id: string) => result(
  await api.DELETE("/api/v1/library/soundfonts/{soundfont_id}",
                   { params: { path: { soundfont_id: id } } }));

/** The sample's audio as an object URL (the caller revokes it): fetched with the token,
 * which an <audio src> could not send. */
export async function sampleAudioUrl(id: string): Promise<Result<string>> {
  const response = await authorizedFetch(`${BASE}/samples/${id}/audio`).catch(() => null);
  if (!response || !response.ok) {
    return { ok: false, status: response?.status ?? 0,
             error: response ? await errorFromResponse(response)
                             : { code: "NETWORK_ERROR", message: "The server could not be reached." } };
  }
  return { ok: true, value: URL.createObjectURL(await response.blob()) };
}

/** The sample's audio bytes (for the in-browser player). */
export async function sampleAudioBytes(id: string): Promise<ArrayBuffer | null> {
  const response = await authorizedFetch(`${BASE}/samples/${id}/audio`).catch(() => null);
  return response && response.ok ? response.arrayBuffer() : null;
}

export const ACCEPTED_EXTENSIONS = [".wav", ".flac", ".mp3", ".ogg", ".sf2"];
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.join(",") +
  ",audio/wav,audio/x-wav,audio/flac,audio/mpeg,audio/ogg";
/** The server's LIBRARY_MAX_FILE_BYTES default (16 MiB); the server has the last word. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_SAMPLE_SECONDS = 120;

/** The server's reasons (`details[0].type`) that mean "this is not a valid file". */
const INVALID = new Set(["unrecognised_content", "content_mismatch", "unreadable_audio",
                         "truncated_or_corrupt", "no_audio", "invalid_soundfont"]);

function kindOf(filename: string): string | null {
  const lower = filename.toLowerCase();
  return lower.endsWith(".wav") ? "WAV" : lower.endsWith(".flac") ? "FLAC"
    : lower.endsWith(".mp3") ? "MP3" : lower.endsWith(".ogg") ? "OGG"
    : lower.endsWith(".sf2") ? "SoundFont (SF2)" : null;
}

/** A sentence for a refused upload, from the API's error (and the Retry-After header). */
export function uploadErrorMessage(status: number, error: ApiError,
                                   retryAfter: string | null, filename: string): string {
  const details = Array.isArray(error.details) ? error.details as unknown[] : [];
  const first = details[0] as { msg?: string; type?: string } | undefined;
  const reason = (first?.msg ?? error.message ?? "").replace(/\.$/, "");
  if (status === 429) {
    const seconds = Number(retryAfter ?? "") ||
      Number((error.details as { retry_after?: number } | null)?.retry_after) || 0;
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return `Upload limit reached, try again in ${minutes} min.`;
  }
  if (status === 0) return "The upload failed: the server could not be reached.";
  const kind = kindOf(filename);
  if ((status === 422 || status === 415) && (INVALID.has(first?.type ?? "")
      || /decod|damaged|truncated|corrupt|not a|invalid|riff/i.test(reason))) {
    return `That file isn't a valid ${kind ?? "audio file"}: ${reason}.`;
  }
  if (status === 415) {
    return "Only WAV, FLAC, MP3 and OGG samples and SF2 SoundFonts can be uploaded.";
  }
  if (status === 413 && first?.type === "file_too_large") {
    return `It is larger than the ${formatBytes(MAX_FILE_BYTES)} limit.`;
  }
  const text = error.message || `The server answered ${status}.`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface UploadHandle {
  promise: Promise<Result<Uploaded>>;
  abort(): void;
}

/** Uploads `file` (+ name, category, tags), reporting progress 0..1. */
export function uploadFile(file: File, fields: { name?: string; category?: string;
                                                 tags?: string[] },
                           onProgress: (fraction: number) => void): UploadHandle {
  let xhr: XMLHttpRequest | null = null;
  let aborted = false;
  const send = (token: string | null) => new Promise<{ status: number; text: string;
                                                      retryAfter: string | null }>((resolve) => {
    const form = new FormData();
    form.append("file", file, file.name);
    if (fields.name) form.append("name", fields.name);
    if (fields.category) form.append("category", fields.category);
    if (fields.tags?.length) form.append("tags", fields.tags.join(","));
    xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE}${BASE}/upload`);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr!.status, text: xhr!.responseText,
                                 retryAfter: xhr!.getResponseHeader("Retry-After") });
    xhr.onerror = () => resolve({ status: 0, text: "", retryAfter: null });
    xhr.onabort = () => resolve({ status: -1, text: "", retryAfter: null });
    xhr.send(form);
  });
  const promise = (async (): Promise<Result<Uploaded>> => {
    let token = await accessToken();
    let answer = await send(token);
    if (answer.status === 401 && !aborted) {
      const fresh = await refreshTokens(token ?? undefined);
      if (fresh && fresh.access_token !== token) {
        token = fresh.access_token;
        answer = await send(token);
      }
    }
    let body: unknown;
    try { body = answer.text ? JSON.parse(answer.text) : undefined; } catch { body = undefined; }
    if (answer.status >= 200 && answer.status < 300) return { ok: true, value: body as Uploaded };
    if (answer.status === -1) {
      return { ok: false, status: 0, error: { code: "ABORTED", message: "Upload cancelled." } };
    }
    const error = (body as { error?: ApiError } | undefined)?.error ??
      { code: "UNKNOWN", message: answer.status ? `The server answered ${answer.status}.` : "" };
    return { ok: false, status: answer.status, error: { ...error,
      message: uploadErrorMessage(answer.status, error, answer.retryAfter, file.name) } };
  })();
  return { promise, abort: () => { aborted = true; xhr?.abort(); } };
}

/** A client-side check before sending (the server checks again, by decoding). */
export function precheckFile(file: File): string | null {
  const lower = file.name.toLowerCase();
  if (!ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    return `${file.name}: only WAV, FLAC, MP3, OGG samples and SF2 SoundFonts can be uploaded.`;
  }
  if (file.size > MAX_FILE_BYTES) {
    return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_FILE_BYTES)}.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m ? `${m}:${String(s).padStart(2, "0")}` : `${s} s`;
}

/** Samples by id (name, duration, tempo), shared by the arrangement's clip blocks and the
 * library list: whatever the list loads is known to the clips at once. */
export type SampleInfo = Pick<Sample, "id" | "name" | "duration_s" | "bpm">;
const known = new Map<string, SampleInfo>();
const pending = new Map<string, Promise<SampleInfo | null>>();
const listeners = new Set<() => void>();

export function rememberSamples(samples: readonly SampleInfo[]): void {
  let changed = false;
  for (const s of samples) {
    const before = known.get(s.id);
    if (!before || before.name !== s.name || before.bpm !== s.bpm
        || before.duration_s !== s.duration_s) {
      known.set(s.id, { id: s.id, name: s.name, duration_s: s.duration_s, bpm: s.bpm });
      changed = true;
    }
  }
  if (changed) listeners.forEach((listener) => listener());
}

export function knownSample(id: string): SampleInfo | undefined {
  return known.get(id);
}

export function onSamplesKnown(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** Loads a sample's info once (null when it cannot be read: deleted, or not shared). */
export function loadSampleInfo(id: string): Promise<SampleInfo | null> {
  const info = known.get(id);
  if (info) return Promise.resolve(info);
  let request = pending.get(id);
  if (!request) {
    request = getSample(id).then((answer) => {
      if (!answer.ok) return null;
      rememberSamples([answer.value]);
      return known.get(id) ?? null;
    });
    pending.set(id, request);
  }
  return request;
}
