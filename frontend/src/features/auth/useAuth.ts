"use client";
/** Who is signed in: the account behind the stored tokens (null when signed out). */
import { useCallback, useEffect, useState } from "react";

import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { loadTokens, onTokensChange, saveTokens } from "@/api/tokens";

export type Me = components["schemas"]["UserOut"];

export function useAuth(): { me: Me | null; ready: boolean; signOut(): Promise<void> } {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  const load = useCallback(async () => {
    if (!loadTokens()) {
      setMe(null);
      setReady(true);
      return;
    }
    const answer = await api.GET("/api/v1/me");
    setMe(answer.data ?? null);
    setReady(true);
  }, []);

  useEffect(() => {
    void load();
    return onTokensChange((tokens) => { if (!tokens) setMe(null); });
  }, [load]);

  const signOut = useCallback(async () => {
    const tokens = loadTokens();
    // Signing out must clear the tokens and leave even when the logout POST throws
    // (offline); the server-side refresh token then just expires.
    try {
      if (tokens) {
        await api.POST("/api/v1/auth/logout", { body: { refresh_token: tokens.refresh_token } });
      }
    } catch {
      // nothing more to do: signed out locally below
    } finally {
      saveTokens(null);
      window.location.assign("/login/");
    }
  }, []);

  return { me, ready, signOut };
}
