/** The typed API client, generated from the server's OpenAPI schema (`make api-client`).
 * Every request carries the access token; one that comes back 401 refreshes the tokens
 * once (quietly, shared by concurrent requests) and is retried. */
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "./schema";
import { loadTokens, saveTokens, tokensFromPair, type Tokens } from "./tokens";

export const API_BASE = process.env.NEXT_PUBLIC_API_BASE ?? "";

export const api = createClient<paths>({ baseUrl: API_BASE });

let refreshing: Promise<Tokens | null> | null = null;

/** New tokens from the refresh token, or null (signed out) when it is spent or revoked. */
export function refreshTokens(): Promise<Tokens | null> {
  refreshing ??= (async () => {
    const current = loadTokens();
    if (!current) return null;
    try {
      const response = await fetch(`${API_BASE}/api/v1/auth/refresh`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: current.refresh_token }),
      });
      if (!response.ok) {
        if (response.status === 401) saveTokens(null);
        return null;
      }
      const tokens = tokensFromPair(await response.json());
      saveTokens(tokens);
      return tokens;
    } catch {
      return null;  // offline: keep the tokens, try again later
    } finally {
      setTimeout(() => { refreshing = null; }, 0);
    }
  })();
  return refreshing;
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
    const tokens = await refreshTokens();
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
  const response = await send(await accessToken());
  if (response.status !== 401) return response;
  const tokens = await refreshTokens();
  return tokens ? send(tokens.access_token) : response;
}

export function websocketUrl(path: string): string {
  const base = API_BASE || window.location.origin;
  return base.replace(/^http/, "ws") + path;
}
