"use client";
/** The chord track above the arrangement's tracks, edited in place: click a chord to change
 * it, click an empty spot (or double-click inside a chord) to add one there, drag a chord
 * to move it and its right edge to change how long it lasts, Delete to remove it. Arrow keys
 * walk the chords; Enter edits; Shift+arrows resize and Alt+arrows move by a beat. Labels
 * are fitted into their own chord's span, so they never collide. */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";

import type { Score } from "@/api/types";
import type { ChordEvent } from "@/features/collab/schema";
import { barAt, clamp, type Bar } from "@/lib/geometry";

import { ChordEditor } from "./ChordEditor";
import { barBeatName, beatAt, chordSpans, moveChord, removeChordAt, resizeChord, setChordAt,
         snapToBeat, type ChordMark } from "./chordTimeline";
import { canvasMeasure, layoutLabels } from "./labelLayout";
import styles from "./song.module.css";
import { keyAtBar } from "./suggestions";

interface Drag {
  kind: "move" | "resize" | "add";
  tick: number;
  startX: number;
  moved: boolean;
  preview: ChordMark[] | null;
}

interface Editing { tick: number; isNew: boolean }

/** The instrument chords are auditioned with: the chords track's, else a pad's, else piano. */
export function chordProgram(score: Score): number {
  const tracks = score.tracks ?? [];
  const track = tracks.find((t) => t.role === "chords") ?? tracks.find((t) => t.role === "pad")
    ?? tracks.find((t) => !t.is_drum);
  return track?.program ?? 0;
}

export function ChordLane({ score, bars, ppt, width, end, canEdit, onWrite, onSeek,
                            addRequest }: {
  score: Score; bars: Bar[]; ppt: number; width: number; end: number; canEdit: boolean;
  onWrite(chords: ChordEvent[]): Promise<boolean>; onSeek(tick: number): void;
  /** Bumped by the "+ Chord" button: open a new chord at `tick`. */
  addRequest: { tick: number; serial: number } | null;
}) {
  const [preview, setPreview] = useState<ChordMark[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const drag = useRef<Drag | null>(null);
  const lane = useRef<HTMLDivElement>(null);
  const ghost = useRef<HTMLDivElement>(null);
  const chordRefs = useRef(new Map<number, HTMLDivElement>());
  const measure = useMemo(() => canvasMeasure(
    `600 11px ${typeof document !== "undefined"
      ? getComputedStyle(document.body).fontFamily || "sans-serif" : "sans-serif"}`), []);

  const stored = useMemo(() => score.chord_symbols ?? [], [score.chord_symbols]);
  const chords = preview ?? stored;
  const spans = chordSpans(chords, end);
  const labels = layoutLabels(spans.map((s) => ({ x: s.tick * ppt, width: (s.end - s.tick) * ppt,
                                                  text: s.symbol })), measure);
  const program = chordProgram(score);

  useEffect(() => {
    if (addRequest && canEdit) setEditing({ tick: addRequest.tick, isNew: true });
  }, [addRequest, canEdit]);

  const write = async (next: ChordMark[]) => {
    setPreview(next);
    try { await onWrite(next); } finally { setPreview(null); }
  };
  const focusChord = (tick: number | null) => {
    setActive(tick);
    if (tick !== null) requestAnimationFrame(() => chordRefs.current.get(tick)?.focus());
  };
  const tickAt = (clientX: number) => {
    const rect = lane.current?.getBoundingClientRect();
    return clamp((clientX - (rect?.left ?? 0)) / ppt, 0, Math.max(0, end - 1));
  };

  const startDrag = (event: PointerEvent, kind: Drag["kind"], tick: number) => {
    if (!canEdit || event.button !== 0) return;
    event.stopPropagation();
    lane.current?.setPointerCapture?.(event.pointerId);
    drag.current = { kind, tick, startX: event.clientX, moved: false, preview: null };
  };
  const onPointerMove = (event: PointerEvent) => {
    const current = drag.current;
    if (!current || current.kind === "add") return;
    const dx = event.clientX - current.startX;
    if (!current.moved && Math.abs(dx) < 4) return;
    current.moved = true;
    // From the chords as stored: the preview already holds this drag's earlier steps.
    const span = chordSpans(stored, end).find((s) => s.tick === current.tick);
    if (!span) return;
    current.preview = current.kind === "move"
      ? moveChord(stored, bars, end, current.tick, current.tick + dx / ppt)
      : resizeChord(stored, bars, end, current.tick, span.end + dx / ppt);
    setPreview(current.preview);
  };
  const onPointerUp = (event: PointerEvent) => {
    const current = drag.current;
    drag.current = null;
    if (!current) return;
    if (current.moved && current.preview) {
      const moved = current.kind === "move"
        ? current.preview.find((c, i) => c.tick !== stored[i]?.tick)?.tick ?? current.tick
        : current.tick;
      void write(current.preview);
      setActive(moved);
      return;
    }
    setPreview(null);
    if (current.kind === "add") {
      setEditing({ tick: snapToBeat(bars, tickAt(event.clientX), "floor"), isNew: true });
    } else if (current.kind === "move") {
      setActive(current.tick);
      setEditing({ tick: current.tick, isNew: false });
    }
  };

  const onChordKey = (event: KeyboardEvent, index: number) => {
    const span = spans[index]!;
    const beat = beatAt(bars, span.tick);
    const go = (i: number) => focusChord(spans[clamp(i, 0, spans.length - 1)]?.tick ?? null);
    const key = event.key;
    if ((key === "ArrowRight" || key === "ArrowLeft") && canEdit
        && (event.shiftKey || event.altKey)) {
      event.preventDefault();
      const sign = key === "ArrowRight" ? 1 : -1;
      if (event.shiftKey) void write(resizeChord(stored, bars, end, span.tick, span.end + sign
                                                 * beatAt(bars, Math.max(0, span.end - 1))));
      else {
        const next = moveChord(stored, bars, end, span.tick, span.tick + sign * beat);
        void write(next);
        focusChord(next.find((c) => c.symbol === span.symbol
                             && Math.abs(c.tick - span.tick) <= beat)?.tick ?? span.tick);
      }
    } else if (key === "ArrowRight") { event.preventDefault(); go(index + 1); }
    else if (key === "ArrowLeft") { event.preventDefault(); go(index - 1); }
    else if (key === "Home") { event.preventDefault(); go(0); }
    else if (key === "End") { event.preventDefault(); go(spans.length - 1); }
    else if ((key === "Enter" || key === "F2") && canEdit) {
      event.preventDefault();
      setEditing({ tick: span.tick, isNew: false });
    } else if ((key === "Delete" || key === "Backspace") && canEdit) {
      event.preventDefault();
      void write(removeChordAt(stored, span.tick));
      focusChord(spans[index + 1]?.tick ?? spans[index - 1]?.tick ?? null);
    }
  };

  const save = (symbol: string) => {
    if (!editing) return;
    const next = setChordAt(stored, bars, end, editing.tick, symbol);
    const at = snapToBeat(bars, clamp(editing.tick, 0, Math.max(0, end - 1)), "floor");
    setEditing(null);
    void write(next);
    focusChord(at);
  };
  const editedBar = editing ? barAt(bars, editing.tick).number : 1;
  const editingTickName = editing ? barBeatName(bars, editing.tick) : "";
  const activeTick = active !== null && spans.some((s) => s.tick === active) ? active
    : spans[0]?.tick ?? null;

  return (
    <div ref={lane} className={`${styles.lane} ${canEdit ? styles.editable : ""}`}
         style={{ width }} role="group" aria-label="Chord track" data-testid="chord-lane"
         onPointerDown={(e) => {
           if (e.target !== e.currentTarget) return;
           if (canEdit) startDrag(e, "add", 0);
           else onSeek(snapToBeat(bars, tickAt(e.clientX), "floor"));
         }}
         onPointerMove={onPointerMove} onPointerUp={onPointerUp}
         onPointerCancel={() => { drag.current = null; setPreview(null); }}
         onDoubleClick={(e) => {
           // On the lane: the pointer capture of a press makes it the clicks' target. Not
           // from the editor, which React bubbles here through its portal.
           if (!canEdit || !e.currentTarget.contains(e.target as Node)) return;
           const tick = snapToBeat(bars, tickAt(e.clientX), "floor");
           setEditing({ tick, isNew: !stored.some((c) => c.tick === tick) });
         }}>
      {spans.map((span, i) => {
        const label = labels[i]!;
        const name = `Chord ${span.symbol} at ${barBeatName(bars, span.tick)}`;
        return (
          <div key={span.tick} role="button" tabIndex={span.tick === activeTick ? 0 : -1}
               ref={(el) => { if (el) chordRefs.current.set(span.tick, el);
                              else chordRefs.current.delete(span.tick); }}
               className={`${styles.chord} ${canEdit ? styles.grab : ""} ${
                 editing?.tick === span.tick && !editing.isNew ? styles.active : ""}`}
               style={{ left: span.tick * ppt, width: Math.max(2, (span.end - span.tick) * ppt) }}
               aria-label={name} title={`${span.symbol} — ${barBeatName(bars, span.tick)}`}
               data-testid="chord" data-tick={span.tick} data-symbol={span.symbol}
               onFocus={() => setActive(span.tick)}
               onKeyDown={(e) => onChordKey(e, i)}
               onClick={(e) => {
                 // Keyboard activation only (detail 0); pointer clicks go through the drag.
                 if (e.detail === 0 && canEdit) setEditing({ tick: span.tick, isNew: false });
                 if (!canEdit) onSeek(span.tick);
               }}
               onPointerDown={(e) => startDrag(e, "move", span.tick)}>
            <span aria-hidden>{label.shown}</span>
            {canEdit && i < spans.length - 1 ? (
              <div className={styles.handle} aria-hidden data-testid="chord-resize"
                   onPointerDown={(e) => startDrag(e, "resize", span.tick)} />
            ) : null}
          </div>
        );
      })}
      {editing?.isNew ? (
        <div ref={ghost} className={`${styles.chord} ${styles.active}`} aria-hidden
             style={{ left: snapToBeat(bars, editing.tick, "floor") * ppt, width: 24 }} />
      ) : null}
      {editing && canEdit ? (
        <ChordEditor key={`${editing.tick}-${editing.isNew}`}
                     anchor={() => (editing.isNew ? ghost.current ?? lane.current
                       : chordRefs.current.get(editing.tick) ?? null)}
                     initial={editing.isNew ? ""
                       : stored.find((c) => c.tick === editing.tick)?.symbol ?? ""}
                     where={editingTickName} keyInForce={keyAtBar(score, editedBar)}
                     program={program} onSave={save}
                     onDelete={editing.isNew ? undefined : () => {
                       const tick = editing.tick;
                       setEditing(null);
                       void write(removeChordAt(stored, tick));
                     }}
                     onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}
