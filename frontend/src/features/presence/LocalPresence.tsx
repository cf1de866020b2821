"use client";
/** What this browser tells the others (through the live session's awareness): the selected
 * track and the notes selected in its editor, and the playhead. The editors report their
 * note selection with `useShareNoteSelection`; `PresenceProvider` (mounted once by the
 * workspace) combines it with the selected track and publishes it. The playhead moves
 * every animation frame while playing: it is sent at most `PLAYHEAD_EVERY_MS` apart (the
 * server limits messages per connection), always ending on the last value. */
import { createContext, useCallback, useContext, useEffect, useRef, useState,
         type ReactNode } from "react";

import { useCollab } from "@/features/collab/useCollab";
import { usePlayhead, useSelection } from "@/features/workspace/state";

export const PLAYHEAD_EVERY_MS = 200;
/** The server drops an awareness state over 4 KiB; the note ids get this much of it. */
export const NOTE_IDS_BUDGET = 2400;

type Share = (trackId: string, noteIds: Iterable<string>) => void;
const ShareContext = createContext<Share | null>(null);

/** The leading ids that fit the budget (a huge selection is shown to others in part). */
export function boundedIds(ids: Iterable<string>, budget = NOTE_IDS_BUDGET): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const id of ids) {
    used += id.length + 3;  // quotes and comma in the JSON
    if (used > budget) break;
    kept.push(id);
  }
  return kept;
}

/** Called by an editor with the notes selected in it (an empty list when none). */
export function useShareNoteSelection(trackId: string, noteIds: ReadonlySet<string>): void {
  const share = useContext(ShareContext);
  useEffect(() => { share?.(trackId, noteIds); }, [share, trackId, noteIds]);
}

export function PresenceProvider({ children }: { children: ReactNode }) {
  const [notes, setNotes] = useState<{ trackId: string; ids: string[] }>(
    { trackId: "", ids: [] });
  const share = useCallback<Share>((trackId, noteIds) => {
    const ids = boundedIds(noteIds);
    setNotes((old) => old.trackId === trackId && old.ids.length === ids.length
      && old.ids.every((id, i) => id === ids[i]) ? old : { trackId, ids });
  }, []);
  return (
    <ShareContext.Provider value={share}>
      <SelectionPublisher notes={notes} />
      <PlayheadPublisher />
      {children}
    </ShareContext.Provider>
  );
}

/** A key that changes whenever a new awareness appears or the session state changes: what
 * was published before may be gone, so it is published again. */
function useSessionKey(): { key: unknown; collab: ReturnType<typeof useCollab> } {
  const collab = useCollab();
  const [key, setKey] = useState<object>({});
  const seen = useRef<{ awareness: unknown; status: unknown }>({ awareness: null,
                                                                 status: null });
  useEffect(() => {
    if (seen.current.awareness === collab.awareness && seen.current.status === collab.status) {
      return;
    }
    seen.current = { awareness: collab.awareness, status: collab.status };
    setKey({});
  }, [collab.awareness, collab.status]);
  return { key, collab };
}

function SelectionPublisher({ notes }: { notes: { trackId: string; ids: string[] } }) {
  const { selectedTrackId } = useSelection();
  const { key, collab } = useSessionKey();
  const setter = useRef(collab.setLocalSelection);
  setter.current = collab.setLocalSelection;
  const sent = useRef<{ key: unknown; value: string } | null>(null);
  useEffect(() => {
    const ids = selectedTrackId !== null && notes.trackId === selectedTrackId ? notes.ids : [];
    const value = JSON.stringify([selectedTrackId, ids]);
    // The setter's identity may change with every awareness change: only a new value (or
    // a new session) is sent, so publishing can never feed back into itself.
    if (sent.current?.key === key && sent.current?.value === value) return;
    sent.current = { key, value };
    setter.current(selectedTrackId, ids);
  }, [selectedTrackId, notes, key]);
  return null;
}

function PlayheadPublisher() {
  const { playheadTick } = usePlayhead();
  const { key, collab } = useSessionKey();
  const setter = useRef(collab.setLocalPlayhead);
  setter.current = collab.setLocalPlayhead;
  const latest = useRef<number | null>(null);
  const last = useRef<{ at: number; tick: number | null; key: unknown } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    latest.current = playheadTick === null ? null : Math.max(0, Math.round(playheadTick));
    const send = () => {
      timer.current = null;
      if (last.current?.key === key && last.current?.tick === latest.current) return;
      last.current = { at: Date.now(), tick: latest.current, key };
      setter.current(latest.current);
    };
    const since = last.current ? Date.now() - last.current.at : Infinity;
    if (since >= PLAYHEAD_EVERY_MS) send();
    else timer.current ??= setTimeout(send, PLAYHEAD_EVERY_MS - since);
  }, [playheadTick, key]);

  useEffect(() => () => { if (timer.current !== null) clearTimeout(timer.current); }, []);
  return null;
}
