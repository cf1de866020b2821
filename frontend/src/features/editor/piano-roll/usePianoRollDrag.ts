/** Pointer editing on the piano roll's grid: press, drag and release run the state machine
 * in `drag.ts`; the drag draws optimistically and saves one batch on release. Gives the
 * notes as drawn (moved by the drag in progress) and which part of a note the pointer
 * hovers (for the cursor). */
import { useMemo, useState, type Dispatch, type PointerEvent as ReactPointerEvent,
         type RefObject, type SetStateAction } from "react";

import type { NoteOperation } from "@/api/types";
import { newNoteId } from "@/features/editor/undo";
import { hitTestNotes, type HitZone } from "@/lib/geometry";

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
}

type GridPointerEvent = ReactPointerEvent<SVGSVGElement>;

export interface PianoRollDrag {
  /** The notes as drawn: the settled ones moved by the drag in progress, in time order. */
  notes: RollNote[];
  drag: Drag | null;
  hover: HitZone | null;
  onPointerDown(event: GridPointerEvent): void;
  onPointerMove(event: GridPointerEvent): void;
  onPointerUp(): void;
  onPointerCancel(): void;
  onPointerLeave(): void;
}

export function usePianoRollDrag(input: DragInput): PianoRollDrag {
  const { settled, settledById, selected, setSelected, setActiveId, grid, trackId, editable,
          gridRef, save, dragging } = input;
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<HitZone | null>(null);

  const notes = useMemo(() => {
    const changes = drag && drag.mode !== "add" ? drag.changes : null;
    const shown = changes ? settled.map((n) => ({ ...n, ...changes.get(n.id) })) : [...settled];
    return shown.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  }, [settled, drag]);

  const update = (next: Drag | null) => {
    dragging.current = next;
    setDrag(next);
  };

  const point = (event: { clientX: number; clientY: number }) => {
    const rect = gridRef.current?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  };
  const hitAt = (x: number, y: number) =>
    hitTestNotes(notes, x, y, grid.time, grid.pitch, RESIZE_HANDLE);

  const onPointerDown = (event: GridPointerEvent) => {
    if (!editable || event.button !== 0) return;
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
      next = startNoteDrag(note, hit.zone, [...ids], x, y, soleOnClick, grid);
    } else {
      if (!event.shiftKey) setSelected(new Set());
      next = startAdd(x, y, grid);
      // Touch on empty space scrolls: let the browser have it.
      if (event.pointerType === "touch") return;
    }
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
    if (next !== current) update(next);
  };

  const release = (cancelled: boolean) => {
    const current = dragging.current;
    update(null);
    if (!current || cancelled) return;
    const outcome = finishDrag(current, settledById, grid, trackId, newNoteId);
    switch (outcome.kind) {
      case "none":
        return;
      case "select":
        setSelected(new Set([outcome.id]));
        return;
      case "add":
        setSelected(new Set([outcome.note.id]));
        setActiveId(outcome.note.id);
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
    onPointerUp: () => release(false),
    onPointerCancel: () => release(true),
    onPointerLeave: () => setHover(null),
  };
}
