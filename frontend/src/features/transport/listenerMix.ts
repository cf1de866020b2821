/** Mute and solo as the listener's own state: kept in this browser per project
 * (localStorage), never written to the score, and applied to what this listener hears by
 * asking the preview with `?mute=…&solo=…` (the server replaces the score's flags for that
 * render only). Until this browser changes them, the score's own flags apply. */
import { useCallback, useMemo, useSyncExternalStore } from "react";

import type { paths } from "@/api/schema";
import type { Track } from "@/api/types";

/** The preview's query parameters, as the API declares them (`make api-client`). */
export type PreviewQuery = NonNullable<
  paths["/api/v1/projects/{project_id}/preview"]["get"]["parameters"]["query"]>;

export interface ListenerMix {
  mute: ReadonlySet<string>;
  solo: ReadonlySet<string>;
}

type Flag = "mute" | "solo";

const CHANGED_EVENT = "ariaforge:listener-mix";
const keyOf = (projectId: string) => `ariaforge.listen.${projectId}`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;  // storage disabled (privacy settings): the mix then lives in memory
  }
}

// Where localStorage is unavailable, this tab's choices still work until it is closed.
const memory = new Map<string, string>();

function readRaw(projectId: string): string | null {
  const store = storage();
  try {
    return store ? store.getItem(keyOf(projectId)) : (memory.get(projectId) ?? null);
  } catch {
    return memory.get(projectId) ?? null;
  }
}

function writeRaw(projectId: string, value: string): void {
  memory.set(projectId, value);
  try {
    storage()?.setItem(keyOf(projectId), value);
  } catch {
    // full or refused: the in-memory copy serves this tab
  }
  window.dispatchEvent(new CustomEvent(CHANGED_EVENT, { detail: projectId }));
}

/** The stored mix, or null when this browser never changed it (the score's flags apply). */
export function parseListenerMix(raw: string | null): ListenerMix | null {
  if (!raw) return null;
  try {
    const data = JSON.parse(raw) as { mute?: unknown; solo?: unknown };
    const ids = (value: unknown) => new Set(Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string") : []);
    return { mute: ids(data.mute), solo: ids(data.solo) };
  } catch {
    return null;
  }
}

/** What a listener hears on `tracks`: their own mix where they set one, else the score's. */
export function effectiveMix(stored: ListenerMix | null, tracks: readonly Track[]): ListenerMix {
  const ids = tracks.map((t) => t.id).filter((id): id is string => typeof id === "string");
  if (!stored) {
    return { mute: new Set(tracks.filter((t) => t.mute && t.id).map((t) => t.id!)),
             solo: new Set(tracks.filter((t) => t.solo && t.id).map((t) => t.id!)) };
  }
  // Tracks deleted since are forgotten (the server refuses unknown ids).
  return { mute: new Set(ids.filter((id) => stored.mute.has(id))),
           solo: new Set(ids.filter((id) => stored.solo.has(id))) };
}

/** The preview's query for this listener ("" while the score's own flags apply). */
export function listenerQuery(stored: ListenerMix | null, tracks: readonly Track[]): string {
  if (!stored) return "";
  const mix = effectiveMix(stored, tracks);
  const query: Required<PreviewQuery> = { mute: [...mix.mute].sort().join(","),
                                          solo: [...mix.solo].sort().join(",") };
  return new URLSearchParams({ mute: query.mute ?? "", solo: query.solo ?? "" }).toString();
}

/** Whether a track is heard under the mute/solo rules (as the server renders it). */
export function audible(mix: ListenerMix, trackId: string): boolean {
  return !mix.mute.has(trackId) && (mix.solo.size === 0 || mix.solo.has(trackId));
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith("ariaforge.listen.")) onChange();
  };
  window.addEventListener(CHANGED_EVENT, onChange);
  window.addEventListener("storage", onStorage);  // another tab of this browser
  return () => {
    window.removeEventListener(CHANGED_EVENT, onChange);
    window.removeEventListener("storage", onStorage);
  };
}

/** This listener's mix on the score's tracks, the preview query for it, and a toggle. */
export function useListenerMix(projectId: string, tracks: readonly Track[]) {
  const raw = useSyncExternalStore(subscribe, () => readRaw(projectId), () => null);
  const stored = useMemo(() => parseListenerMix(raw), [raw]);
  const mix = useMemo(() => effectiveMix(stored, tracks), [stored, tracks]);
  const query = useMemo(() => listenerQuery(stored, tracks), [stored, tracks]);
  const toggle = useCallback((trackId: string, flag: Flag) => {
    // The first change starts from what the listener hears now (the score's flags).
    const current = effectiveMix(parseListenerMix(readRaw(projectId)), tracks);
    const next = new Set(current[flag]);
    if (next.has(trackId)) next.delete(trackId);
    else next.add(trackId);
    const value = { ...current, [flag]: next };
    writeRaw(projectId, JSON.stringify({ mute: [...value.mute].sort(),
                                         solo: [...value.solo].sort() }));
  }, [projectId, tracks]);
  return { mix, query, toggle };
}
