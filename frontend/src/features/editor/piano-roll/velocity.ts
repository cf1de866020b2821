/** The velocity lane's arithmetic: a bar's height ↔ a velocity, and dragging one selected
 * note's bar scaling the whole selection in proportion. */
import { clamp } from "@/lib/geometry";

export const MIN_VELOCITY = 1;
export const MAX_VELOCITY = 127;

/** The velocity for a pointer at `y` in a lane `height` pixels tall (top = loudest). */
export function velocityAtY(y: number, height: number): number {
  const fraction = 1 - clamp(y, 0, height) / height;
  return clamp(Math.round(fraction * MAX_VELOCITY), MIN_VELOCITY, MAX_VELOCITY);
}

export function barHeight(velocity: number, height: number): number {
  return (clamp(velocity, 0, MAX_VELOCITY) / MAX_VELOCITY) * height;
}

/** New velocities when the anchor note is dragged to `target`: alone, it takes `target`;
 * with others selected, each is scaled by the anchor's ratio (target / its old velocity),
 * keeping the selection's accents. */
export function scaleVelocities(notes: readonly { id: string; velocity: number }[],
                                anchorId: string, target: number): Map<string, number> {
  const anchor = notes.find((n) => n.id === anchorId);
  const result = new Map<string, number>();
  if (!anchor) return result;
  const wanted = clamp(Math.round(target), MIN_VELOCITY, MAX_VELOCITY);
  const ratio = wanted / Math.max(MIN_VELOCITY, anchor.velocity);
  for (const note of notes) {
    const next = note.id === anchorId ? wanted
      : clamp(Math.round(note.velocity * ratio), MIN_VELOCITY, MAX_VELOCITY);
    result.set(note.id, next);
  }
  return result;
}
