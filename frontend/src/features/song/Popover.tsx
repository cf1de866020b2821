"use client";
/** A small non-modal panel beside the element it edits (a chord, a section): rendered into
 * the page's body at a fixed position, so neither the arrangement's scroll box nor the
 * panels after it can clip or cover it; Escape or a click outside closes it and focus goes
 * back to the element. */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";

import styles from "./song.module.css";

export function Popover({ anchor: getAnchor, label, onClose, children }: {
  /** The element edited (read after React has attached its refs). */
  anchor(): HTMLElement | null; label: string; onClose(): void; children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ left: 0, top: 0 });
  const close = useRef(onClose);
  close.current = onClose;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const anchorOf = useRef(getAnchor);
  anchorOf.current = getAnchor;
  useLayoutEffect(() => setAnchor(anchorOf.current()), []);

  useLayoutEffect(() => {
    const rect = anchor?.getBoundingClientRect();
    const width = box.current?.offsetWidth ?? 280;
    const height = box.current?.offsetHeight ?? 200;
    if (!rect) return;
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    const below = rect.bottom + 4;
    const top = below + height > window.innerHeight - 8 ? Math.max(8, rect.top - height - 4)
      : below;
    setPlace({ left, top });
  }, [anchor]);

  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!box.current?.contains(target) && !anchor?.contains(target)) close.current();
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [anchor]);

  return createPortal(
    <div ref={box} role="dialog" aria-label={label} className={styles.popover}
         style={{ left: place.left, top: place.top }}
         onKeyDown={(event) => {
           if (event.key === "Escape") {
             event.preventDefault();
             event.stopPropagation();
             close.current();
             anchor?.focus();
           }
         }}>
      {children}
    </div>,
    document.body,
  );
}
