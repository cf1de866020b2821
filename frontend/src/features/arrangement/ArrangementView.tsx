"use client";
/** The arrangement: every track as a lane of small note blocks over a bar ruler with the
 * score's sections and chord symbols, and the playhead. Select a lane (click, or Enter on
 * it), rename a track, change its instrument, add and delete tracks. */
import { useEffect, useMemo, useRef, useState, type FormEvent,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import type { Track } from "@/api/types";
import { Modal } from "@/components/ui/Modal";
import { barAt, barLayout, clamp, PPQ, scoreEnd, type Bar } from "@/lib/geometry";
import { GM_FAMILIES, GM_PROGRAMS, programName } from "@/lib/gm";
import { usePlayhead, useWorkspace } from "@/workspace/WorkspaceContext";

import styles from "./ArrangementView.module.css";
import { trackColour } from "./useNoteEditing";

type Role = NonNullable<Track["role"]>;
const ROLES: { value: Role; label: string; program: number }[] = [
  { value: "melody", label: "Melody", program: 73 },
  { value: "chords", label: "Chords", program: 0 },
  { value: "bass", label: "Bass", program: 33 },
  { value: "drums", label: "Drums", program: 0 },
  { value: "pad", label: "Pad", program: 89 },
  { value: "other", label: "Other", program: 0 },
];
/** Zoom levels in pixels per quarter note. */
const ZOOMS = [4, 6, 9, 12, 16, 22, 30];
const DEFAULT_ZOOM = 3;
const LANE = 46;
const SECTION_ROW = 18;
const BAR_ROW = 16;
const CHORD_ROW = 18;
const RULER = SECTION_ROW + BAR_ROW + CHORD_ROW;

function roleLabel(role: Track["role"]): string {
  return ROLES.find((r) => r.value === role)?.label ?? "Other";
}

export function instrumentLabel(track: Pick<Track, "is_drum" | "program">): string {
  return track.is_drum ? "Drum kit" : programName(track.program ?? 0);
}

/** GM programs grouped by family, for a <select>. */
export function ProgramOptions() {
  return (
    <>
      {GM_FAMILIES.map((family, f) => (
        <optgroup key={family} label={family}>
          {GM_PROGRAMS.slice(f * 8, f * 8 + 8).map((name, i) => (
            <option key={name} value={f * 8 + i}>{`${f * 8 + i + 1}. ${name}`}</option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

export function ArrangementView() {
  const { score, canEdit, selectedTrackId, selectTrack, updateTrack, addTrack,
          deleteTrack } = useWorkspace();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Track | null>(null);
  const [busy, setBusy] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const tracks = score?.tracks ?? [];
  const ppt = (ZOOMS[zoom] ?? 12) / PPQ;
  const end = scoreEnd(bars);
  const width = Math.ceil(end * ppt) + 24;

  // Keep the playhead in view while it moves.
  useEffect(() => {
    const box = scroller.current;
    if (!box || playheadTick === null) return;
    const head = box.querySelector<HTMLElement>("[data-lane-head]")?.offsetWidth ?? 0;
    const x = playheadTick * ppt;
    const visible = box.clientWidth - head;
    if (x < box.scrollLeft || x > box.scrollLeft + visible - 8) {
      box.scrollLeft = Math.max(0, x - 24);
    }
  }, [playheadTick, ppt]);

  if (!score) return <p className="muted">Loading the arrangement…</p>;

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try { await work(); } finally { setBusy(false); }
  };

  return (
    <section className={styles.arrangement} aria-labelledby="arrangement-title">
      <div className={styles.toolbar}>
        <h3 id="arrangement-title" className={styles.title}>Arrangement</h3>
        <span className="muted">
          {score.bars ?? 8} bars · {Math.round(score.tempo ?? 120)} bpm ·{" "}
          {score.meter?.numerator ?? 4}/{score.meter?.denominator ?? 4}
        </span>
        <div className={styles.tools}>
          <div className={styles.group} role="group" aria-label="Arrangement zoom">
            <button type="button" aria-label="Zoom out" disabled={zoom === 0}
                    onClick={() => setZoom((z) => clamp(z - 1, 0, ZOOMS.length - 1))}>−</button>
            <button type="button" aria-label="Zoom in" disabled={zoom === ZOOMS.length - 1}
                    onClick={() => setZoom((z) => clamp(z + 1, 0, ZOOMS.length - 1))}>+</button>
          </div>
          {canEdit ? (
            <button type="button" onClick={() => setAdding(true)} disabled={busy}
                    data-testid="add-track">+ Track</button>
          ) : null}
        </div>
      </div>
      <div className={styles.scroller} ref={scroller}>
        <div className={styles.canvas} style={{ minWidth: `calc(var(--lane-head) + ${width}px)` }}>
          <div className={styles.rulerRow}>
            <div className={styles.corner} data-lane-head aria-hidden />
            <Ruler bars={bars} ppt={ppt} width={width} score={score}
                   onSeek={(tick) => setPlayheadTick(tick)} />
          </div>
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
                  onDelete={() => setDeleting(track)} />
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
      <Modal title="Delete track" open={deleting !== null} onClose={() => setDeleting(null)}>
        {deleting ? (
          <div className="stack">
            <p>
              Delete <strong>{deleting.name ?? "Track"}</strong> and its{" "}
              {deleting.notes?.length ?? 0} notes? An earlier version can be restored from
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

function Ruler({ bars, ppt, width, score, onSeek }: {
  bars: Bar[]; ppt: number; width: number; score: NonNullable<ReturnType<typeof useWorkspace>["score"]>;
  onSeek(tick: number): void;
}) {
  const sections = score.sections ?? [];
  const chords = score.chord_symbols ?? [];
  const barStart = (n: number) => bars[n - 1]?.start ?? barAt(bars, scoreEnd(bars)).start;
  const every = Math.max(1, Math.ceil(28 / ((bars[0]?.length ?? 1920) * ppt)));
  return (
    <svg className={styles.ruler} width={width} height={RULER} role="img"
         aria-label={`Bars 1 to ${bars.length}${sections.length ? `; sections: ${
           sections.map((s) => `${s.name} from bar ${s.start_bar}`).join(", ")}` : ""}`}
         onClick={(e) => {
           const rect = e.currentTarget.getBoundingClientRect();
           const tick = (e.clientX - rect.left) / ppt;
           onSeek(barAt(bars, clamp(tick, 0, Math.max(0, scoreEnd(bars) - 1))).start);
         }}>
      {sections.map((section, i) => {
        const x = barStart(section.start_bar) * ppt;
        const x2 = barStart(section.start_bar + section.bars) * ppt;
        return (
          <g key={`${section.name}-${section.start_bar}`}>
            <rect x={x + 1} y={1} width={Math.max(0, x2 - x - 2)} height={SECTION_ROW - 2} rx={3}
                  className={i % 2 ? styles.sectionAlt : styles.section} />
            <text x={x + 5} y={SECTION_ROW - 5} className={styles.sectionText}>
              {x2 - x > 30 ? section.name : section.name.slice(0, 1)}
            </text>
          </g>
        );
      })}
      {bars.map((bar) => (
        <g key={bar.number} transform={`translate(${bar.start * ppt},${SECTION_ROW})`}>
          <line x1={0.5} x2={0.5} y1={(bar.number - 1) % every ? 10 : 2} y2={BAR_ROW}
                className={styles.rulerTick} />
          {(bar.number - 1) % every === 0
            ? <text x={3} y={11} className={styles.barText}>{bar.number}</text> : null}
        </g>
      ))}
      {chords.map((chord, i) => (
        <text key={`${chord.tick}-${i}`} x={chord.tick * ppt + 2}
              y={SECTION_ROW + BAR_ROW + CHORD_ROW - 5} className={styles.chordText}>
          {chord.symbol}
        </text>
      ))}
    </svg>
  );
}

function Lane({ track, ppt, width, bars, selected, canEdit, busy, onSelect, onRename,
                onProgram, onDelete }: {
  track: Track; ppt: number; width: number; bars: Bar[]; selected: boolean; canEdit: boolean;
  busy: boolean; onSelect(): void; onRename(name: string): void; onProgram(program: number): void;
  onDelete(): void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(track.name ?? "");
  const renameButton = useRef<HTMLButtonElement>(null);
  const name = track.name ?? "Track";
  const notes = track.notes ?? [];
  const colour = trackColour(track);
  const { low, high } = useMemo(() => {
    let lo = 127;
    let hi = 0;
    for (const n of notes) { lo = Math.min(lo, n.pitch); hi = Math.max(hi, n.pitch); }
    return lo > hi ? { low: 48, high: 72 } : { low: lo, high: Math.max(hi, lo + 11) };
  }, [notes]);
  const rowH = (LANE - 8) / (high - low + 1);
  const id = track.id ?? "";

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
                <button type="button" className={styles.iconButton} aria-label={`Delete ${name}`}
                        title="Delete track" disabled={busy}
                        onClick={(e) => { e.stopPropagation(); onDelete(); }}>
                  ✕
                </button>
              </>
            ) : null}
          </div>
        )}
        {track.is_drum ? (
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
      </div>
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
    </div>
  );
}

function AddTrackDialog({ open, onClose, onAdd, busy, count }: {
  open: boolean; onClose(): void; busy: boolean; count: number;
  onAdd(track: Partial<Track>): void;
}) {
  const [role, setRole] = useState<Role>("melody");
  const [program, setProgram] = useState(73);
  const [name, setName] = useState("");
  useEffect(() => {
    if (open) { setRole("melody"); setProgram(73); setName(""); }
  }, [open]);
  const isDrum = role === "drums";
  const fallbackName = `${roleLabel(role)} ${count + 1}`;
  return (
    <Modal title="Add a track" open={open} onClose={onClose}>
      <form className="stack" onSubmit={(e) => {
        e.preventDefault();
        onAdd({ name: name.trim() || fallbackName, role, is_drum: isDrum,
                program: isDrum ? 0 : program });
      }}>
        <label>
          Role
          <select value={role} onChange={(e) => {
            const next = e.target.value as Role;
            setRole(next);
            setProgram(ROLES.find((r) => r.value === next)?.program ?? 0);
          }}>
            {ROLES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </select>
        </label>
        <label>
          Instrument
          {isDrum ? (
            <select disabled aria-disabled value="drums">
              <option value="drums">Drum kit (GM, channel 10)</option>
            </select>
          ) : (
            <select value={program} onChange={(e) => setProgram(Number(e.target.value))}>
              <ProgramOptions />
            </select>
          )}
        </label>
        <label>
          Name
          <input value={name} maxLength={100} placeholder={fallbackName}
                 onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Add track</button>
        </div>
      </form>
    </Modal>
  );
}
