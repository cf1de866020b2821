"use client";
/** The step sequencer for a drum track: a row per drum (the common GM kit, any other drum
 * the track plays, and rows added from the GM kit with "+ Row"), a column per 1/16 step
 * over the score's bars. A placed hit sounds; Quantize pulls the track's hits to a grid. A cell toggles a hit
 * (add/delete); its shade is the hit's velocity. Cells are buttons with one tab stop: the
 * arrow keys move between them (roving tabindex). In a live session the hits someone else
 * has selected are outlined in their colour, their playheads drawn as dashed lines, and
 * the hit in this browser's focused cell is shared as its selection. */
import { useCallback, useEffect, useMemo, useRef, useState,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import type { Track } from "@/api/types";
import { useCollab } from "@/features/collab/useCollab";
import type { NoteEditing } from "@/features/editor/useNoteEditing";
import { useAudition, usePlayer } from "@/features/playback/api";
import { useFollowPlayhead } from "@/features/playback/follow";
import { useShareNoteSelection } from "@/features/presence/LocalPresence";
import { RemotePlayheadBars } from "@/features/presence/RemotePlayheads";
import { markedNotes, marksOn, visitorsOf } from "@/features/presence/remote";
import { Visitors } from "@/features/presence/Visitors";
import { usePlayhead, useProject, useScore, useSelection } from "@/features/workspace/state";
import { barLayout, clamp, scoreEnd } from "@/lib/geometry";
import { drumName } from "@/lib/gm";
import { quantizeNotes, type QuantizeOptions } from "@/lib/quantize";
import { trackColour } from "@/lib/trackColour";

import styles from "./DrumGrid.module.css";
import { DrumToolbar } from "./DrumToolbar";
import { addableDrums, drumSteps, STEP, stepIndex } from "./steps";
import { useDrumHits } from "./useDrumHits";

export function DrumGrid({ track, editing }: { track: Track; editing: NoteEditing }) {
  const { canEdit } = useProject();
  const { score } = useScore();
  const { highlightedNoteIds, focusTick } = useSelection();
  const { playheadTick } = usePlayhead();
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const steps = useMemo(() => drumSteps(bars), [bars]);
  const end = scoreEnd(bars);
  const [velocity, setVelocity] = useState(95);
  const [active, setActive] = useState({ row: 0, col: 0 });
  const grid = useRef<HTMLDivElement>(null);
  const colour = trackColour(track);
  const trackId = track.id ?? "";
  const { remoteUsers } = useCollab();
  const marks = useMemo(() => marksOn(remoteUsers, trackId), [remoteUsers, trackId]);
  const remoteNotes = useMemo(() => markedNotes(marks), [marks]);
  const [focused, setFocused] = useState(false);
  const [extraRows, setExtraRows] = useState<number[]>([]);
  const audition = useAudition();
  const { playing } = usePlayer();
  const program = track.program ?? 0;
  const sound = useCallback((pitch: number, velocity: number) => {
    audition({ pitch, program, isDrum: true, velocity });
  }, [audition, program]);
  // Cell and row-head widths come from CSS (they change on small screens): read them.
  const cellPx = useRef({ cell: 24, head: 124 });
  useFollowPlayhead(grid, (tick) => (tick / STEP) * cellPx.current.cell,
                    { leadingPx: cellPx.current.head });

  // Scroll the steps the theory panel points at into view.
  useEffect(() => {
    const box = grid.current;
    if (focusTick === null || !box) return;
    const col = stepIndex(steps, focusTick);
    box.querySelector<HTMLElement>(`[data-col="${Math.max(0, col)}"]`)
      ?.scrollIntoView({ block: "nearest", inline: "center" });
  }, [focusTick, steps]);

  const playCol = playheadTick === null ? -1 : stepIndex(steps, playheadTick);

  // Follow the playhead column when it moves by other means than the player (which
  // `useFollowPlayhead` follows).
  useEffect(() => {
    const box = grid.current;
    if (!box || playCol < 0 || playing) return;
    const cell = box.querySelector<HTMLElement>(`[data-col="${playCol}"]`);
    if (!cell) return;
    const left = cell.offsetLeft;
    const head = box.querySelector<HTMLElement>("[data-row-head]")?.offsetWidth ?? 0;
    if (left < box.scrollLeft + head || left > box.scrollLeft + box.clientWidth - 24) {
      box.scrollLeft = Math.max(0, left - head - 24);
    }
  }, [playCol, playing]);

  const { rows, hits, cells, pending, toggle } = useDrumHits({ track, steps, end, velocity,
                                                             canEdit, editing, extraRows,
                                                             sound });

  useEffect(() => {
    const box = grid.current;
    const cell = box?.querySelector<HTMLElement>("[data-col]");
    const head = box?.querySelector<HTMLElement>("[data-row-head]");
    if (cell && head) cellPx.current = { cell: cell.offsetWidth, head: head.offsetWidth };
  });

  const addRow = (pitch: number) => {
    setExtraRows((rows) => (rows.includes(pitch) ? rows : [...rows, pitch]));
    sound(pitch, velocity);
    // Show (and focus) the new row's first cell once it is drawn.
    requestAnimationFrame(() => {
      const cell = grid.current?.querySelector<HTMLElement>(
        `[data-pitch-row="${pitch}"] [data-col="0"]`);
      cell?.scrollIntoView?.({ block: "nearest" });
      cell?.focus();
    });
  };

  const quantize = (options: QuantizeOptions) => {
    if (!canEdit) return;
    const moved = quantizeNotes(hits, options, bars);
    const operations = [...moved].map(([id, change]) => {
      const start = Math.min(change.start, Math.max(0, end - 1));
      return { op: "update" as const, note_id: id, start,
               duration: Math.max(1, Math.min(change.duration, end - start)) };
    });
    if (operations.length) {
      void editing.apply(operations, `Quantize ${operations.length} hit${
        operations.length === 1 ? "" : "s"}`);
    }
  };

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
  // This browser's selection, as the others see it: the hit in the focused cell.
  const activeKey = focused ? `${rows[activeRow]}:${activeCol}` : null;
  const activeHits = activeKey === null ? undefined : cells.get(activeKey);
  const sharedIds = useMemo(() => new Set((activeHits ?? []).map((h) => h.id)), [activeHits]);
  useShareNoteSelection(trackId, sharedIds);
  const stepLeft = (tick: number) => {
    const col = stepIndex(steps, tick);
    return col < 0 ? null : `calc(var(--row-head) + ${col + (tick - (steps[col]?.start ?? 0))
      / STEP} * var(--cell))`;
  };

  return (
    <section className={styles.drums} aria-label={`Drum grid: ${track.name ?? "Drums"}`}>
      <DrumToolbar velocity={velocity} onVelocity={setVelocity} canEdit={canEdit}
                   addable={addableDrums(rows)} onAddRow={addRow} hitCount={hits.length}
                   onQuantize={quantize} />
      <Visitors people={visitorsOf(marks)} named />
      <div className={styles.scroller} ref={grid} onKeyDown={onKeyDown}
           onFocus={() => setFocused(true)}
           onBlur={(event) => {
             if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
               setFocused(false);
             }
           }}
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
                const remote = saved.map((h) => remoteNotes.get(h.id)).find(Boolean);
                const classes = [styles.cell, step.barStart ? styles.barStart : "",
                                 (step.step - 1) % 4 === 0 ? styles.beat : "",
                                 on ? styles.hit : "", highlighted ? styles.highlighted : "",
                                 col === playCol ? styles.playing : ""].join(" ");
                return (
                  <button key={col} type="button" className={classes} data-row={row} data-col={col}
                          data-note-id={shown?.id} data-pitch={pitch} data-start={step.start}
                          data-remote-selected={remote?.name}
                          tabIndex={row === activeRow && col === activeCol ? 0 : -1}
                          aria-pressed={on} aria-disabled={!canEdit || undefined}
                          aria-label={`${name}, bar ${step.bar} step ${step.step}${
                            on ? `, velocity ${loud}` : ""}${highlighted ? ", highlighted" : ""}${
                            remote ? `, selected by ${remote.name}` : ""}`}
                          style={{
                            ...(on ? { background: `color-mix(in srgb, ${colour} ${
                              Math.round(35 + 65 * (loud / 127))}%, #1a202a)` } : {}),
                            ...(remote ? { boxShadow: `inset 0 0 0 2px ${remote.colour}` } : {}),
                          }}
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
        <RemotePlayheadBars left={stepLeft} className={styles.playhead} />
      </div>
    </section>
  );
}
