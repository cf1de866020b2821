"use client";
/** The piano roll for one pitched track: an SVG grid (128 rows × the score's bars) with
 * piano keys on the left and a bar ruler on top, inside one scroll box (both sticky).
 * Click empty space to add a note, drag a note to move it, drag its right edge to resize;
 * drags draw optimistically and save one batch on pointer-up. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState,
         type KeyboardEvent as ReactKeyboardEvent,
         type PointerEvent as ReactPointerEvent } from "react";

import type { NoteOperation, Track } from "@/api/types";
import {
  barAt, barBeat, barLayout, beatLength, clamp, clampGroupMove, clampResize, GRID_DIVISIONS,
  gridLines, hitTestNotes, MAX_PITCH, minDurationFor, noteLengthFor, pitchToY, PPQ, scoreEnd,
  snapTick, xToTick, yToPitch, type Bar, type GridDivision, type HitZone,
} from "@/lib/geometry";
import { isBlackKey, noteName } from "@/lib/gm";
import { newNoteId, type UpdateOp } from "@/lib/undo";
import { usePlayhead, useWorkspace } from "@/workspace/WorkspaceContext";

import styles from "./PianoRoll.module.css";
import { trackColour, type NoteEditing } from "./useNoteEditing";

const ROW = 14;
const KEYS = 52;
const RULER = 22;
const HEIGHT = (MAX_PITCH + 1) * ROW;
/** Zoom levels, in pixels per quarter note. */
const ZOOMS = [8, 12, 18, 26, 36, 50, 70, 100, 140, 200];
const DEFAULT_ZOOM = 4;
const DRAG_SLOP = 4;

export interface RollNote {
  id: string;
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

type Drag = {
  mode: HitZone;
  anchor: RollNote;
  ids: string[];
  originX: number;
  originY: number;
  originTick: number;
  originPitch: number;
  moved: boolean;
  /** The note clicked without shift inside a multi-selection: selected alone on a click. */
  soleOnClick: string | null;
  changes: Map<string, Partial<RollNote>>;
} | {
  mode: "add";
  originX: number;
  originY: number;
  moved: boolean;
  tick: number;
  pitch: number;
};

/** What is drawn until the reloaded score arrives. */
interface Optimistic {
  changes: Map<string, Partial<RollNote>>;
  added: RollNote[];
  deleted: Set<string>;
}

function notesOf(track: Track): RollNote[] {
  return (track.notes ?? []).filter((n): n is typeof n & { id: string } => Boolean(n.id))
    .map((n) => ({ id: n.id, pitch: n.pitch, start: n.start, duration: n.duration,
                   velocity: n.velocity ?? 90 }));
}

export function describeNote(note: RollNote, bars: readonly Bar[]): string {
  const { bar, beat, offset } = barBeat(bars, note.start);
  const beatLen = beatLength(barAt(bars, note.start).meter);
  const at = Number((beat + offset / beatLen).toFixed(2));
  return `Note ${noteName(note.pitch)} at bar ${bar} beat ${at}`;
}

export function PianoRoll({ track, editing }: { track: Track; editing: NoteEditing }) {
  const { score, canEdit, highlightedNoteIds, focusTick } = useWorkspace();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const trackId = track.id ?? "";
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const end = scoreEnd(bars);
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const ppt = (ZOOMS[zoom] ?? 36) / PPQ;
  const [division, setDivision] = useState<GridDivision>("1/16");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activeId, setActiveId] = useState<string | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const [layers, setLayers] = useState<{ key: number; shown: Optimistic }[]>([]);
  const layerKey = useRef(0);
  const [hover, setHover] = useState<HitZone | null>(null);
  const [velocityDraft, setVelocityDraft] = useState<number | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const gridRef = useRef<SVGSVGElement>(null);
  const zoomAnchor = useRef<{ tick: number; offset: number } | null>(null);
  const editable = canEdit;

  const base = useMemo(() => notesOf(track), [track]);
  const colour = trackColour(track);

  // The notes as they will be once the queued saves land: saved notes with each pending
  // batch's changes on top (edits start from these, not from the saved ones).
  const settled = useMemo(() => {
    let shown = base;
    for (const { shown: layer } of layers) {
      const ids = new Set(shown.map((n) => n.id));
      shown = shown.filter((n) => !layer.deleted.has(n.id))
        .map((n) => ({ ...n, ...layer.changes.get(n.id) }))
        .concat(layer.added.filter((n) => !ids.has(n.id)));
    }
    return shown;
  }, [base, layers]);
  const settledById = useMemo(() => new Map(settled.map((n) => [n.id, n])), [settled]);

  // Notes as drawn: the settled ones moved by the drag in progress, in time order.
  const notes = useMemo(() => {
    const dragChanges = drag && drag.mode !== "add" ? drag.changes : null;
    const shown = dragChanges
      ? settled.map((n) => ({ ...n, ...dragChanges.get(n.id) })) : [...settled];
    return shown.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  }, [settled, drag]);

  const byId = useMemo(() => new Map(notes.map((n) => [n.id, n])), [notes]);
  const selection = useMemo(() => notes.filter((n) => selected.has(n.id)), [notes, selected]);

  // Forget selected notes that are gone (deleted here or elsewhere).
  useEffect(() => {
    setSelected((current) => {
      const kept = [...current].filter((id) => settledById.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [settledById]);

  // A new track: clear the selection and centre its notes (or C4) vertically.
  useEffect(() => {
    setSelected(new Set());
    setActiveId(null);
    const box = scroller.current;
    if (!box) return;
    const pitches = notesOf(track).map((n) => n.pitch).sort((a, b) => a - b);
    const middle = pitches[Math.floor(pitches.length / 2)] ?? 60;
    box.scrollTop = pitchToY(middle, { rowHeight: ROW, topPitch: MAX_PITCH }) -
      box.clientHeight / 2 + RULER;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trackId]);

  // Jump to highlighted notes when the theory panel asks.
  useEffect(() => {
    const box = scroller.current;
    if (focusTick === null || !box) return;
    const highlighted = base.filter((n) => highlightedNoteIds.has(n.id));
    box.scrollLeft = Math.max(0, focusTick * ppt - (box.clientWidth - KEYS) / 4);
    if (highlighted.length) {
      const mean = highlighted.reduce((sum, n) => sum + n.pitch, 0) / highlighted.length;
      box.scrollTop = pitchToY(Math.round(mean), { rowHeight: ROW, topPitch: MAX_PITCH }) -
        box.clientHeight / 2 + RULER;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusTick, highlightedNoteIds]);

  // Follow the playhead when it leaves the visible part (page by page).
  useEffect(() => {
    const box = scroller.current;
    if (playheadTick === null || !box || dragRef.current) return;
    const x = playheadTick * ppt;
    const visible = box.clientWidth - KEYS;
    if (x < box.scrollLeft || x > box.scrollLeft + visible - 8) {
      box.scrollLeft = Math.max(0, x - 24);
    }
  }, [playheadTick, ppt]);

  // Zoom keeps the tick under the pointer (or the view's left edge) in place.
  useLayoutEffect(() => {
    const box = scroller.current;
    const anchor = zoomAnchor.current;
    if (!box || !anchor) return;
    zoomAnchor.current = null;
    box.scrollLeft = Math.max(0, anchor.tick * ppt - anchor.offset);
  }, [ppt]);

  const zoomBy = useCallback((step: number, clientX?: number) => {
    const box = scroller.current;
    setZoom((current) => {
      const next = clamp(current + step, 0, ZOOMS.length - 1);
      if (box && next !== current) {
        const rect = box.getBoundingClientRect();
        const offset = clientX === undefined ? 0 : Math.max(0, clientX - rect.left - KEYS);
        const currentPpt = (ZOOMS[current] ?? 36) / PPQ;
        zoomAnchor.current = { tick: (box.scrollLeft + offset) / currentPpt, offset };
      }
      return next;
    });
  }, []);

  // Ctrl/⌘+wheel zooms (a native listener: React's wheel listeners are passive).
  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const onWheel = (event: WheelEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 1 : -1, event.clientX);
    };
    box.addEventListener("wheel", onWheel, { passive: false });
    return () => box.removeEventListener("wheel", onWheel);
  }, [zoomBy]);

  const save = useCallback(async (operations: NoteOperation[], label: string,
                                  shown: Optimistic) => {
    if (operations.length === 0) return false;
    const key = ++layerKey.current;
    setLayers((all) => [...all, { key, shown }]);
    try {
      return await editing.apply(operations, label);
    } finally {
      setLayers((all) => all.filter((layer) => layer.key !== key));
    }
  }, [editing]);

  const point = (event: { clientX: number; clientY: number }) => {
    const rect = gridRef.current?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  };
  const timeView = { pixelsPerTick: ppt };
  const pitchView = { rowHeight: ROW, topPitch: MAX_PITCH };

  // --- pointer editing -------------------------------------------------------------------

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (!editable || event.button !== 0) return;
    const { x, y } = point(event);
    const hit = hitTestNotes(notes, x, y, timeView, pitchView, 8);
    let next: Drag;
    if (hit) {
      const { note } = hit;
      let ids: Set<string>;
      let soleOnClick: string | null = null;
      if (event.shiftKey) {
        ids = new Set(selected);
        if (ids.has(note.id)) ids.delete(note.id);
        else ids.add(note.id);
      } else if (selected.has(note.id)) {
        ids = new Set(selected);
        soleOnClick = selected.size > 1 ? note.id : null;
      } else {
        ids = new Set([note.id]);
      }
      setSelected(ids);
      setActiveId(note.id);
      if (!ids.has(note.id)) return;   // shift-click removed it: nothing to drag
      next = { mode: hit.zone, anchor: note, ids: [...ids], originX: x, originY: y,
               originTick: xToTick(x, timeView), originPitch: note.pitch, moved: false,
               soleOnClick, changes: new Map() };
    } else {
      if (!event.shiftKey) setSelected(new Set());
      next = { mode: "add", originX: x, originY: y, moved: false,
               tick: snapTick(xToTick(x, timeView), division, bars, "floor"),
               pitch: yToPitch(y, pitchView) };
      // Touch on empty space scrolls: let the browser have it.
      if (event.pointerType === "touch") return;
    }
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer tracks: the drag still works while over the grid.
    }
    dragRef.current = next;
    setDrag(next);
  };

  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const { x, y } = point(event);
    const current = dragRef.current;
    if (!current) {
      if (editable) setHover(hitTestNotes(notes, x, y, timeView, pitchView, 8)?.zone ?? null);
      return;
    }
    const moved = current.moved || Math.abs(x - current.originX) > DRAG_SLOP ||
      Math.abs(y - current.originY) > DRAG_SLOP;
    if (current.mode === "add") {
      if (moved !== current.moved) {
        dragRef.current = { ...current, moved };
        setDrag(dragRef.current);
      }
      return;
    }
    if (!moved) return;
    const raw = xToTick(x, timeView) - current.originTick;
    const group = current.ids.map((id) => settledById.get(id)).filter((n): n is RollNote => !!n);
    const changes = new Map<string, Partial<RollNote>>();
    const anchor = current.anchor;
    if (current.mode === "body") {
      const wanted = snapTick(anchor.start + raw, division, bars) - anchor.start;
      const dPitch = yToPitch(y, pitchView) - current.originPitch;
      const delta = clampGroupMove(group, wanted, dPitch, end);
      for (const note of group) {
        changes.set(note.id, { start: note.start + delta.dTick, pitch: note.pitch + delta.dPitch });
      }
    } else {
      const anchorEnd = anchor.start + anchor.duration;
      const dEnd = snapTick(anchorEnd + raw, division, bars) - anchorEnd;
      const shortest = minDurationFor(division);
      for (const note of group) {
        changes.set(note.id, { duration: clampResize(note, note.start + note.duration + dEnd,
                                                     shortest, end) });
      }
    }
    dragRef.current = { ...current, moved: true, changes };
    setDrag(dragRef.current);
  };

  const finishDrag = (cancelled: boolean) => {
    const current = dragRef.current;
    dragRef.current = null;
    setDrag(null);
    if (!current || cancelled) return;
    if (current.mode === "add") {
      if (current.moved) return;
      const duration = Math.min(noteLengthFor(division), Math.max(0, end - current.tick));
      if (duration <= 0 || current.tick < 0) return;
      const id = newNoteId();
      const note: RollNote = { id, pitch: current.pitch, start: current.tick, duration,
                               velocity: 90 };
      setSelected(new Set([id]));
      setActiveId(id);
      void save([{ op: "add", id, track_id: trackId, pitch: note.pitch, start: note.start,
                   duration, velocity: note.velocity }],
                `Add ${noteName(note.pitch)}`,
                { changes: new Map(), added: [note], deleted: new Set() });
      return;
    }
    if (!current.moved) {
      if (current.soleOnClick) setSelected(new Set([current.soleOnClick]));
      return;
    }
    const operations: NoteOperation[] = [];
    for (const [id, change] of current.changes) {
      const before = settledById.get(id);
      if (!before) continue;
      const op: UpdateOp = { op: current.mode === "body" ? "move" : "resize", note_id: id };
      let changed = false;
      if (change.start !== undefined && change.start !== before.start) {
        op.start = change.start; changed = true;
      }
      if (change.pitch !== undefined && change.pitch !== before.pitch) {
        op.pitch = change.pitch; changed = true;
      }
      if (change.duration !== undefined && change.duration !== before.duration) {
        op.duration = change.duration; changed = true;
      }
      if (changed) operations.push(op);
    }
    const count = operations.length;
    const label = `${current.mode === "body" ? "Move" : "Resize"} ${count} note${count === 1 ? "" : "s"}`;
    void save(operations, label, { changes: current.changes, added: [], deleted: new Set() });
  };

  // --- selection edits -----------------------------------------------------------------

  const deleteSelection = useCallback(() => {
    if (!editable || selection.length === 0) return;
    const ids = selection.map((n) => n.id);
    setSelected(new Set());
    void save(ids.map((id) => ({ op: "delete" as const, note_id: id })),
              `Delete ${ids.length} note${ids.length === 1 ? "" : "s"}`,
              { changes: new Map(), added: [], deleted: new Set(ids) });
  }, [editable, selection, save]);

  const shiftSelection = useCallback((dTick: number, dPitch: number) => {
    if (!editable || selection.length === 0) return;
    const delta = clampGroupMove(selection, dTick, dPitch, end);
    if (!delta.dTick && !delta.dPitch) return;
    const changes = new Map<string, Partial<RollNote>>();
    const operations: NoteOperation[] = selection.map((n) => {
      const change = { start: n.start + delta.dTick, pitch: n.pitch + delta.dPitch };
      changes.set(n.id, change);
      return { op: "move", note_id: n.id, ...change };
    });
    void save(operations, delta.dPitch ? `Transpose ${selection.length} note(s)`
                                       : `Move ${selection.length} note(s)`,
              { changes, added: [], deleted: new Set() });
  }, [editable, selection, end, save]);

  const commitVelocity = useCallback(() => {
    if (velocityDraft === null) return;
    const value = velocityDraft;
    setVelocityDraft(null);
    const operations: NoteOperation[] = selection.filter((n) => n.velocity !== value)
      .map((n) => ({ op: "update", note_id: n.id, velocity: value }));
    if (!editable || operations.length === 0) return;
    const changes = new Map(selection.map((n) => [n.id, { velocity: value }]));
    void save(operations, `Velocity ${value} on ${operations.length} note(s)`,
              { changes, added: [], deleted: new Set() });
  }, [velocityDraft, selection, editable, save]);

  // --- keyboard ----------------------------------------------------------------------------

  const focusNote = (id: string) => {
    setActiveId(id);
    requestAnimationFrame(() => {
      gridRef.current?.querySelector<SVGElement>(`[data-note-id="${CSS.escape(id)}"]`)?.focus();
    });
  };

  const onGridKeyDown = (event: ReactKeyboardEvent<SVGSVGElement>) => {
    const target = event.target as Element;
    const noteId = target.getAttribute("data-note-id");
    const note = noteId ? byId.get(noteId) : undefined;
    const step = noteLengthFor(division);
    switch (event.key) {
      case "ArrowRight":
      case "ArrowLeft": {
        if (event.altKey) {
          event.preventDefault();
          shiftSelection(event.key === "ArrowRight" ? step : -step, 0);
          return;
        }
        const index = note ? notes.indexOf(note) : -1;
        const next = notes[event.key === "ArrowRight" ? index + 1 : Math.max(0, index - 1)];
        if (next) { event.preventDefault(); focusNote(next.id); }
        return;
      }
      case "ArrowUp":
      case "ArrowDown": {
        if (selection.length === 0 || !editable) return;
        event.preventDefault();
        const semis = event.shiftKey ? 12 : 1;
        shiftSelection(0, event.key === "ArrowUp" ? semis : -semis);
        return;
      }
      case "Enter":
      case " ": {
        event.preventDefault();
        if (note) {
          setSelected((current) => {
            if (!event.shiftKey) return new Set([note.id]);
            const next = new Set(current);
            if (next.has(note.id)) next.delete(note.id);
            else next.add(note.id);
            return next;
          });
        } else if (editable && target === gridRef.current && event.key === "Enter") {
          // The grid itself: add a note at the playhead (or bar 1) on C4.
          const tick = snapTick(playheadTick ?? 0, division, bars, "floor");
          const id = newNoteId();
          const duration = Math.min(step, end - tick);
          if (duration <= 0) return;
          setSelected(new Set([id]));
          void save([{ op: "add", id, track_id: trackId, pitch: 60, start: tick, duration,
                       velocity: 90 }], "Add C4",
                    { changes: new Map(), added: [{ id, pitch: 60, start: tick, duration,
                                                     velocity: 90 }], deleted: new Set() })
            .then((ok) => { if (ok) focusNote(id); });
        }
        return;
      }
      case "Delete":
      case "Backspace":
        if (!editable) return;
        event.preventDefault();
        deleteSelection();
        return;
      case "Escape":
        setSelected(new Set());
        return;
      case "a":
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          setSelected(new Set(notes.map((n) => n.id)));
        }
        return;
    }
  };

  // --- drawing ----------------------------------------------------------------------------

  const latestEnd = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
  const width = Math.ceil(Math.max(end, latestEnd) * ppt) + 40;
  const lines = useMemo(() => gridLines(bars, division), [bars, division]);
  const linePaths = useMemo(() => {
    const d = { bar: "", beat: "", sub: "" };
    for (const line of lines) {
      const x = Math.round(line.tick * ppt) + 0.5;
      d[line.kind] += `M${x} 0V${HEIGHT}`;
    }
    return d;
  }, [lines, ppt]);
  const rows = useMemo(() => {
    const black: number[] = [];
    for (let p = 0; p <= MAX_PITCH; p++) if (isBlackKey(p)) black.push(p);
    return black;
  }, []);
  const cRows = useMemo(() => Array.from({ length: 11 }, (_, i) => i * 12), []);
  const rovingId = activeId && byId.has(activeId) ? activeId
    : (selection[0]?.id ?? notes[0]?.id ?? null);
  const selectedVelocity = velocityDraft ??
    (selection.length ? Math.round(selection.reduce((s, n) => s + n.velocity, 0) /
                                   selection.length) : 90);
  const cursor = !editable ? styles.readOnlyCursor
    : drag && drag.mode !== "add" ? (drag.mode === "resize" ? styles.resizing : styles.moving)
    : hover === "resize" ? styles.resizeCursor : hover === "body" ? styles.moveCursor : "";
  const helpId = `roll-help-${trackId}`;
  const disabledProps = (disabled: boolean) => ({ "aria-disabled": disabled || undefined });

  return (
    <section className={styles.roll} aria-label={`Piano roll: ${track.name}`}>
      <div className={styles.toolbar} role="toolbar" aria-label="Piano roll tools">
        <label className={styles.inline}>
          <span>Snap</span>
          <select value={division} onChange={(e) => setDivision(e.target.value as GridDivision)}>
            {GRID_DIVISIONS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
          </select>
        </label>
        <div className={styles.group} role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomBy(-1)} disabled={zoom === 0}
                  aria-label="Zoom out">−</button>
          <button type="button" onClick={() => zoomBy(1)} disabled={zoom === ZOOMS.length - 1}
                  aria-label="Zoom in">+</button>
        </div>
        <label className={styles.inline}>
          <span>Velocity</span>
          <input type="range" min={1} max={127} value={selectedVelocity}
                 disabled={!editable || selection.length === 0}
                 {...disabledProps(!editable || selection.length === 0)}
                 aria-valuetext={`${selectedVelocity}${selection.length ? "" : " (no notes selected)"}`}
                 onChange={(e) => setVelocityDraft(Number(e.target.value))}
                 onPointerUp={commitVelocity} onKeyUp={commitVelocity} onBlur={commitVelocity} />
          <output className={styles.value}>{selectedVelocity}</output>
        </label>
        <button type="button" className="danger" {...disabledProps(!editable || !selection.length)}
                onClick={() => { if (editable) deleteSelection(); }}>
          Delete{selection.length ? ` (${selection.length})` : ""}
        </button>
        <span className={styles.count} aria-live="polite">
          {selection.length ? `${selection.length} selected` : `${notes.length} notes`}
        </span>
      </div>
      <p id={helpId} className="sr-only">
        {editable
          ? "Click empty space to add a note, drag a note to move it, drag its right edge to " +
            "resize. Keyboard: Tab to the notes, Left and Right arrows go from note to note, " +
            "Enter or Space selects (Shift adds), Up and Down transpose the selection (Shift: " +
            "an octave), Alt with Left or Right moves it by the grid, Delete removes it, " +
            "Ctrl+Z undoes. Enter on the empty grid adds a C4 at the playhead."
          : "Read-only: you can view the notes but not change them."}
      </p>
      <div className={styles.scroller} ref={scroller}>
        <div className={styles.canvas} style={{ width: KEYS + width }}>
          <div className={styles.rulerRow} style={{ height: RULER }}>
            <div className={styles.corner} style={{ width: KEYS }} aria-hidden />
            <svg className={styles.ruler} width={width} height={RULER} role="presentation"
                 onClick={(e) => {
                   const rect = e.currentTarget.getBoundingClientRect();
                   setPlayheadTick(snapTick(xToTick(e.clientX - rect.left, timeView),
                                            division, bars, "round"));
                 }}>
              {bars.map((bar) => (
                <g key={bar.number} transform={`translate(${bar.start * ppt},0)`}>
                  <line x1={0.5} x2={0.5} y1={8} y2={RULER} className={styles.rulerTick} />
                  {bar.length * ppt > 18 || bar.number % 4 === 1
                    ? <text x={4} y={14} className={styles.rulerText}>{bar.number}</text> : null}
                </g>
              ))}
              {playheadTick !== null
                ? <path d={`M${playheadTick * ppt - 5} 0h10l-5 7z`} className={styles.playheadCap} />
                : null}
            </svg>
          </div>
          <div className={styles.body} style={{ height: HEIGHT }}>
            <svg className={styles.keys} width={KEYS} height={HEIGHT} aria-hidden>
              <rect x={0} y={0} width={KEYS} height={HEIGHT} className={styles.whiteKey} />
              {cRows.map((p) => (
                <line key={p} x1={0} x2={KEYS} y1={pitchToY(p, pitchView) + ROW - 0.5}
                      y2={pitchToY(p, pitchView) + ROW - 0.5} className={styles.keyOctave} />
              ))}
              {rows.map((p) => (
                <rect key={p} x={0} y={pitchToY(p, pitchView) + 1} width={KEYS * 0.6}
                      height={ROW - 2} rx={2} className={styles.blackKey} />
              ))}
              {cRows.map((p) => (
                <text key={p} x={KEYS - 4} y={pitchToY(p, pitchView) + ROW - 3}
                      className={styles.keyLabel}>{noteName(p)}</text>
              ))}
            </svg>
            <svg ref={gridRef} data-testid="piano-roll-grid" width={width} height={HEIGHT}
                 className={`${styles.grid} ${cursor}`} tabIndex={0} role="group"
                 aria-label={`${track.name} notes${editable ? "" : " (read-only)"}`}
                 aria-describedby={helpId}
                 onPointerDown={editable ? onPointerDown : undefined}
                 onPointerMove={editable ? onPointerMove : undefined}
                 onPointerUp={editable ? () => finishDrag(false) : undefined}
                 onPointerCancel={editable ? () => finishDrag(true) : undefined}
                 onPointerLeave={editable ? () => setHover(null) : undefined}
                 onKeyDown={onGridKeyDown}>
              {rows.map((p) => (
                <rect key={p} x={0} y={pitchToY(p, pitchView)} width={width} height={ROW}
                      className={styles.blackRow} />
              ))}
              {cRows.map((p) => (
                <line key={p} x1={0} x2={width} y1={pitchToY(p, pitchView) + ROW - 0.5}
                      y2={pitchToY(p, pitchView) + ROW - 0.5} className={styles.octaveLine} />
              ))}
              <path d={linePaths.sub} className={styles.subLine} />
              <path d={linePaths.beat} className={styles.beatLine} />
              <path d={linePaths.bar} className={styles.barLine} />
              <rect x={end * ppt} y={0} width={Math.max(0, width - end * ppt)} height={HEIGHT}
                    className={styles.pastEnd} />
              {drag?.mode === "add" && !drag.moved ? (
                <rect x={drag.tick * ppt} y={pitchToY(drag.pitch, pitchView)}
                      width={noteLengthFor(division) * ppt} height={ROW - 1}
                      className={styles.ghost} />
              ) : null}
              {notes.map((note) => {
                const isSelected = selected.has(note.id);
                const isHighlighted = highlightedNoteIds.has(note.id);
                const label = describeNote(note, bars);
                return (
                  <rect key={note.id} data-note-id={note.id} data-pitch={note.pitch}
                        data-start={note.start} data-duration={note.duration}
                        data-selected={isSelected || undefined}
                        data-highlighted={isHighlighted || undefined}
                        x={note.start * ppt + 0.5} y={pitchToY(note.pitch, pitchView) + 0.5}
                        width={Math.max(3, note.duration * ppt - 1)} height={ROW - 1}
                        rx={2}
                        fill={colour} fillOpacity={0.3 + 0.7 * (note.velocity / 127)}
                        className={[styles.note, isSelected ? styles.selected : "",
                                    isHighlighted ? styles.highlighted : "",
                                    editable ? styles.editableNote : ""].join(" ")}
                        role="button" aria-pressed={isSelected}
                        aria-label={`${label}${isHighlighted ? " (highlighted)" : ""}`}
                        tabIndex={note.id === rovingId ? 0 : -1}
                        onFocus={() => setActiveId(note.id)}>
                    <title>{`${label}, velocity ${note.velocity}`}</title>
                  </rect>
                );
              })}
              {playheadTick !== null ? (
                <line data-testid="playhead" x1={playheadTick * ppt} x2={playheadTick * ppt}
                      y1={0} y2={HEIGHT} className={styles.playhead} />
              ) : null}
            </svg>
          </div>
        </div>
      </div>
    </section>
  );
}
