"use client";
/** Saving note edits with undo/redo: every batch goes through the workspace's `editNotes`
 * (one at a time, since each carries the revision it was made against), and a saved batch is
 * recorded with its inverse on an undo stack that lives as long as the editor. */
import { useCallback, useEffect, useRef, useState } from "react";

import type { NoteOperation } from "@/api/types";
import { inverseOperations, UndoStack, withNoteIds } from "@/lib/undo";
import { useWorkspace, type EditResult } from "@/workspace/WorkspaceContext";

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
  const workspace = useWorkspace();
  const latest = useRef(workspace);
  latest.current = workspace;
  const stack = useRef(new UndoStack(200));
  const [, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const waiters = useRef<(() => void)[]>([]);

  // A new project (or none) starts a fresh history.
  useEffect(() => {
    stack.current.clear();
    setTick((t) => t + 1);
  }, [workspace.projectId]);

  // The score was replaced from outside this workspace's own edits (a composition, an
  // import, a restore, a conflict reload): the inverses on the stack may name notes that no
  // longer exist, so the history starts again. Track edits (mute, rename…) keep it.
  useEffect(() => {
    stack.current.clear();
    setTick((t) => t + 1);
  }, [workspace.outsideChanges]);

  // Resolve whoever waits for the score (and revision) to be re-rendered after a save.
  useEffect(() => {
    const pending = waiters.current;
    waiters.current = [];
    for (const resolve of pending) resolve();
  }, [workspace.scoreVersion]);

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

  const apply = useCallback((operations: NoteOperation[], label: string) => {
    if (operations.length === 0 || !latest.current.canEdit) return Promise.resolve(false);
    return run(async () => {
      const forward = withNoteIds(operations);
      const score = latest.current.score;
      const inverse = score ? inverseOperations(score, forward) : null;
      const ok = (await save(forward, label)) === true;
      setStatus(ok ? `Saved: ${label}` : "");
      if (ok && inverse?.ok) stack.current.record({ label, forward, inverse: inverse.inverse });
      return ok;
    }, false);
  }, [run, save]);

  const undo = useCallback(() => run(async () => {
    if (!latest.current.canEdit) return;
    const entry = await stack.current.undo(save);
    setStatus(entry ? `Undone: ${entry.label}` : "");
  }, undefined), [run, save]);

  const redo = useCallback(() => run(async () => {
    if (!latest.current.canEdit) return;
    const entry = await stack.current.redo(save);
    setStatus(entry ? `Redone: ${entry.label}` : "");
  }, undefined), [run, save]);

  const s = stack.current;
  return {
    apply, undo, redo, busy, status,
    canUndo: s.canUndo && !busy && workspace.canEdit,
    canRedo: s.canRedo && !busy && workspace.canEdit,
    undoLabel: s.undoLabel, redoLabel: s.redoLabel,
  };
}

/** True for a key event aimed at a text field (where Ctrl+Z belongs to the field). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["range", "checkbox", "radio", "button", "submit"].includes(target.type);
  }
  return false;
}

/** "undo" | "redo" for Ctrl/⌘+Z, Ctrl/⌘+Shift+Z and Ctrl+Y. */
export function historyShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean;
                                         shiftKey: boolean; altKey: boolean }):
    "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  return null;
}

const ROLE_COLOURS: Record<string, string> = {
  melody: "#6cb4ff", chords: "#b48cff", bass: "#7ee2a8", drums: "#f5c06b",
  pad: "#ff9ecf", other: "#9fb3c8",
};

/** The colour a track is drawn in: its own, else one for its role. */
export function trackColour(track: { colour?: string | null; role?: string }): string {
  return track.colour ?? ROLE_COLOURS[track.role ?? "other"] ?? "#9fb3c8";
}
