/** Where a pop-over panel goes: fixed to the viewport under its button, so that a tool row
 * that scrolls or clips (overflow) never cuts it off and opening it never moves the page.
 * The panel closes when the page scrolls or resizes rather than drifting from its button. */
import {
  useEffect, useLayoutEffect, useState, type CSSProperties, type RefObject,
} from "react";

export function usePopoverPosition(anchor: RefObject<HTMLElement | null>, open: boolean,
                                   width: number, onDismiss: () => void): CSSProperties {
  const [style, setStyle] = useState<CSSProperties>({});
  useLayoutEffect(() => {
    if (!open) return;
    const rect = anchor.current?.getBoundingClientRect();
    if (!rect) return;
    const left = Math.max(4, Math.min(rect.left, window.innerWidth - width - 8));
    const below = window.innerHeight - rect.bottom;
    setStyle(below > 260 || below > rect.top
      ? { position: "fixed", left, top: rect.bottom + 4, width }
      : { position: "fixed", left, bottom: window.innerHeight - rect.top + 4, width });
    const dismiss = (event: Event) => {
      // Scrolling inside the panel itself (its list) is fine.
      if (event.type === "scroll" && event.target instanceof Node &&
          (event.target as Element).closest?.("[data-popover]")) return;
      onDismiss();
    };
    window.addEventListener("resize", dismiss);
    window.addEventListener("scroll", dismiss, true);
    return () => {
      window.removeEventListener("resize", dismiss);
      window.removeEventListener("scroll", dismiss, true);
    };
    // onDismiss changes every render; the panel's place is decided when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, width]);
  return style;
}

/** While open, a press anywhere outside `root` closes the pop-over. */
export function useCloseOnOutsidePress(root: RefObject<HTMLElement | null>, open: boolean,
                                       close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onDown = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) close();
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
  }, [root, open, close]);
}
