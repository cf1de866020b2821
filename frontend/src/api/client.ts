/** The typed API client, generated from the server's OpenAPI schema (`make api-client`).
 * Every request carries the access token; one that comes back 401 refreshes the tokens
 * once (quietly, shared by concurrent requests) and is retried. */
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "./schema";
import { loadTokens, saveTokens, tokensFromPair, type Tokens } from "./tokens";

export const API_BASE = process.env.NEXT_PUBLIC_API_BASE ?? "";

/** `fetch` that answers a network failure with a 503 in the API's error shape instead of
 * throwing, so every caller's ordinary error path (a message, not a stuck spinner) runs. */
async function reachableFetch(input: Request): Promise<Response> {
  try {
    return await fetch(input);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return new Response(JSON.stringify({ error: {
      code: "NETWORK_ERROR", message: "The server could not be reached. Check your connection.",
      details: null } }), { status: 503, headers: { "Content-Type": "application/json" } });
  }
}

export const api = createClient<paths>({ baseUrl: API_BASE, fetch: reachableFetch });

let refreshing: Promise<Tokens | null> | null = null;

/** New tokens from the refresh token, or null (signed out) when it is spent or revoked.
 * Tabs share the tokens (localStorage), so the refresh runs under a cross-tab lock and
 * re-reads them first: a refresh token used twice would end the whole login session. */
export function refreshTokens(rejected?: string): Promise<Tokens | null> {
  refreshing ??= withRefreshLock(async () => {
    const sent = loadTokens();
    if (!sent) return null;
    // Another tab may have refreshed while we waited for the lock.
    const fresh = rejected ? sent.access_token !== rejected
                           : sent.expires_at - Date.now() > 30_000;
    if (fresh) return sent;
    try {
      const response = await fetch(`${API_BASE}/api/v1/auth/refresh`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: sent.refresh_token }),
      });
      if (!response.ok) {
        // Only sign out if nobody replaced the tokens meanwhile.
        if (response.status === 401 && loadTokens()?.refresh_token === sent.refresh_token) {
          saveTokens(null);
        }
        return loadTokens();
      }
      const tokens = tokensFromPair(await response.json());
      saveTokens(tokens);
      return tokens;
    } catch {
      return null;  // offline: keep the tokens, try again later
    }
  }).finally(() => { refreshing = null; });
  return refreshing;
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  // The lock resolves with what `work` resolves to (the DOM typing nests the promise).
  return locks ? locks.request("ariaforge-token-refresh", work) as unknown as Promise<T>
               : work();
}

/** A usable access token: refreshed first when it expires within 30 s. */
export async function accessToken(): Promise<string | null> {
  const tokens = loadTokens();
  if (!tokens) return null;
  if (tokens.expires_at - Date.now() > 30_000) return tokens.access_token;
  return (await refreshTokens())?.access_token ?? null;
}

// A copy of each request as sent, so a 401 can be retried with the body intact.
const copies = new WeakMap<Request, Request>();

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await accessToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || request.url.includes("/auth/")) return response;
    const rejected = request.headers.get("Authorization")?.replace(/^Bearer /, "");
    const tokens = await refreshTokens(rejected);
    if (!tokens) return response;
    const again = copies.get(request) ?? request;
    again.headers.set("Authorization", `Bearer ${tokens.access_token}`);
    return fetch(again);
  },
};
api.use(auth);

/** The one error shape of the API, read into a sentence a person can act on. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export function errorOf(body: unknown, status?: number): ApiError {
  const error = (body as { error?: ApiError } | undefined)?.error;
  if (error && typeof error.message === "string") return error;
  return { code: "UNKNOWN", message: status ? `The server answered ${status}.` :
    "The server could not be reached." };
}

/** `fetch` with the same token handling, for binary downloads (audio, MIDI, files). */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = async (token: string | null) => fetch(`${API_BASE}${path}`, {
    ...init, headers: { ...(init.headers ?? {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const token = await accessToken();
  const response = await send(token);
  if (response.status !== 401) return response;
  const tokens = await refreshTokens(token ?? undefined);
  return tokens && tokens.access_token !== token ? send(tokens.access_token) : response;
}

export function websocketUrl(path: string): string {
  const base = API_BASE || window.location.origin;
  return base.replace(/^http/, "ws") + path;
}
