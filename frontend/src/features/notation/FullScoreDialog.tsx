"use client";
/** The full-score view: the notation filling the window, every track or one part, with
 * zoom and page turning. Opened from the workspace header and from the notation tab. */
import { useEffect, useRef, useState } from "react";

import { useProject } from "@/features/workspace/state";

import styles from "./FullScoreDialog.module.css";
import { ScoreSheet } from "./ScoreSheet";
import { useWorkspaceNotation } from "./useWorkspaceNotation";

export function FullScoreDialog({ open, onClose, preferredTrack = null }: {
  open: boolean; onClose(): void; preferredTrack?: string | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { project } = useProject();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={styles.dialog} aria-label="Full score" onClose={onClose}
            onCancel={onClose} data-testid="full-score">
      <header className={styles.header}>
        <h2>Full score{project?.name ? <span className="muted"> · {project.name}</span> : null}</h2>
        <button type="button" aria-label="Close the full score" onClick={onClose}>✕</button>
      </header>
      {open && <WorkspaceSheet preferredTrack={preferredTrack} />}
    </dialog>
  );
}

function WorkspaceSheet({ preferredTrack }: { preferredTrack: string | null }) {
  const notation = useWorkspaceNotation();
  return <ScoreSheet {...notation} preferredTrack={preferredTrack} autoFocus
                     globalKeys />;
}

/** The header's button and the view it opens (WorkspaceShell shows this). */
export function FullScoreButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="open-full-score"
              title="Read the notation of every track, page by page">Score</button>
      <FullScoreDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
