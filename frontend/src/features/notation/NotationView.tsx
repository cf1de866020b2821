"use client";
/** The notation tab: the selected track's part (or the full score) in the side column,
 * and the button to the full-score view that fills the window. */
import { useState } from "react";

import { useSelection } from "@/features/workspace/state";

import { FullScoreDialog } from "./FullScoreDialog";
import styles from "./NotationView.module.css";
import { ScoreSheet } from "./ScoreSheet";
import { useWorkspaceNotation } from "./useWorkspaceNotation";

export function NotationView() {
  const notation = useWorkspaceNotation();
  const { selectedTrackId } = useSelection();
  const [full, setFull] = useState(false);
  const preferred = selectedTrackId ?? notation.tracks[0]?.id ?? null;
  return (
    <div className={styles.view}>
      <button type="button" className={styles.open} onClick={() => setFull(true)}
              data-testid="notation-open-full">Open full score</button>
      <ScoreSheet {...notation} preferredTrack={preferred} compact />
      <FullScoreDialog open={full} onClose={() => setFull(false)} />
    </div>
  );
}
