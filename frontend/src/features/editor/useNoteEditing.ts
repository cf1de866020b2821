"use client";
/** Saving note edits with undo/redo. Live (the shared document has synced), a batch is one
 * document transaction and undo/redo is the document's Y.UndoManager, which takes back only
 * this tab's own edits. Otherwise every batch goes through the workspace's REST `editNotes`
 * (one at a time, since each carries the revision it was made against), and a saved batch
 * is recorded with its inverse on an undo stack that lives as long as the editor. */
import { useCallback, useEffect, useRef, useState } from "react";

import type { NoteOperation } from "@/api/types";
import { useNotify, useProject, useScore, useScoreEdits,
         type EditResult } from "@/features/workspace/state";

import { inverseOperations, UndoStack, withNoteIds } from "./undo";

export interface NoteEditing {
  /** Queues one batch for saving (recorded for undo once saved); false when refused or
   * failed. */
  apply(operations: NoteOperation[], label: string): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  /** A batch is being saved or waits to be (or the score is reloading after it). */
  busy: boolean;
  /** The last thing that happened, for a polite live region. */
  status: string;
}

/** Error codes of 4xx answers that the same batch would get again, so an undo/redo refused
 * with one is dropped. Not 401 (signing in again helps) or 429 (retry later), nor network
 * errors and 5xx: those may succeed on another try. */
const REFUSED = new Set(["VALIDATION_ERROR", "NOT_FOUND", "CONFLICT", "AUTHORIZATION_ERROR",
                         "METHOD_NOT_ALLOWED", "PAYLOAD_TOO_LARGE"]);

export function useNoteEditing(): NoteEditing {
  const { projectId, canEdit } = useProject();
  const { score, scoreVersion, outsideChanges } = useScore();
  const { editNotes, liveHistory } = useScoreEdits();
  const notify = useNotify();
  // The newest of each, for saves queued before the latest render.
  const latest = useRef({ canEdit, score, editNotes, notify, liveHistory });
  latest.current = { canEdit, score, editNotes, notify, liveHistory };
  const stack = useRef(new UndoStack(200));
  const [, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const waiters = useRef<(() => void)[]>([]);

  // A new project (or none) starts a fresh history.
  useEffect(() => {
    stack.current.clear();
    setTick((t) => t + 1);
  }, [projectId]);

  // The score was replaced from outside this workspace's own edits (a composition, an
  // import, a restore, a conflict reload): the inverses on the stack may name notes that no
  // longer exist, so the history starts again. Track edits (mute, rename…) keep it.
  useEffect(() => {
    stack.current.clear();
    setTick((t) => t + 1);
  }, [outsideChanges]);

  // Resolve whoever waits for the score (and revision) to be re-rendered after a save.
  useEffect(() => {
    const pending = waiters.current;
    waiters.current = [];
    for (const resolve of pending) resolve();
  }, [scoreVersion]);

  /** Runs `editNotes` and waits until the reloaded score has rendered (so the next edit
   * carries the new revision and computes its inverse from the new score). "refused" for a
   * 4xx answer that the same batch would meet again. */
  const save = useCallback(async (operations: NoteOperation[],
                                  label: string): Promise<boolean | "refused"> => {
    let rendered = () => {};
    const settled = new Promise<void>((resolve) => {
      rendered = resolve;
      waiters.current.push(resolve);
    });
    const result: EditResult = await latest.current.editNotes(operations, label);
    // Fallback in case no new scoreVersion renders; started only now that `editNotes`
    // returned, so a slow save cannot let the next batch run against the old score.
    const fallback = setTimeout(rendered, 3000);
    await settled;
    clearTimeout(fallback);
    if (result.ok) return true;
    return REFUSED.has(result.error.code) ? "refused" : false;
  }, []);

  // Batches are saved one after another: each waits for the previous one (and the reload
  // after it), so it carries the current revision.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pending = useRef(0);
  const run = useCallback(<T,>(work: () => Promise<T>, fallback: T): Promise<T> => {
    pending.current += 1;
    setBusy(true);
    setStatus("Saving…");
    const next = queue.current.then(async () => {
      try {
        return await work();
      } catch {
        latest.current.notify("The edit could not be saved (network error).", "error");
        return fallback;
      } finally {
        pending.current -= 1;
        if (pending.current === 0) setBusy(false);
        setTick((t) => t + 1);
      }
    });
    queue.current = next;
    return next;
  }, []);

  // Live: a transaction in the document, written at once (no queue, no waiting for a save).
  const applyLive = useCallback(async (operations: NoteOperation[], label: string) => {
    const result = await latest.current.editNotes(withNoteIds(operations), label);
    if (!result.ok) latest.current.notify(result.error.message, "error");
    setStatus(result.ok ? label : "");
    return result.ok;
  }, []);
  const stepLive = useCallback((direction: "undo" | "redo") => {
    const history = latest.current.liveHistory;
    if (!history || !latest.current.canEdit) return;
    const label = direction === "undo" ? history.undo() : history.redo();
    setStatus(label ? `${direction === "undo" ? "Undone" : "Redone"}: ${label}` : "");
  }, []);

  const apply = useCallback((operations: NoteOperation[], label: string) => {
    if (operations.length === 0 || !latest.current.canEdit) return Promise.resolve(false);
    if (latest.current.liveHistory) return applyLive(operations, label);
    return run(async () => {
      const forward = withNoteIds(operations);
      const score = latest.current.score;
      const inverse = score ? inverseOperations(score, forward) : null;
      const ok = (await save(forward, label)) === true;
      setStatus(ok ? `Saved: ${label}` : "");
      if (ok && inverse?.ok) stack.current.record({ label, forward, inverse: inverse.inverse });
      return ok;
    }, false);
  }, [run, save, applyLive]);

  const undo = useCallback(async () => {
    if (latest.current.liveHistory) {
      stepLive("undo");
      return;
    }
    await run(async () => {
      if (!latest.current.canEdit) return;
      const entry = await stack.current.undo(save);
      setStatus(entry ? `Undone: ${entry.label}` : "");
    }, undefined);
  }, [run, save, stepLive]);

  const redo = useCallback(async () => {
    if (latest.current.liveHistory) {
      stepLive("redo");
      return;
    }
    await run(async () => {
      if (!latest.current.canEdit) return;
      const entry = await stack.current.redo(save);
      setStatus(entry ? `Redone: ${entry.label}` : "");
    }, undefined);
  }, [run, save, stepLive]);

  if (liveHistory) {
    return {
      apply, undo, redo, busy: false, status,
      canUndo: liveHistory.canUndo && canEdit, canRedo: liveHistory.canRedo && canEdit,
      undoLabel: liveHistory.undoLabel, redoLabel: liveHistory.redoLabel,
    };
  }
  const s = stack.current;
  return {
    apply, undo, redo, busy, status,
    canUndo: s.canUndo && !busy && canEdit,
    canRedo: s.canRedo && !busy && canEdit,
    undoLabel: s.undoLabel, redoLabel: s.redoLabel,
  };
}
