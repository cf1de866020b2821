"use client";
/** The step sequencer for a drum track: a row per drum (the common GM kit plus any other
 * drum the track plays), a column per 1/16 step over the score's bars. A cell toggles a hit
 * (add/delete); its shade is the hit's velocity. Cells are buttons with one tab stop: the
 * arrow keys move between them (roving tabindex). */
import { useCallback, useEffect, useMemo, useRef, useState,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import type { NoteOperation, Track } from "@/api/types";
import { barLayout, clamp, PPQ, scoreEnd } from "@/lib/geometry";
import { COMMON_DRUMS, drumName } from "@/lib/gm";
import { newNoteId } from "@/lib/undo";
import { usePlayhead, useWorkspace } from "@/workspace/WorkspaceContext";

import styles from "./DrumGrid.module.css";
import { trackColour, type NoteEditing } from "./useNoteEditing";

const STEP = PPQ / 4;
const VELOCITIES = [
  { value: 60, label: "Soft" },
  { value: 95, label: "Normal" },
  { value: 120, label: "Accent" },
];

interface Hit {
  id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

export interface Step {
  bar: number;
  /** 1-based within the bar. */
  step: number;
  start: number;
  length: number;
  barStart: boolean;
}

/** The 1/16 steps of every bar (a bar's last step is shorter when 1/16 does not divide it). */
export function drumSteps(bars: ReturnType<typeof barLayout>): Step[] {
  const steps: Step[] = [];
  for (const bar of bars) {
    for (let i = 0; i * STEP < bar.length; i++) {
      steps.push({ bar: bar.number, step: i + 1, start: bar.start + i * STEP,
                   length: Math.min(STEP, bar.length - i * STEP), barStart: i === 0 });
    }
  }
  return steps;
}

/** The drum rows: the common kit in its order, then any other drum present, low to high. */
export function drumRows(pitches: Iterable<number>): number[] {
  const extra = [...new Set(pitches)].filter((p) => !COMMON_DRUMS.includes(p))
    .sort((a, b) => a - b);
  return [...COMMON_DRUMS, ...extra];
}

export function DrumGrid({ track, editing }: { track: Track; editing: NoteEditing }) {
  const { score, canEdit, highlightedNoteIds, focusTick } = useWorkspace();
  const { playheadTick } = usePlayhead();
  const trackId = track.id ?? "";
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const steps = useMemo(() => drumSteps(bars), [bars]);
  const end = scoreEnd(bars);
  const [velocity, setVelocity] = useState(95);
  const [active, setActive] = useState({ row: 0, col: 0 });
  /** Cells toggled but not saved yet: "pitch:col" → the hit added, or null when removed. */
  const [pending, setPending] = useState<ReadonlyMap<string, Hit | null>>(new Map());
  const grid = useRef<HTMLDivElement>(null);
  const colour = trackColour(track);

  const hits: Hit[] = useMemo(() => (track.notes ?? [])
    .filter((n): n is typeof n & { id: string } => Boolean(n.id))
    .map((n) => ({ id: n.id, pitch: n.pitch, start: n.start, duration: n.duration,
                   velocity: n.velocity ?? 90 })), [track.notes]);
  const rows = useMemo(() => drumRows(hits.map((h) => h.pitch)), [hits]);

  // Hits by "pitch:step index" (a hit belongs to the step its start falls in).
  const cells = useMemo(() => {
    const map = new Map<string, Hit[]>();
    for (const hit of hits) {
      const col = stepIndex(steps, hit.start);
      if (col < 0) continue;
      const key = `${hit.pitch}:${col}`;
      map.set(key, [...(map.get(key) ?? []), hit]);
    }
    return map;
  }, [hits, steps]);

  // Scroll the steps the theory panel points at into view.
  useEffect(() => {
    const box = grid.current;
    if (focusTick === null || !box) return;
    const col = stepIndex(steps, focusTick);
    box.querySelector<HTMLElement>(`[data-col="${Math.max(0, col)}"]`)
      ?.scrollIntoView({ block: "nearest", inline: "center" });
  }, [focusTick, steps]);

  const playCol = playheadTick === null ? -1 : stepIndex(steps, playheadTick);

  // Follow the playhead column.
  useEffect(() => {
    const box = grid.current;
    if (!box || playCol < 0) return;
    const cell = box.querySelector<HTMLElement>(`[data-col="${playCol}"]`);
    if (!cell) return;
    const left = cell.offsetLeft;
    const head = box.querySelector<HTMLElement>("[data-row-head]")?.offsetWidth ?? 0;
    if (left < box.scrollLeft + head || left > box.scrollLeft + box.clientWidth - 24) {
      box.scrollLeft = Math.max(0, left - head - 24);
    }
  }, [playCol]);

  const toggle = useCallback((pitch: number, col: number) => {
    const step = steps[col];
    if (!canEdit || !step) return;
    const key = `${pitch}:${col}`;
    const current = pending.has(key) ? (pending.get(key) ? [pending.get(key)!] : [])
      : (cells.get(key) ?? []);
    let operations: NoteOperation[];
    let shown: Hit | null;
    if (current.length) {
      operations = current.map((hit) => ({ op: "delete", note_id: hit.id }));
      shown = null;
    } else {
      const hit: Hit = { id: newNoteId(), pitch, start: step.start,
                         duration: Math.min(step.length, end - step.start), velocity };
      operations = [{ op: "add", track_id: trackId, ...hit }];
      shown = hit;
    }
    setPending((all) => new Map(all).set(key, shown));
    const label = `${shown ? "Add" : "Remove"} ${drumName(pitch)} at bar ${step.bar} step ${step.step}`;
    void editing.apply(operations, label).finally(() => {
      setPending((all) => {
        if (all.get(key) !== shown) return all;
        const next = new Map(all);
        next.delete(key);
        return next;
      });
    });
  }, [steps, canEdit, pending, cells, end, velocity, trackId, editing]);

  const moveFocus = (row: number, col: number) => {
    const next = { row: clamp(row, 0, rows.length - 1), col: clamp(col, 0, steps.length - 1) };
    setActive(next);
    grid.current?.querySelector<HTMLElement>(
      `[data-row="${next.row}"][data-col="${next.col}"]`)?.focus();
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>("[data-col]");
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    const perBar = 16;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [row, col - 1], ArrowRight: [row, col + 1], ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col], Home: [row, 0], End: [row, steps.length - 1],
      PageUp: [row, col - perBar], PageDown: [row, col + perBar],
    };
    const target = moves[event.key];
    if (!target) return;
    event.preventDefault();
    moveFocus(target[0], target[1]);
  };

  const activeRow = Math.min(active.row, rows.length - 1);
  const activeCol = Math.min(active.col, steps.length - 1);

  return (
    <section className={styles.drums} aria-label={`Drum grid: ${track.name ?? "Drums"}`}>
      <div className={styles.toolbar} role="toolbar" aria-label="Drum grid tools">
        <div className={styles.velocities} role="radiogroup" aria-label="Velocity of new hits">
          {VELOCITIES.map((v) => (
            <button key={v.value} type="button" role="radio" aria-checked={velocity === v.value}
                    aria-disabled={!canEdit || undefined}
                    className={velocity === v.value ? styles.on : ""}
                    onClick={() => { if (canEdit) setVelocity(v.value); }}>
              {v.label}
            </button>
          ))}
        </div>
        <span className="muted">
          {canEdit ? "Click a cell to add or remove a hit; arrow keys move." : "Read-only."}
        </span>
      </div>
      <div className={styles.scroller} ref={grid} onKeyDown={onKeyDown}
           data-testid="drum-grid" role="group" aria-label="Steps">
        <div className={styles.headerRow} aria-hidden>
          <div className={styles.rowHead} />
          {steps.map((step, col) => (
            <div key={col} className={`${styles.stepHead} ${step.barStart ? styles.barStart : ""}`}>
              {step.barStart ? step.bar : (step.step - 1) % 4 === 0 ? "·" : ""}
            </div>
          ))}
        </div>
        {rows.map((pitch, row) => {
          const name = drumName(pitch);
          return (
            <div key={pitch} className={styles.row} data-pitch-row={pitch}>
              <div className={styles.rowHead} data-row-head title={`${name} (${pitch})`}>
                {name}
              </div>
              {steps.map((step, col) => {
                const key = `${pitch}:${col}`;
                const saved = cells.get(key) ?? [];
                const shown = pending.has(key) ? pending.get(key) : saved[0];
                const on = Boolean(shown);
                const loud = shown ? shown.velocity : 0;
                const highlighted = saved.some((h) => highlightedNoteIds.has(h.id));
                const classes = [styles.cell, step.barStart ? styles.barStart : "",
                                 (step.step - 1) % 4 === 0 ? styles.beat : "",
                                 on ? styles.hit : "", highlighted ? styles.highlighted : "",
                                 col === playCol ? styles.playing : ""].join(" ");
                return (
                  <button key={col} type="button" className={classes} data-row={row} data-col={col}
                          data-note-id={shown?.id} data-pitch={pitch} data-start={step.start}
                          tabIndex={row === activeRow && col === activeCol ? 0 : -1}
                          aria-pressed={on} aria-disabled={!canEdit || undefined}
                          aria-label={`${name}, bar ${step.bar} step ${step.step}${
                            on ? `, velocity ${loud}` : ""}${highlighted ? ", highlighted" : ""}`}
                          style={on ? { background: `color-mix(in srgb, ${colour} ${
                            Math.round(35 + 65 * (loud / 127))}%, #1a202a)` } : undefined}
                          onFocus={() => setActive({ row, col })}
                          onClick={canEdit ? () => toggle(pitch, col) : undefined} />
                );
              })}
            </div>
          );
        })}
        {playheadTick !== null && playCol >= 0 ? (
          <div className={styles.playhead} data-testid="playhead" aria-hidden
               style={{ left: `calc(var(--row-head) + ${playCol + (playheadTick -
                 (steps[playCol]?.start ?? 0)) / STEP} * var(--cell))` }} />
        ) : null}
      </div>
    </section>
  );
}

/** The index of the step containing `tick`, or -1 outside the score. */
function stepIndex(steps: readonly Step[], tick: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0 || tick < 0) return -1;
  const last = steps[hi]!;
  if (tick >= last.start + last.length) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[mid]!.start <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
