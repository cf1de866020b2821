/** The velocity lane under the piano roll: a bar per note, as tall as its velocity. Drag a
 * bar up or down to set it; with several notes selected, dragging one of them scales them
 * all in proportion. The drag draws at once and saves one batch on release. Keyboard: the
 * lane is one slider for the selection (Up/Down ±1, PageUp/PageDown ±10). */
import { useState, type KeyboardEvent as ReactKeyboardEvent,
         type PointerEvent as ReactPointerEvent } from "react";

import { clamp } from "@/lib/geometry";

import { LANE_HEIGHT } from "./layout";
import type { RollNote } from "./notes";
import styles from "./PianoRoll.module.css";
import { barHeight, MAX_VELOCITY, MIN_VELOCITY, scaleVelocities, velocityAtY } from "./velocity";

/** Pixels either side of a bar that still grab it. */
const GRAB = 4;

export interface VelocityLaneProps {
  notes: readonly RollNote[];
  selected: ReadonlySet<string>;
  ppt: number;
  width: number;
  colour: string;
  editable: boolean;
  /** Saves the new velocities (one batch, one undo step). */
  onCommit(velocities: ReadonlyMap<string, number>): void;
  onPick(id: string): void;
}

export function VelocityLane({ notes, selected, ppt, width, colour, editable, onCommit,
                               onPick }: VelocityLaneProps) {
  const [draft, setDraft] = useState<{ anchor: string; group: RollNote[];
                                       values: Map<string, number> } | null>(null);
  const shown = (note: RollNote) => draft?.values.get(note.id) ?? note.velocity;

  const pointY = (event: ReactPointerEvent<SVGSVGElement>) =>
    event.clientY - event.currentTarget.getBoundingClientRect().top;
  const pointX = (event: ReactPointerEvent<SVGSVGElement>) =>
    event.clientX - event.currentTarget.getBoundingClientRect().left;

  /** The note whose bar is under x: the selected one first, then the latest start. */
  const noteAt = (x: number): RollNote | null => {
    const under = notes.filter((n) => x >= n.start * ppt - GRAB &&
                                      x <= n.start * ppt + Math.max(6, n.duration * ppt) + GRAB);
    return under.find((n) => selected.has(n.id)) ?? under[under.length - 1] ?? null;
  };

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (!editable || event.button !== 0) return;
    const note = noteAt(pointX(event));
    if (!note) return;
    event.preventDefault();
    const group = selected.has(note.id) && selected.size > 1
      ? notes.filter((n) => selected.has(n.id)) : [note];
    if (!selected.has(note.id)) onPick(note.id);
    try { event.currentTarget.setPointerCapture(event.pointerId); } catch { /* untracked */ }
    setDraft({ anchor: note.id, group,
               values: scaleVelocities(group, note.id, velocityAtY(pointY(event), LANE_HEIGHT)) });
  };
  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (!draft) return;
    setDraft({ ...draft, values: scaleVelocities(draft.group, draft.anchor,
                                                 velocityAtY(pointY(event), LANE_HEIGHT)) });
  };
  const finish = (save: boolean) => {
    if (!draft) return;
    setDraft(null);
    const changed = new Map([...draft.values].filter(([id, v]) =>
      draft.group.find((n) => n.id === id)?.velocity !== v));
    if (save && changed.size) onCommit(changed);
  };

  const selection = notes.filter((n) => selected.has(n.id));
  const onKeyDown = (event: ReactKeyboardEvent<SVGSVGElement>) => {
    const steps: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: 10,
                                            PageDown: -10 };
    const step = steps[event.key];
    if (step === undefined || !editable || selection.length === 0) return;
    event.preventDefault();
    event.stopPropagation();
    const anchor = selection[0]!;
    const target = clamp(anchor.velocity + step, MIN_VELOCITY, MAX_VELOCITY);
    const values = scaleVelocities(selection, anchor.id, target);
    onCommit(new Map([...values].filter(([id, v]) =>
      selection.find((n) => n.id === id)?.velocity !== v)));
  };
  const mean = selection.length
    ? Math.round(selection.reduce((s, n) => s + shown(n), 0) / selection.length) : 0;

  return (
    <svg width={width} height={LANE_HEIGHT} className={styles.lane} data-testid="velocity-lane"
         role="slider" tabIndex={0} aria-label="Velocity of the selected notes"
         aria-valuemin={MIN_VELOCITY} aria-valuemax={MAX_VELOCITY} aria-valuenow={mean}
         aria-valuetext={selection.length ? `${mean} (${selection.length} selected)`
           : "no notes selected"}
         aria-readonly={!editable || undefined}
         onPointerDown={onPointerDown} onPointerMove={onPointerMove}
         onPointerUp={() => finish(true)} onPointerCancel={() => finish(false)}
         onKeyDown={onKeyDown}>
      <line x1={0} x2={width} y1={LANE_HEIGHT / 2} y2={LANE_HEIGHT / 2}
            className={styles.laneMid} />
      {notes.map((note) => {
        const v = shown(note);
        const h = barHeight(v, LANE_HEIGHT - 2);
        const on = selected.has(note.id);
        return (
          <g key={note.id} data-velocity-bar={note.id} data-velocity={v}>
            <line x1={note.start * ppt + 1} x2={note.start * ppt + 1} y1={LANE_HEIGHT}
                  y2={LANE_HEIGHT - h} stroke={colour} strokeWidth={on ? 3 : 2}
                  className={on ? styles.laneSelected : undefined} />
            <circle cx={note.start * ppt + 1} cy={LANE_HEIGHT - h} r={on ? 3.5 : 2.5}
                    fill={on ? "#fff" : colour} />
          </g>
        );
      })}
    </svg>
  );
}
