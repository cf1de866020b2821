/** The workspace's notifications, newest last; errors are alerts. */
import { useToasts } from "@/features/workspace/state";

import styles from "./workspace.module.css";

export function Toasts() {
  const { toasts, dismiss } = useToasts();
  return (
    <div className={styles.toasts}>
      {toasts.map((toast) => (
        <div key={toast.id} role={toast.kind === "error" ? "alert" : "status"}
             className={`${styles.toast} ${toast.kind === "error" ? styles.toastError : ""}`}>
          <span>{toast.message}</span>
          <button type="button" onClick={() => dismiss(toast.id)}
                  aria-label="Dismiss notification">✕</button>
        </div>
      ))}
    </div>
  );
}
