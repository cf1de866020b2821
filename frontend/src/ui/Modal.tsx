"use client";
/** An accessible dialog on the native <dialog> element: focus moves in, Escape closes. */
import { useEffect, useRef, type ReactNode } from "react";

import styles from "./Modal.module.css";

export function Modal({ title, open, onClose, children, wide = false }: {
  title: string; open: boolean; onClose(): void; children: ReactNode; wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? `${styles.dialog} ${styles.wide}` : styles.dialog}
            aria-label={title} onClose={onClose} onCancel={onClose}>
      <header className={styles.header}>
        <h2>{title}</h2>
        <button type="button" aria-label="Close" onClick={onClose}>✕</button>
      </header>
      {open ? children : null}
    </dialog>
  );
}
