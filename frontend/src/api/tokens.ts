/** Where the login lives: tokens in localStorage so a reload keeps you signed in. The
 * access token is short-lived (15 min); the refresh token rotates on every use. */

export interface Tokens {
  access_token: string;
  refresh_token: string;
  /** ms since epoch when the access token stops working */
  expires_at: number;
}

const KEY = "ariaforge.tokens";
type Listener = (tokens: Tokens | null) => void;
const listeners = new Set<Listener>();

export function loadTokens(): Tokens | null {
  if (typeof window === "undefined") return null;
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    if (typeof parsed.access_token !== "string" || typeof parsed.refresh_token !== "string") {
      return null;
    }
    return { access_token: parsed.access_token, refresh_token: parsed.refresh_token,
             expires_at: Number(parsed.expires_at) || 0 };
  } catch {
    return null;
  }
}

export function saveTokens(tokens: Tokens | null): void {
  if (tokens) window.localStorage.setItem(KEY, JSON.stringify(tokens));
  else window.localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(tokens));
}

export function onTokensChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function tokensFromPair(pair: { access_token: string; refresh_token: string;
                                       expires_in: number }): Tokens {
  return { access_token: pair.access_token, refresh_token: pair.refresh_token,
           expires_at: Date.now() + pair.expires_in * 1000 };
}
