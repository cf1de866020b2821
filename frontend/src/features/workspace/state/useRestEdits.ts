/** The REST fallback for score edits (no live document): every change is saved through the
 * API with the revision check, one at a time, each with the revision the previous one
 * produced; a refused change (409 or another error) is reported and the score reloaded. */
import { useCallback, useMemo, useRef, type MutableRefObject } from "react";

import { api, errorOf, type ApiError } from "@/api/client";
import type { MixSettings, Score, Track } from "@/api/types";
import type { DocSettings } from "@/features/collab/schema";

import type { Notify, ScoreEdits } from "./contexts";

export type RestEdits = Omit<ScoreEdits, "liveHistory" | "liveHistoryVersion">;

export function useRestEdits({ projectId, notify, revisionRef, scoreRef, reload,
                               reloadOwn }: {
  projectId: string;
  notify: Notify;
  revisionRef: MutableRefObject<number>;
  scoreRef: MutableRefObject<Score | null>;
  reload(): Promise<void>;
  reloadOwn(): Promise<void>;
}): RestEdits {
  const conflict = useCallback(async (error: ApiError) => {
    notify(error.code === "CONFLICT"
      ? "Someone else changed the score meanwhile; it has been reloaded, please redo your edit."
      : error.message, "error");
    await reload();
  }, [notify, reload]);

  // Every change to the score runs through one queue: each is sent with the revision the
  // previous one produced, so two panels saving at once never trip over each other.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const serial = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = queue.current.catch(() => undefined).then(work);
    queue.current = next;
    return next;
  }, []);
  const path = useMemo(() => ({ params: { path: { project_id: projectId } } }), [projectId]);

  const editNotes = useCallback<ScoreEdits["editNotes"]>((operations, message) =>
    serial(async () => {
      const answer = await api.POST("/api/v1/projects/{project_id}/notes/batch", {
        ...path,
        body: { operations, revision: revisionRef.current, message: message ?? null },
      });
      if (!answer.data) {
        const error = errorOf(answer.error, answer.response.status);
        await conflict(error);
        return { ok: false, error };
      }
      revisionRef.current = answer.data.revision;
      await reloadOwn();
      return { ok: true, addedIds: answer.data.added_note_ids, revision: answer.data.revision };
    }), [path, conflict, reloadOwn, serial, revisionRef]);

  const updateTrack = useCallback((trackId: string, patch: Partial<Track>) => serial(async () => {
    const answer = await api.PATCH("/api/v1/projects/{project_id}/tracks/{track_id}", {
      params: { path: { project_id: projectId, track_id: trackId } },
      body: { ...patch, revision: revisionRef.current } as never,
    });
    if (!answer.data) {
      await conflict(errorOf(answer.error, answer.response.status));
      return false;
    }
    await reloadOwn();
    return true;
  }), [projectId, conflict, reloadOwn, serial, revisionRef]);

  const addTrack = useCallback((track: Partial<Track>) => serial(async () => {
    const answer = await api.POST("/api/v1/projects/{project_id}/tracks", {
      ...path, body: { ...track, revision: revisionRef.current } as never,
    });
    if (!answer.data) {
      await conflict(errorOf(answer.error, answer.response.status));
      return null;
    }
    await reloadOwn();
    return (answer.data as { id?: string }).id ?? null;
  }), [path, conflict, reloadOwn, serial, revisionRef]);

  const deleteTrack = useCallback((trackId: string) => serial(async () => {
    const answer = await api.DELETE("/api/v1/projects/{project_id}/tracks/{track_id}", {
      params: { path: { project_id: projectId, track_id: trackId },
                header: { "if-match": `"${revisionRef.current}"` } },
    });
    if (answer.error || !answer.response.ok) {
      await conflict(errorOf(answer.error, answer.response.status));
      return false;
    }
    await reloadOwn();
    return true;
  }), [projectId, conflict, reloadOwn, serial, revisionRef]);

  /** Saves the whole score, changed by `change` (for what has no narrower route). */
  const putScore = useCallback((change: (score: Score) => Score, message: string) =>
    serial(async () => {
      const current = scoreRef.current;
      if (!current) return false;
      const answer = await api.PUT("/api/v1/projects/{project_id}/score", {
        ...path, body: { score: change(current), revision: revisionRef.current, message },
      });
      if (!answer.data) {
        await conflict(errorOf(answer.error, answer.response.status));
        return false;
      }
      await reloadOwn();
      return true;
    }), [path, conflict, reloadOwn, serial, scoreRef, revisionRef]);

  /** Saves the mix, changed by `change`, against the mix's own revision. */
  const putMix = useCallback((change: (mix: MixSettings) => MixSettings) => serial(async () => {
    const current = await api.GET("/api/v1/projects/{project_id}/mix", path);
    if (!current.data) {
      notify(errorOf(current.error, current.response.status).message, "error");
      return false;
    }
    const answer = await api.PUT("/api/v1/projects/{project_id}/mix", {
      ...path, body: { revision: current.data.revision, settings: change(current.data.settings) },
    });
    if (!answer.data) {
      notify(errorOf(answer.error, answer.response.status).message, "error");
      return false;
    }
    return true;
  }), [path, notify, serial]);

  const moveTrack = useCallback((trackId: string, index: number) => putScore((score) => {
    const tracks = [...(score.tracks ?? [])];
    const from = tracks.findIndex((t) => t.id === trackId);
    if (from < 0) return score;
    const [track] = tracks.splice(from, 1);
    tracks.splice(Math.max(0, Math.min(index, tracks.length)), 0, track!);
    return { ...score, tracks };
  }, "Move a track"), [putScore]);

  const updateSettings = useCallback((patch: Partial<DocSettings>) => putScore((score) => ({
    ...score,
    tempo: patch.tempo ?? score.tempo,
    bars: patch.bars ?? score.bars,
    key: { ...score.key, ...(patch.tonic ? { tonic: patch.tonic } : {}),
           ...(patch.mode ? { mode: patch.mode as NonNullable<Score["key"]>["mode"] } : {}) },
    meter: { ...score.meter,
             ...(patch.meter_numerator ? { numerator: patch.meter_numerator } : {}),
             ...(patch.meter_denominator
               ? { denominator: patch.meter_denominator as 4 } : {}) },
  }), "Song settings"), [putScore]);

  return useMemo<RestEdits>(() => ({
    editNotes, addTrack,
    // Issue 17: the track PATCH route has no `clips` or `preset_id`; those are saved with
    // the whole score.
    updateTrack: (trackId, patch) => ("clips" in patch || "preset_id" in patch
      ? putScore((s) => ({ ...s, tracks: (s.tracks ?? []).map((t) => (t.id === trackId
          ? { ...t, ...patch } : t)) }), "Change track")
      : updateTrack(trackId, patch)), deleteTrack, moveTrack, updateSettings,
    setTempoChanges: (events) => putScore((s) => ({ ...s, tempo_changes: events }),
                                          "Tempo changes"),
    setMeterChanges: (events) => putScore((s) => ({ ...s, meter_changes: events.map((m) => ({
      bar: m.bar, meter: { numerator: m.numerator, denominator: m.denominator as 4 } })) }),
                                          "Meter changes"),
    setSections: (sections) => putScore((s) => ({ ...s, sections: sections.map((x) => ({
      ...x, key: x.key ? { tonic: x.key.tonic,
                           mode: x.key.mode as NonNullable<Score["key"]>["mode"] } : null })) }),
                                         "Sections"),
    setChordSymbols: (chords) => putScore((s) => ({ ...s, chord_symbols: chords }),
                                          "Chord symbols"),
    updateMaster: (patch) => putMix((mix) => ({ ...mix, master: { ...mix.master, ...patch } })),
    updateTrackMix: (trackId, patch) => putMix((mix) => ({
      ...mix, tracks: { ...mix.tracks, [trackId]: { ...mix.tracks?.[trackId], ...patch } } })),
  }), [editNotes, updateTrack, addTrack, deleteTrack, moveTrack, updateSettings, putScore,
       putMix]);
}
