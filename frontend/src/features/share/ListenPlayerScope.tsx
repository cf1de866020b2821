"use client";
/** The listen page's player: the in-browser player given the shared score and mix, since
 * there is no workspace to take them from (the score's own mute/solo flags apply). */
import type { ReactNode } from "react";

import type { MixSettings, Score } from "@/api/types";
import { PlayerProvider } from "@/features/playback/PlayerProvider";

export function ListenPlayerScope({ score, mix, children }: {
  score: Score; mix: MixSettings | null; children: ReactNode;
}) {
  return <PlayerProvider score={score} mix={mix}>{children}</PlayerProvider>;
}
