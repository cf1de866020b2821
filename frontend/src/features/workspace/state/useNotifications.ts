/** Toasts: the last few messages, each dismissed by hand or after a few seconds. */
import { useCallback, useMemo, useRef, useState } from "react";

import type { Notify, Toast, Toasts } from "./contexts";

export function useNotifications(): { notify: Notify; toasts: Toasts } {
  const [list, setList] = useState<Toast[]>([]);
  const nextToast = useRef(1);

  const notify = useCallback<Notify>((message, kind = "info") => {
    const id = nextToast.current++;
    setList((all) => [...all.slice(-3), { id, kind, message }]);
    setTimeout(() => setList((all) => all.filter((t) => t.id !== id)),
               kind === "error" ? 8000 : 4000);
  }, []);
  const dismiss = useCallback((id: number) => {
    setList((all) => all.filter((t) => t.id !== id));
  }, []);

  const toasts = useMemo(() => ({ toasts: list, dismiss }), [list, dismiss]);
  return { notify, toasts };
}
