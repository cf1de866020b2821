/** The piano roll from the keyboard: arrows go from note to note (Alt moves the selection by
 * the grid), Up/Down transpose, Enter/Space select, Delete removes, Escape clears, Ctrl/⌘+A
 * selects all, and Enter on the empty grid adds a C4 at the playhead. */
import type { Dispatch, KeyboardEvent as ReactKeyboardEvent, RefObject,
              SetStateAction } from "react";

import type { NoteOperation } from "@/api/types";
import { newNoteId } from "@/features/editor/undo";
import { noteLengthFor, snapTick, type Bar, type GridDivision } from "@/lib/geometry";

import type { Optimistic, RollNote } from "./notes";
import type { SelectionEdits } from "./useSelectionEdits";

export interface RollKeyboardInput {
  /** The notes as drawn, in time order. */
  notes: readonly RollNote[];
  byId: ReadonlyMap<string, RollNote>;
  selection: readonly RollNote[];
  setSelected: Dispatch<SetStateAction<ReadonlySet<string>>>;
  setActiveId(id: string | null): void;
  edits: Pick<SelectionEdits, "deleteSelection" | "shiftSelection">;
  editable: boolean;
  division: GridDivision;
  bars: readonly Bar[];
  end: number;
  playheadTick: number | null;
  trackId: string;
  gridRef: RefObject<SVGSVGElement | null>;
  save(operations: NoteOperation[], label: string, shown: Optimistic): Promise<boolean>;
}

export function useRollKeyboard(input: RollKeyboardInput) {
  const { notes, byId, selection, setSelected, setActiveId, edits, editable, division, bars,
          end, playheadTick, trackId, gridRef, save } = input;

  const focusNote = (id: string) => {
    setActiveId(id);
    requestAnimationFrame(() => {
      gridRef.current?.querySelector<SVGElement>(`[data-note-id="${CSS.escape(id)}"]`)?.focus();
    });
  };

  return (event: ReactKeyboardEvent<SVGSVGElement>) => {
    const target = event.target as Element;
    const noteId = target.getAttribute("data-note-id");
    const note = noteId ? byId.get(noteId) : undefined;
    const step = noteLengthFor(division);
    switch (event.key) {
      case "ArrowRight":
      case "ArrowLeft": {
        if (event.altKey) {
          event.preventDefault();
          edits.shiftSelection(event.key === "ArrowRight" ? step : -step, 0);
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
        edits.shiftSelection(0, event.key === "ArrowUp" ? semis : -semis);
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
        edits.deleteSelection();
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
}
