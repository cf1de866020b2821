"use client";
/** One project's workspace state, shared by every panel and split by concern (see
 * `contexts.ts`): each panel subscribes to the parts it reads. */
import { useMemo, useState, type ReactNode } from "react";

import { CollabContext } from "@/features/collab/useCollab";

import {
  NotifyContext, PlayheadContext, ProjectContext, ScoreContext, ScoreEditsContext,
  SelectionContext, ToastsContext,
} from "./contexts";
import { useNotifications } from "./useNotifications";
import { useScoreSession } from "./useScoreSession";
import { useSelectionState } from "./useSelectionState";

export function WorkspaceProvider({ projectId, children }: { projectId: string;
                                                             children: ReactNode }) {
  const { notify, toasts } = useNotifications();
  const { selection, keepTrackIn } = useSelectionState();
  const { project, score, edits, collab } = useScoreSession(projectId, notify, keepTrackIn);
  return (
    <CollabContext.Provider value={collab}>
      <NotifyContext.Provider value={notify}>
        <ToastsContext.Provider value={toasts}>
          <ProjectContext.Provider value={project}>
            <ScoreContext.Provider value={score}>
              <ScoreEditsContext.Provider value={edits}>
                <SelectionContext.Provider value={selection}>
                  <PlayheadProvider>{children}</PlayheadProvider>
                </SelectionContext.Provider>
              </ScoreEditsContext.Provider>
            </ScoreContext.Provider>
          </ProjectContext.Provider>
        </ToastsContext.Provider>
      </NotifyContext.Provider>
    </CollabContext.Provider>
  );
}

// Its own state: during playback it changes many times a second, and only the editors and
// the transport draw it; the other panels must not re-render with it.
function PlayheadProvider({ children }: { children: ReactNode }) {
  const [playheadTick, setPlayheadTick] = useState<number | null>(null);
  const value = useMemo(() => ({ playheadTick, setPlayheadTick }), [playheadTick]);
  return <PlayheadContext.Provider value={value}>{children}</PlayheadContext.Provider>;
}
