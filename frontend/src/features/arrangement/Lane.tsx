/** One track in the arrangement: its name, role and instrument (rename, change, delete,
 * write or regenerate its part) beside a lane of its notes; the lane selects the track for
 * the editor. */
import { useMemo, useRef, useState, type FormEvent,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import type { Score, Track } from "@/api/types";
import { clipsOf, isAudioTrack, type AudioClip } from "@/features/library/audioTracks";
import { TrackPartDialog } from "@/features/takes/TrackPartDialog";
import { useTakes } from "@/features/takes/TakesProvider";
import type { Bar } from "@/lib/geometry";
import { trackColour } from "@/lib/trackColour";

import styles from "./ArrangementView.module.css";
import { ClipLane } from "./ClipLane";
import { instrumentLabel, ProgramOptions, roleLabel } from "./tracks";

const LANE = 46;

export function Lane({ track, ppt, width, bars, selected, canEdit, busy, onSelect, onRename,
                onProgram, onDelete, onMove, first = true, last = true, score, onClips }: {
  track: Track; ppt: number; width: number; bars: Bar[]; selected: boolean; canEdit: boolean;
  busy: boolean; onSelect(): void; onRename(name: string): void; onProgram(program: number): void;
  onDelete(): void;
  /** Moves the track up (-1) or down (+1) the list; absent when it cannot move. */
  onMove?(delta: -1 | 1): void;
  first?: boolean; last?: boolean;
  /** For audio tracks (issue 17): the score (tempo for clip lengths) and saving moved or
   * deleted clips. */
  score?: Score; onClips?(clips: AudioClip[]): void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [writing, setWriting] = useState(false);
  const takes = useTakes();
  const [draft, setDraft] = useState(track.name ?? "");
  const renameButton = useRef<HTMLButtonElement>(null);
  const name = track.name ?? "Track";
  const notes = useMemo(() => track.notes ?? [], [track.notes]);
  const colour = trackColour(track);
  const { low, high } = useMemo(() => {
    let lo = 127;
    let hi = 0;
    for (const n of notes) { lo = Math.min(lo, n.pitch); hi = Math.max(hi, n.pitch); }
    return lo > hi ? { low: 48, high: 72 } : { low: lo, high: Math.max(hi, lo + 11) };
  }, [notes]);
  const rowH = (LANE - 8) / (high - low + 1);
  const id = track.id ?? "";
  const audio = isAudioTrack(track);

  const commit = () => {
    const value = draft.trim();
    setRenaming(false);
    if (value && value !== name) onRename(value.slice(0, 100));
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const onLaneKey = (event: ReactKeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect();
    }
  };

  return (
    <div className={`${styles.lane} ${selected ? styles.selectedLane : ""}`}
         data-track-id={id} data-testid="arrangement-lane">
      <div className={styles.head} data-lane-head onClick={onSelect}
           style={{ borderLeftColor: colour }}>
        {renaming ? (
          <form className={styles.renameForm}
                onSubmit={(e: FormEvent) => { e.preventDefault(); commit(); }}>
            <input aria-label={`New name for ${name}`} value={draft} maxLength={100} autoFocus
                   onChange={(e) => setDraft(e.target.value)} onBlur={commit}
                   onClick={(e) => e.stopPropagation()}
                   onKeyDown={(e) => {
                     if (e.key === "Escape") {
                       e.preventDefault();
                       e.stopPropagation();
                       setDraft(name);
                       setRenaming(false);
                       requestAnimationFrame(() => renameButton.current?.focus());
                     }
                   }} />
          </form>
        ) : (
          <div className={styles.nameRow}>
            <span className={styles.name} title={name}>{name}</span>
            <span className={styles.role}>{roleLabel(track.role)}</span>
            {canEdit ? (
              <>
                <button type="button" ref={renameButton} className={styles.iconButton}
                        aria-label={`Rename ${name}`} title="Rename" disabled={busy}
                        onClick={(e) => { e.stopPropagation(); setDraft(name); setRenaming(true); }}>
                  ✎
                </button>
                {onMove ? (
                  <>
                    <button type="button" className={styles.iconButton}
                            aria-label={`Move ${name} up`} title="Move up"
                            disabled={busy || first}
                            onClick={(e) => { e.stopPropagation(); onMove(-1); }}>↑</button>
                    <button type="button" className={styles.iconButton}
                            aria-label={`Move ${name} down`} title="Move down"
                            disabled={busy || last}
                            onClick={(e) => { e.stopPropagation(); onMove(1); }}>↓</button>
                  </>
                ) : null}
                <button type="button" className={styles.iconButton} aria-label={`Delete ${name}`}
                        title="Delete track" disabled={busy}
                        onClick={(e) => { e.stopPropagation(); onDelete(); }}>
                  ✕
                </button>
              </>
            ) : null}
          </div>
        )}
        {/* The instrument, and beside it the AI part for this track (the name row is full). */}
        <div style={{ display: "flex", gap: 4, alignItems: "center", minWidth: 0 }}>
          {audio ? (
            <span className={styles.role} data-testid="audio-track-label">
              Audio · {clipsOf(track).length} clip{clipsOf(track).length === 1 ? "" : "s"}
            </span>
          ) : track.is_drum ? (
            <select className={styles.instrument} aria-label={`Instrument of ${name}`} disabled
                    aria-disabled value="drums" onClick={(e) => e.stopPropagation()}>
              <option value="drums">Drum kit (GM)</option>
            </select>
          ) : (
            <select className={styles.instrument} aria-label={`Instrument of ${name}`}
                    value={track.program ?? 0} disabled={!canEdit || busy}
                    aria-disabled={!canEdit || undefined}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(e) => onProgram(Number(e.target.value))}>
              <ProgramOptions />
            </select>
          )}
          {takes.enabled && canEdit && !audio ? (
            <button type="button" className={styles.iconButton} data-testid="track-part"
                    aria-label={notes.length ? `Regenerate ${name}…`
                      : `Write a part for ${name}…`}
                    title={notes.length ? "Regenerate this track (or one section)…"
                      : "Write a part…"}
                    disabled={busy || takes.run.phase === "starting"
                      || takes.run.phase === "running"}
                    onClick={(e) => { e.stopPropagation(); setWriting(true); }}>
              ✦
            </button>
          ) : null}
        </div>
      </div>
      {audio && score ? (
        <div className={styles.timeline}>
          <ClipLane clips={clipsOf(track)} score={score} bars={bars} ppt={ppt} width={width}
                    colour={colour} canEdit={canEdit && !busy} muted={track.mute ?? false}
                    name={name} onSelect={onSelect} onClips={(clips) => onClips?.(clips)} />
        </div>
      ) : (
        <div className={styles.timeline} role="button" tabIndex={0} aria-pressed={selected}
             aria-label={`${name}: ${roleLabel(track.role)}, ${instrumentLabel(track)}, ${
               notes.length} notes${track.mute ? ", muted" : ""}${selected ? ", selected" : ""}`}
             onClick={onSelect} onKeyDown={onLaneKey}>
          <svg width={width} height={LANE} aria-hidden className={styles.laneSvg}>
            {bars.map((bar) => (
              <line key={bar.number} x1={bar.start * ppt + 0.5} x2={bar.start * ppt + 0.5}
                    y1={0} y2={LANE} className={styles.laneBar} />
            ))}
            {notes.map((note, i) => (
              <rect key={note.id ?? i} x={note.start * ppt}
                    y={4 + (high - note.pitch) * rowH} width={Math.max(1.5, note.duration * ppt - 0.5)}
                    height={Math.max(1.5, Math.min(rowH, 4))} fill={colour}
                    fillOpacity={track.mute ? 0.3 : 0.45 + 0.55 * ((note.velocity ?? 90) / 127)} />
            ))}
          </svg>
        </div>
      )}
      {takes.enabled && canEdit && !audio ? (
        <TrackPartDialog track={track} open={writing} onClose={() => setWriting(false)} />
      ) : null}
    </div>
  );
}
