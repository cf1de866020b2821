/** Ctrl/⌘+C, X and V for the piano roll, also when nothing more specific has focus (right
 * after a click on the ruler, say). They arrive as the browser's clipboard events, which may write and
 * read the system clipboard without a permission prompt (so a copy pastes in another tab or
 * project); the in-app clipboard backs them up. Where a browser sends no clipboard event
 * for a page without a text field, the key press itself does the job, once. */
import { useEffect, useRef, type RefObject } from "react";

import { clipFromText, clipToText, getAppClip } from "@/features/editor/clipboard";
import { isTextTarget } from "@/features/editor/shortcuts";

import type { RollCommands } from "./useRollCommands";

type ClipAction = "copy" | "cut" | "paste";
const KEYS: Record<string, ClipAction> = { c: "copy", x: "cut", v: "paste" };

export function useRollClipboard({ section, commands, editable, onCopied }: {
  section: RefObject<HTMLElement | null>;
  commands: RollCommands;
  editable: boolean;
  onCopied(): void;
}): void {
  const latest = useRef({ commands, editable, onCopied });
  latest.current = { commands, editable, onCopied };

  useEffect(() => {
    /** Whether a key or clipboard event is the roll's: focus inside it, or on nothing more
     * specific (the page, or a panel around the roll, as after a click on the ruler). */
    const ours = (target: EventTarget | null) => {
      if (isTextTarget(target)) return false;
      const focused = document.activeElement;
      const roll = section.current;
      if (!focused || focused === document.body || !roll) return true;
      return roll.contains(focused) || focused.contains(roll);
    };
    let fallback: ReturnType<typeof setTimeout> | null = null;
    const run = (action: ClipAction, data: DataTransfer | null) => {
      const { commands: c, editable: canEdit, onCopied: copied } = latest.current;
      if (action === "paste") {
        if (!canEdit) return false;
        c.paste(clipFromText(data?.getData("text/plain") ?? "") ?? getAppClip());
        return true;
      }
      const clip = action === "cut" ? (canEdit ? c.cut() : null) : c.copy();
      if (!clip) return false;
      data?.setData("text/plain", clipToText(clip));
      copied();
      return true;
    };
    const onClipboard = (event: ClipboardEvent) => {
      if (!ours(event.target)) return;
      if (fallback) { clearTimeout(fallback); fallback = null; }
      if (run(event.type as ClipAction, event.clipboardData)) event.preventDefault();
    };
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const action = KEYS[event.key.toLowerCase()];
      if (!action || !ours(event.target)) return;
      // The clipboard event, if the browser sends one, comes in this same task.
      if (fallback) clearTimeout(fallback);
      fallback = setTimeout(() => { fallback = null; run(action, null); }, 0);
    };
    document.addEventListener("copy", onClipboard);
    document.addEventListener("cut", onClipboard);
    document.addEventListener("paste", onClipboard);
    document.addEventListener("keydown", onKey);
    return () => {
      if (fallback) clearTimeout(fallback);
      document.removeEventListener("copy", onClipboard);
      document.removeEventListener("cut", onClipboard);
      document.removeEventListener("paste", onClipboard);
      document.removeEventListener("keydown", onKey);
    };
  }, [section]);
}
