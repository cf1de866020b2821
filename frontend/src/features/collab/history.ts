/** Undo and redo over the live document: a Y.UndoManager over every root that tracks only
 * this browser's origin, so undo takes back your own edits and never another person's
 * (their later changes to the same values are kept; Yjs skips what they deleted). Each
 * stack item carries the label of the edit that made it. */
import * as Y from "yjs";

import { rootList } from "./schema";
import type { Origin } from "./edits";

export interface LiveHistory {
  readonly manager: Y.UndoManager;
  /** Labels the next edit (call before writing it); `separate` ends the running capture so
   * the edit becomes its own undo step. */
  label(label: string, separate?: boolean): void;
  undo(): string | null;
  redo(): string | null;
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Called after every change of the stacks. */
  subscribe(listener: () => void): () => void;
  destroy(): void;
}

/** Edits closer together than this become one undo step (a slider drag, a burst of keys),
 * unless labelled `separate`. */
const CAPTURE_MS = 500;

function labelOf(item: { meta: Map<unknown, unknown> } | undefined): string | null {
  const label = item?.meta.get("label");
  return typeof label === "string" ? label : item ? "Edit" : null;
}

const top = <T,>(stack: readonly T[]): T | undefined => stack[stack.length - 1];

export function createLiveHistory(doc: Y.Doc, origin: Origin): LiveHistory {
  const manager = new Y.UndoManager(rootList(doc), {
    trackedOrigins: new Set([origin]), captureTimeout: CAPTURE_MS,
  });
  let pending: string | null = null;
  const listeners = new Set<() => void>();
  const changed = () => { for (const listener of listeners) listener(); };
  manager.on("stack-item-added", (event: { stackItem: { meta: Map<unknown, unknown> };
                                           type: "undo" | "redo"; origin: unknown }) => {
    // A new edit (not the inverse pushed by undo/redo, which keeps its own label).
    if (event.origin !== manager && pending !== null && !event.stackItem.meta.has("label")) {
      event.stackItem.meta.set("label", pending);
    }
    changed();
  });
  manager.on("stack-item-updated", changed);
  // Undoing pushes a fresh item (without meta) onto the other stack: it keeps the label.
  manager.on("stack-item-popped", (event: { stackItem: { meta: Map<unknown, unknown> };
                                            type: "undo" | "redo" }) => {
    const other = event.type === "undo" ? manager.redoStack : manager.undoStack;
    const label = labelOf(event.stackItem);
    if (label !== null) top(other)?.meta.set("label", label);
    changed();
  });
  manager.on("stack-cleared", changed);

  return {
    manager,
    label(label, separate = true) {
      if (separate) manager.stopCapturing();
      pending = label;
    },
    undo() {
      const item = top(manager.undoStack);
      return manager.undo() ? labelOf(item) : null;
    },
    redo() {
      const item = top(manager.redoStack);
      return manager.redo() ? labelOf(item) : null;
    },
    get undoLabel() { return labelOf(top(manager.undoStack)); },
    get redoLabel() { return labelOf(top(manager.redoStack)); },
    get canUndo() { return manager.canUndo(); },
    get canRedo() { return manager.canRedo(); },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      listeners.clear();
      manager.destroy();
    },
  };
}
