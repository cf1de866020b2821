/** The similarity endpoints the Originality tab calls. Each answers its data or a sentence a
 * person can act on (a 429 says when to try again). */
import { authorizedFetch, errorOf, type ApiError } from "@/api/client";
import { describeError } from "@/api/errors";

import type { CheckResult, MatchNote, Scope, SimilarProject, SimilarityStatus } from "./types";

export type Answer<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

/** "try again in 3 minutes" from a 429's Retry-After (header or `details.retry_after`). */
export function retryText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return "try again later";
  if (seconds < 60) {
    const s = Math.ceil(seconds);
    return `try again in ${s} second${s === 1 ? "" : "s"}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** The sentence for an error answer. */
export function describeAnswer(status: number, body: unknown,
                               retryAfter: string | null = null): string {
  const error: ApiError = errorOf(body, status);
  if (status === 429) {
    const details = error.details as { retry_after?: unknown } | null | undefined;
    const fromBody = typeof details?.retry_after === "number" ? details.retry_after : null;
    const fromHeader = retryAfter !== null && retryAfter !== "" ? Number(retryAfter) : null;
    return `Too many requests for now: ${retryText(fromBody ?? fromHeader)}.`;
  }
  if (status === 503 && error.code === "NETWORK_ERROR") return error.message;
  return describeError(error);
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await authorizedFetch(path, {
      method, ...(body === undefined ? {} : {
        body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
  } catch {
    return { ok: false, status: 0, error: "The server could not be reached. Check your connection." };
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    parsed = undefined;
  }
  if (response.ok && parsed !== undefined) return { ok: true, data: parsed as T };
  return { ok: false, status: response.status,
           error: describeAnswer(response.status, parsed, response.headers.get("Retry-After")) };
}

export function checkProject(projectId: string, scope: Scope, limit = 8): Promise<Answer<CheckResult>> {
  return call("POST", "/api/v1/similarity/check",
              { project_id: projectId, version: null, scope, limit });
}

export function searchPhrase(notes: readonly MatchNote[], scope: Scope,
                             limit = 8): Promise<Answer<CheckResult>> {
  return call("POST", "/api/v1/similarity/search", {
    notes: notes.map(({ pitch, start, duration }) => ({ pitch, start, duration })), scope, limit,
  });
}

export function similarProjects(projectId: string,
                                limit = 10): Promise<Answer<{ items: SimilarProject[] }>> {
  return call("GET", `/api/v1/projects/${encodeURIComponent(projectId)}/similar?limit=${limit}`);
}

export function similarityStatus(): Promise<Answer<SimilarityStatus>> {
  return call("GET", "/api/v1/similarity/status");
}
