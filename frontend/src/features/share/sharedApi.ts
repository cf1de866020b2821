/** The public shared-page API: every call carries the link's token in `X-Share-Token`
 * (never in a URL), and needs no account. */
import { API_BASE } from "@/api/client";
import type { components } from "@/api/schema";

export type SharedProject = components["schemas"]["SharedProject"];

export type SharedLoad =
  | { kind: "ready"; shared: SharedProject }
  | { kind: "gone" }
  | { kind: "error"; message: string };

/** The token from the page address (`/listen/#<token>`), or null. */
export function tokenFromHash(hash: string): string | null {
  const token = hash.replace(/^#/, "").trim();
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export function sharedFetch(path: string, token: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${API_BASE}/api/v1/shared${path}`, {
    headers: { "X-Share-Token": token }, signal, credentials: "omit", cache: "no-store",
  });
}

export async function loadShared(token: string, signal?: AbortSignal): Promise<SharedLoad> {
  let response: Response;
  try {
    response = await sharedFetch("", token, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: "error", message: "The server could not be reached. Check your connection." };
  }
  if (response.status === 404) return { kind: "gone" };
  if (response.status === 429) {
    return { kind: "error", message: "Too many requests from your address; try again in a "
      + `${response.headers.get("Retry-After") ?? "few"} seconds.` };
  }
  if (!response.ok) return { kind: "error", message: `The server answered ${response.status}.` };
  return { kind: "ready", shared: await response.json() as SharedProject };
}
