/** Constants and small helpers the panels share. */
import type { ApiError } from "@/api/client";
import type { components } from "@/api/schema";

export type Style = components["schemas"]["Style"];
export type Mood = components["schemas"]["Mood"];

export const STYLES: readonly Style[] = [
  "pop", "rock", "jazz", "swing", "blues", "bossa-nova", "folk", "reel", "jig", "waltz",
  "march", "chorale", "classical", "ambient", "lofi-hip-hop", "edm", "house",
];

export const STYLE_LABELS: Record<Style, string> = {
  pop: "Pop", rock: "Rock", jazz: "Jazz", swing: "Swing", blues: "Blues",
  "bossa-nova": "Bossa nova", folk: "Folk", reel: "Reel", jig: "Jig", waltz: "Waltz",
  march: "March", chorale: "Chorale", classical: "Classical", ambient: "Ambient",
  "lofi-hip-hop": "Lo-fi hip hop", edm: "EDM", house: "House",
};

export const MOODS: readonly Mood[] = [
  "happy", "melancholic", "calm", "energetic", "dark", "dreamy", "epic", "romantic",
  "playful",
];

/** A sentence for an API error, with the first field problem when the API names one. */
export function describeError(error: ApiError): string {
  const details = Array.isArray(error.details) ? error.details as unknown[] : [];
  const first = details[0] as { loc?: unknown[]; msg?: string; message?: string } | undefined;
  const detail = first?.msg ?? first?.message;
  if (!detail || error.message.includes(detail)) return error.message;
  const where = Array.isArray(first?.loc) ? first.loc.filter((part) => part !== "body")
    .join(".") : "";
  return `${error.message} (${where ? `${where}: ` : ""}${detail})`;
}

/** The API's error from a non-JSON-client response (binary endpoints). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: ApiError } | undefined)?.error;
  if (error && typeof error.message === "string") return error;
  return { code: response.status === 404 ? "NOT_FOUND" : "UNKNOWN",
           message: `The server answered ${response.status}.` };
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Save a blob under `name` through a temporary <a download>. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fired by the mixer after the mix is saved, so the preview is rendered again. */
export const MIX_CHANGED_EVENT = "ariaforge:mix-changed";
