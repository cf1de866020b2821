/** Box selection: which notes a rectangle dragged on the grid touches. */
import { pitchToY, type PitchView, type TimeView } from "@/lib/geometry";

import type { RollNote } from "./notes";

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The box spanned by two corners, in either order. */
export function boxFrom(x0: number, y0: number, x1: number, y1: number): Box {
  return { left: Math.min(x0, x1), top: Math.min(y0, y1), right: Math.max(x0, x1),
           bottom: Math.max(y0, y1) };
}

/** The ids of the notes whose rectangles overlap `box` (touching counts). */
export function notesInBox(notes: readonly RollNote[], box: Box, time: TimeView,
                           pitch: PitchView): string[] {
  const scrollX = time.scrollX ?? 0;
  return notes.filter((n) => {
    const left = n.start * time.pixelsPerTick - scrollX;
    const right = (n.start + n.duration) * time.pixelsPerTick - scrollX;
    const top = pitchToY(n.pitch, pitch);
    const bottom = top + pitch.rowHeight;
    return left <= box.right && right >= box.left && top <= box.bottom && bottom >= box.top;
  }).map((n) => n.id);
}

/** The selection after a box: the box's notes, plus the earlier selection when adding. */
export function boxSelection(base: ReadonlySet<string>, inBox: readonly string[],
                             additive: boolean): Set<string> {
  return new Set(additive ? [...base, ...inBox] : inBox);
}
