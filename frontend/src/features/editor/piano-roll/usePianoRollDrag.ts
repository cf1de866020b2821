/** Pointer editing on the piano roll's grid: press, drag and release run the state machine
 * in `drag.ts`; the drag draws optimistically and saves one batch on release; a drag on
 * empty space draws a selection box. Gives the notes as drawn (moved by the drag in
 * progress), the box, and which part of a note the pointer hovers (for the cursor).
 *
 * The grid's position is read once, at the press, and kept for the whole drag: if anything
 * above the grid changed height mid-click (it used to: the toolbar wrapped on the first
 * selection), the pitch under the pointer at the press stays the one the drag starts from. */
import { useMemo, useRef, useState, type Dispatch, type PointerEvent as ReactPointerEvent,
         type RefObject, type SetStateAction } from "react";

import type { NoteOperation } from "@/api/types";
import { newNoteId } from "@/features/editor/undo";
import { hitTestNotes, type HitZone } from "@/lib/geometry";

import { boxFrom, boxSelection, notesInBox, type Box } from "./box";
import { finishDrag, moveDrag, startAdd, startNoteDrag, type Drag, type DragGrid } from "./drag";
import { RESIZE_HANDLE } from "./layout";
import type { Optimistic, RollNote } from "./notes";

export interface DragInput {
  /** The notes as they will be once pending saves land (what a drag starts from). */
  settled: readonly RollNote[];
  settledById: ReadonlyMap<string, RollNote>;
  selected: ReadonlySet<string>;
  setSelected: Dispatch<SetStateAction<ReadonlySet<string>>>;
  setActiveId(id: string | null): void;
  grid: DragGrid;
  trackId: string;
  editable: boolean;
  gridRef: RefObject<SVGSVGElement | null>;
  save(operations: NoteOperation[], label: string, shown: Optimistic): Promise<boolean>;
  /** Holds the drag in progress, readable outside renders: pointer events can come faster
   * than renders, each must see the one before it (and the view does not scroll during
   * a drag). */
  dragging: RefObject<Drag | null>;
  /** Makes a pitch sound (a note pressed, added, or dragged to a new pitch). */
  sound(pitch: number, velocity?: number): void;
  /** The tick of the last press on empty grid (where a paste goes). */
  onPressTick(tick: number): void;
}

type GridPointerEvent = ReactPointerEvent<SVGSVGElement>;

export interface PianoRollDrag {
  /** The notes as drawn: the settled ones moved by the drag in progress, in time order. */
  notes: RollNote[];
  drag: Drag | null;
  /** The selection box being drawn, in grid pixels. */
  box: Box | null;
  hover: HitZone | null;
  onPointerDown(event: GridPointerEvent): void;
  onPointerMove(event: GridPointerEvent): void;
  onPointerUp(): void;
  onPointerCancel(): void;
  onPointerLeave(): void;
}

export function usePianoRollDrag(input: DragInput): PianoRollDrag {
  const { settled, settledById, selected, setSelected, setActiveId, grid, trackId, editable,
          gridRef, save, dragging, sound, onPressTick } = input;
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<HitZone | null>(null);

  const notes = useMemo(() => {
    const changes = drag && (drag.mode === "body" || drag.mode === "resize") ? drag.changes
      : null;
    const shown = changes ? settled.map((n) => ({ ...n, ...changes.get(n.id) })) : [...settled];
    return shown.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  }, [settled, drag]);

  const update = (next: Drag | null) => {
    dragging.current = next;
    setDrag(next);
  };

  // The grid's client position at the press, used until the release (see the top).
  const pressRect = useRef<{ left: number; top: number } | null>(null);
  const point = (event: { clientX: number; clientY: number }) => {
    const rect = pressRect.current ?? gridRef.current?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  };
  const hitAt = (x: number, y: number) =>
    hitTestNotes(notes, x, y, grid.time, grid.pitch, RESIZE_HANDLE);

  const onPointerDown = (event: GridPointerEvent) => {
    if (!editable || event.button !== 0) return;
    pressRect.current = null;
    const { x, y } = point(event);
    const hit = hitAt(x, y);
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
      sound(note.pitch, note.velocity);
      next = startNoteDrag(note, hit.zone, [...ids], x, y, soleOnClick, grid);
    } else {
      if (!event.shiftKey) setSelected(new Set());
      next = startAdd(x, y, grid, event.shiftKey, event.shiftKey ? selected : new Set());
      if (next.mode === "add") onPressTick(next.tick);
      // Touch on empty space scrolls: let the browser have it.
      if (event.pointerType === "touch") return;
    }
    const rect = gridRef.current?.getBoundingClientRect();
    pressRect.current = rect ? { left: rect.left, top: rect.top } : null;
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer tracks: the drag still works while over the grid.
    }
    update(next);
  };

  const onPointerMove = (event: GridPointerEvent) => {
    const { x, y } = point(event);
    const current = dragging.current;
    if (!current) {
      if (editable) setHover(hitAt(x, y)?.zone ?? null);
      return;
    }
    const next = moveDrag(current, x, y, settledById, grid);
    if (next === current) return;
    update(next);
    if (next.mode === "box") {
      const inBox = notesInBox(notes, boxFrom(next.originX, next.originY, x, y), grid.time,
                               grid.pitch);
      setSelected(boxSelection(next.base, inBox, next.additive));
    } else if (next.mode === "body" && current.mode === "body") {
      // Sound the anchor at its new pitch as the drag crosses rows.
      const before = current.changes.get(next.anchor.id)?.pitch ?? next.anchor.pitch;
      const after = next.changes.get(next.anchor.id)?.pitch ?? next.anchor.pitch;
      if (after !== before) sound(after, next.anchor.velocity);
    }
  };

  const release = (cancelled: boolean) => {
    const current = dragging.current;
    pressRect.current = null;
    update(null);
    if (!current || cancelled) return;
    const outcome = finishDrag(current, settledById, grid, trackId, newNoteId);
    switch (outcome.kind) {
      case "none":
      case "box":
        return;
      case "select":
        setSelected(new Set([outcome.id]));
        return;
      case "add":
        setSelected(new Set([outcome.note.id]));
        setActiveId(outcome.note.id);
        sound(outcome.note.pitch, outcome.note.velocity);
        void save(outcome.operations, outcome.label,
                  { changes: new Map(), added: [outcome.note], deleted: new Set() });
        return;
      case "edit":
        void save(outcome.operations, outcome.label,
                  { changes: outcome.changes, added: [], deleted: new Set() });
        return;
    }
  };

  return {
    notes, drag, hover, onPointerDown, onPointerMove,
    box: drag?.mode === "box" ? boxFrom(drag.originX, drag.originY, drag.x, drag.y) : null,
    onPointerUp: () => release(false),
    onPointerCancel: () => release(true),
    onPointerLeave: () => setHover(null),
  };
}
