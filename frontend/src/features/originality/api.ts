/** The similarity endpoints the Originality tab calls. Each answers its data or a sentence a
 * person can act on (a 429 says when to try again). */
import { api, errorOf, type ApiError } from "@/api/client";
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
  return describeError(error);
}

const UNREACHABLE: Answer<never> = {
  ok: false, status: 0, error: "The server could not be reached. Check your connection." };

/** An openapi-fetch answer (or a thrown request) as an `Answer`. */
async function answer<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>):
    Promise<Answer<T>> {
  try {
    const { data, error, response } = await request;
    if (data !== undefined && response.ok) return { ok: true, data };
    return { ok: false, status: response.status,
             error: describeAnswer(response.status, error, response.headers.get("Retry-After")) };
  } catch {
    return UNREACHABLE;
  }
}

export function checkProject(projectId: string, scope: Scope,
                             limit = 8): Promise<Answer<CheckResult>> {
  return answer(api.POST("/api/v1/similarity/check", {
    body: { project_id: projectId, version: null, scope, limit } }));
}

export function searchPhrase(notes: readonly MatchNote[], scope: Scope,
                             limit = 8): Promise<Answer<CheckResult>> {
  return answer(api.POST("/api/v1/similarity/search", { body: {
    notes: notes.map(({ pitch, start, duration }) => ({ pitch, start, duration })), scope, limit,
  } }));
}

export function similarProjects(projectId: string,
                                limit = 10): Promise<Answer<{ items: SimilarProject[] }>> {
  return answer(api.GET("/api/v1/projects/{project_id}/similar", {
    params: { path: { project_id: projectId }, query: { limit } } }));
}

export function similarityStatus(): Promise<Answer<SimilarityStatus>> {
  return answer(api.GET("/api/v1/similarity/status"));
}
