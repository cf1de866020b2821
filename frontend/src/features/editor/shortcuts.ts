/** The keyboard shortcuts the note editors share. */

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
