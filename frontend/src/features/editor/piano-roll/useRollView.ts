/** The piano roll's viewport: zoom (buttons, Ctrl/⌘+wheel, keeping the tick under the
 * pointer in place) and the scrolling done for the user: centring a new track's notes,
 * jumping to highlighted notes, following the playhead page by page. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";

import { usePlayer } from "@/features/playback/api";
import { clamp, pitchToY } from "@/lib/geometry";

import { DEFAULT_ZOOM, KEYS, LANE_HEIGHT, PITCH_VIEW, pixelsPerTick, RULER, ZOOMS } from "./layout";
import type { RollNote } from "./notes";

export interface RollViewInput {
  trackId: string;
  /** The track's saved notes. */
  notes: readonly RollNote[];
  highlightedNoteIds: ReadonlySet<string>;
  focusTick: number | null;
  playheadTick: number | null;
  /** True while a drag is in progress: the view then stays where the user holds it. */
  dragging: RefObject<unknown>;
}

export interface RollView {
  scroller: RefObject<HTMLDivElement | null>;
  zoom: number;
  /** Pixels per tick at the current zoom. */
  ppt: number;
  zoomBy(step: number, clientX?: number): void;
}

/** Scroll `box` so that `pitch` is in the middle of the rows left visible between the
 * sticky ruler (top) and the velocity lane (bottom). */
function centrePitch(box: HTMLElement, pitch: number) {
  const middle = (RULER + box.clientHeight - LANE_HEIGHT) / 2;
  box.scrollTop = RULER + pitchToY(pitch, PITCH_VIEW) + PITCH_VIEW.rowHeight / 2 - middle;
}

export function useRollView({ trackId, notes, highlightedNoteIds, focusTick, playheadTick,
                              dragging }: RollViewInput): RollView {
  const [zoom, setZoom] = useState(DEFAULT_ZOOM);
  const ppt = pixelsPerTick(zoom);
  const scroller = useRef<HTMLDivElement>(null);
  const zoomAnchor = useRef<{ tick: number; offset: number } | null>(null);

  // A new track: centre its notes (or C4) vertically.
  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const pitches = notes.map((n) => n.pitch).sort((a, b) => a - b);
    centrePitch(box, pitches[Math.floor(pitches.length / 2)] ?? 60);
    // Only when the track changes: edits to its notes must not scroll the view away.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trackId]);

  // Jump to highlighted notes when the theory panel asks.
  useEffect(() => {
    const box = scroller.current;
    if (focusTick === null || !box) return;
    const highlighted = notes.filter((n) => highlightedNoteIds.has(n.id));
    box.scrollLeft = Math.max(0, focusTick * ppt - (box.clientWidth - KEYS) / 4);
    if (highlighted.length) {
      const mean = highlighted.reduce((sum, n) => sum + n.pitch, 0) / highlighted.length;
      centrePitch(box, Math.round(mean));
    }
    // Only on a new request: zooming or editing afterwards must not jump back there.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusTick, highlightedNoteIds]);

  // Follow the playhead when it leaves the visible part (page by page) — when it moves by
  // other means than the in-browser player (a seek, someone else); while the player plays,
  // `useFollowPlayhead` follows (and lets the person scroll away for a moment).
  const { playing } = usePlayer();
  useEffect(() => {
    const box = scroller.current;
    if (playheadTick === null || !box || dragging.current || playing) return;
    const x = playheadTick * ppt;
    const visible = box.clientWidth - KEYS;
    if (x < box.scrollLeft || x > box.scrollLeft + visible - 8) {
      box.scrollLeft = Math.max(0, x - 24);
    }
  }, [playheadTick, ppt, dragging, playing]);

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
        zoomAnchor.current = { tick: (box.scrollLeft + offset) / pixelsPerTick(current), offset };
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

  return { scroller, zoom, ppt, zoomBy };
}
