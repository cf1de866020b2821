/** Whether a composition session is running for a project, for views outside the brief
 * panel: while it runs, "Composing…" is the honest state of an empty score, not "Nothing
 * to play yet" (a reload mid-composition used to say the latter for the whole run). */
import { useSyncExternalStore } from "react";

const running = new Map<string, string>();
const listeners = new Set<() => void>();

export function setComposing(projectId: string, operation: string | null): void {
  if ((running.get(projectId) ?? null) === operation) return;
  if (operation) running.set(projectId, operation);
  else running.delete(projectId);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** The operation running for the project ("compose", "restyle", …), or null. */
export function useComposing(projectId: string): string | null {
  return useSyncExternalStore(subscribe, () => running.get(projectId) ?? null, () => null);
}
