/** Follows the server's saves of the live document. The server saves (materialises) the
 * document into the score row after a pause in editing (COLLAB_MATERIALISE_PAUSE_S, 2 s) and
 * at most COLLAB_MATERIALISE_MAX_S (15 s) after the first unsaved change, each save a new
 * revision. After the document changes this polls the project (a small GET) until its
 * revision moves, then reports it: previews, notation and checks, which the server computes
 * from the row, re-fetch then. */
import { useEffect, useRef, type MutableRefObject } from "react";

import { api } from "@/api/client";
import type { Project } from "@/api/types";
import type { DocContent } from "@/features/collab/schema";

const FIRST_CHECK_MS = 2_500;
const RETRY_MS = 3_000;
/** 2.5 s + 6 × 3 s covers the server's longest wait (15 s) with room to spare. */
const MAX_RETRIES = 6;

export function useSavedRevision({ projectId, content, revisionRef, saved }: {
  projectId: string;
  content: DocContent | null;
  revisionRef: MutableRefObject<number>;
  saved(project: Project): void;
}): void {
  const seen = useRef<DocContent | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retries = useRef(0);
  const latest = useRef({ projectId, saved });
  latest.current = { projectId, saved };

  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  useEffect(() => {
    if (!content) {
      seen.current = null;
      return;
    }
    // The first content after a (re)sync is what the server already holds.
    if (seen.current === null) {
      seen.current = content;
      return;
    }
    seen.current = content;
    retries.current = 0;
    if (timer.current !== null) return;
    const check = async () => {
      timer.current = null;
      const answer = await api.GET("/api/v1/projects/{project_id}", {
        params: { path: { project_id: latest.current.projectId } },
      }).catch(() => null);
      const project = answer?.data;
      if (project && project.revision !== revisionRef.current) {
        revisionRef.current = project.revision;
        latest.current.saved(project);
        return;
      }
      if (retries.current++ < MAX_RETRIES && timer.current === null) {
        timer.current = setTimeout(() => void check(), RETRY_MS);
      }
    };
    timer.current = setTimeout(() => void check(), FIRST_CHECK_MS);
  }, [content, revisionRef]);
}
