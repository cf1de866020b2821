"use client";
/** The listen page's player: the in-browser player (H3's `PlayerProvider`) given the
 * shared score, since there is no workspace to take it from. Until the provider is there,
 * `usePlayer()` answers the silent player and Play does nothing. */
import type { ReactNode } from "react";

import type { Score } from "@/api/types";

export function ListenPlayerScope({ children }: { score: Score; children: ReactNode }) {
  return <>{children}</>;
}
