/** The piano roll's fixed measures: row height, key and ruler sizes, zoom levels. */
import { MAX_PITCH, type PitchView } from "@/lib/geometry";
import { isBlackKey } from "@/lib/gm";
import { PPQ } from "@/lib/ticks";

export const ROW = 14;
export const KEYS = 52;
export const RULER = 22;
/** The velocity lane under the grid (sticky at the bottom of the view). */
export const LANE_HEIGHT = 48;
export const HEIGHT = (MAX_PITCH + 1) * ROW;
/** Zoom levels, in pixels per quarter note. */
export const ZOOMS = [8, 12, 18, 26, 36, 50, 70, 100, 140, 200];
export const DEFAULT_ZOOM = 4;
/** Pixels a pointer may wander before a press becomes a drag. */
export const DRAG_SLOP = 4;
/** Pixels at a note's right end that resize it instead of moving it. */
export const RESIZE_HANDLE = 8;

export const PITCH_VIEW: PitchView = { rowHeight: ROW, topPitch: MAX_PITCH };

/** Horizontal pixels per tick at zoom level `zoom`. */
export function pixelsPerTick(zoom: number): number {
  return (ZOOMS[zoom] ?? 36) / PPQ;
}

/** The pitches drawn as black rows, and the C of every octave (labelled on the keys). */
export const BLACK_PITCHES: readonly number[] =
  Array.from({ length: MAX_PITCH + 1 }, (_, p) => p).filter(isBlackKey);
export const C_PITCHES: readonly number[] = Array.from({ length: 11 }, (_, i) => i * 12);
