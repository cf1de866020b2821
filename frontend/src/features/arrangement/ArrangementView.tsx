"use client";
/** The arrangement: every track as a lane of small note blocks over a bar ruler with the
 * score's sections and chord symbols, and the playhead. Select a lane (click, or Enter on
 * it), rename a track, change its instrument, move it up or down, add and delete tracks.
 * The song itself is edited in place: tempo, key, meter and length in the header, sections
 * and the chord track in their lanes above the tracks (features/song); "Song…" still edits
 * everything at once as text. While playing, the view follows the playhead. */
import { useCallback, useMemo, useRef, useState } from "react";

import type { Track } from "@/api/types";
import { useFollowPlayhead } from "@/features/playback/follow";
import { SongHeader } from "@/features/song/SongHeader";
import { SongLanes } from "@/features/song/SongLanes";
import { usePlayhead, useProject, useScore, useScoreEdits,
         useSelection } from "@/features/workspace/state";
import { barLayout, clamp, scoreEnd } from "@/lib/geometry";
import { PPQ } from "@/lib/ticks";
import { Modal } from "@/ui/Modal";

import { AddTrackDialog } from "./AddTrackDialog";
import { SongDialog, type SongChanges } from "./SongDialog";
import { ArrangementRuler } from "./ArrangementRuler";
import styles from "./ArrangementView.module.css";
import { Lane } from "./Lane";

/** Zoom levels in pixels per quarter note. */
const ZOOMS = [4, 6, 9, 12, 16, 22, 30];
const DEFAULT_ZOOM = 3;

export function ArrangementView() {
  const { canEdit } = useProject();
  const { score } = useScore();
  const { updateTrack, addTrack, deleteTrack, moveTrack, updateSettings, setSections,
          setChordSymbols } = useScoreEdits();
  const { selectedTrackId, selectTrack } = useSelection();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const [adding, setAdding] = useState(false);
  const [editingSong, setEditingSong] = useState(false);
  const [deleting, setDeleting] = useState<Track | null>(null);
  const [busy, setBusy] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const tracks = score?.tracks ?? [];
  const ppt = (ZOOMS[zoom] ?? 12) / PPQ;
  const end = scoreEnd(bars);
  const width = Math.ceil(end * ppt) + 24;

  // While playing, keep the playhead in view (past the sticky lane heads).
  const tickToPx = useCallback((tick: number) => tick * ppt, [ppt]);
  const [leadingPx, setLeadingPx] = useState(200);
  useFollowPlayhead(scroller, tickToPx, { leadingPx });
  const measureHead = useCallback((box: HTMLDivElement | null) => {
    scroller.current = box;
    const head = box?.querySelector<HTMLElement>("[data-lane-head]")?.offsetWidth;
    if (head) setLeadingPx(head);
  }, []);

  if (!score) return <p className="muted">Loading the arrangement…</p>;

  const saveSong = async ({ settings, sections, chords }: SongChanges) => {
    let ok = true;
    if (Object.keys(settings).length) ok = await updateSettings(settings);
    if (ok && sections) ok = await setSections(sections);
    if (ok && chords) ok = await setChordSymbols(chords);
    return ok;
  };
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try { await work(); } finally { setBusy(false); }
  };

  return (
    <section className={styles.arrangement} aria-labelledby="arrangement-title">
      <div className={styles.toolbar}>
        <h3 id="arrangement-title" className={styles.title}>Arrangement</h3>
        <SongHeader score={score} canEdit={canEdit} />
        <div className={styles.tools}>
          <div className={styles.group} role="group" aria-label="Arrangement zoom">
            <button type="button" aria-label="Zoom out" disabled={zoom === 0}
                    onClick={() => setZoom((z) => clamp(z - 1, 0, ZOOMS.length - 1))}>−</button>
            <button type="button" aria-label="Zoom in" disabled={zoom === ZOOMS.length - 1}
                    onClick={() => setZoom((z) => clamp(z + 1, 0, ZOOMS.length - 1))}>+</button>
          </div>
          {canEdit ? (
            <>
              <button type="button" onClick={() => setEditingSong(true)} disabled={busy}>
                Song…</button>
              <button type="button" onClick={() => setAdding(true)} disabled={busy}
                      data-testid="add-track">+ Track</button>
            </>
          ) : null}
        </div>
      </div>
      <div className={styles.scroller} ref={measureHead}>
        <div className={styles.canvas} style={{ minWidth: `calc(var(--lane-head) + ${width}px)` }}>
          <SongLanes score={score} bars={bars} ppt={ppt} width={width} canEdit={canEdit}
                     ruler={<ArrangementRuler bars={bars} ppt={ppt} width={width}
                                              onSeek={(tick) => setPlayheadTick(tick)} />} />
          {tracks.length === 0 ? (
            <p className={styles.empty}>
              No tracks yet.{canEdit ? " Add one, or compose from the brief." : ""}
            </p>
          ) : null}
          {tracks.map((track, index) => (
            <Lane key={track.id ?? index} track={track} ppt={ppt} width={width}
                  bars={bars} selected={track.id === selectedTrackId} canEdit={canEdit}
                  busy={busy}
                  onSelect={() => selectTrack(track.id ?? null)}
                  onRename={(name) => run(() => updateTrack(track.id ?? "", { name }))}
                  onProgram={(program) => run(() => updateTrack(track.id ?? "", { program }))}
                  onMove={index === 0 && index === tracks.length - 1 ? undefined
                    : (delta) => run(() => moveTrack(track.id ?? "", index + delta))}
                  first={index === 0} last={index === tracks.length - 1}
                  onDelete={() => setDeleting(track)}
                  score={score}
                  onClips={(clips) => run(() => updateTrack(track.id ?? "", { clips }))} />
          ))}
          {playheadTick !== null ? (
            <div className={styles.playhead} data-testid="arrangement-playhead" aria-hidden
                 style={{ left: `calc(var(--lane-head) + ${playheadTick * ppt}px)` }} />
          ) : null}
        </div>
      </div>
      <AddTrackDialog open={adding} onClose={() => setAdding(false)} busy={busy}
                      count={tracks.length}
                      onAdd={(track) => run(async () => {
                        const id = await addTrack(track);
                        if (id) { selectTrack(id); setAdding(false); }
                      })} />
      <SongDialog open={editingSong} score={score} busy={busy}
                  onClose={() => setEditingSong(false)}
                  onSave={(changes) => run(async () => {
                    if (await saveSong(changes)) setEditingSong(false);
                  })} />
      <Modal title="Delete track" open={deleting !== null} onClose={() => setDeleting(null)}>
        {deleting ? (
          <div className="stack">
            <p>
              Delete <strong>{deleting.name ?? "Track"}</strong> and its{" "}
              {deleting.role === "audio"
                ? `${deleting.clips?.length ?? 0} clips`
                : `${deleting.notes?.length ?? 0} notes`}? An earlier version can be restored from
              History.
            </p>
            <div className="row">
              <button type="button" onClick={() => setDeleting(null)}>Cancel</button>
              <button type="button" className="danger" disabled={busy}
                      data-testid="confirm-delete-track"
                      onClick={() => run(async () => {
                        const id = deleting.id ?? "";
                        if (await deleteTrack(id)) {
                          if (selectedTrackId === id) selectTrack(null);
                          setDeleting(null);
                        }
                      })}>Delete track</button>
            </div>
          </div>
        ) : null}
      </Modal>
    </section>
  );
}
