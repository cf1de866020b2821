"use client";
/** Keeps the playhead in view while the player plays: the arrangement, the piano roll, the
 * drum grid and the notation view call it with their scroll box and their tick → pixel map.
 * It reads the player's own clock (`subscribeTick`), so it works on pages without a
 * workspace (the listen page) and re-renders nothing: it only moves the scroll position. */
import { useEffect, useRef, type RefObject } from "react";

import { usePlayer } from "./api";

export interface FollowOptions {
  /** "x" (default) scrolls horizontally; "y" scrolls vertically (pages of notation). */
  axis?: "x" | "y";
  /** Pixels at the box's leading edge covered by sticky headers (lane heads, piano keys). */
  leadingPx?: number;
  /** Where the playhead lands after a jump, as a fraction of the visible span. */
  landAt?: number;
}

/** After the person scrolls the box themselves, following waits this long before it moves
 * the view again, so that looking ahead while the music plays is not fought. */
const USER_SCROLL_GRACE_MS = 2500;

/** Where to scroll so that `px` is visible, or null when it already is. Page-turn style:
 * the view jumps once the playhead leaves it (or nears its far edge) instead of scrolling
 * every frame, which keeps notation and notes readable while they play. */
export function followScroll(px: number, scroll: number, span: number, leading: number,
                             landAt: number): number | null {
  const visible = Math.max(0, span - leading);
  if (visible <= 0) return null;
  const margin = Math.min(24, visible / 8);
  if (px >= scroll + margin / 2 && px <= scroll + visible - margin) return null;
  return Math.max(0, Math.round(px - visible * landAt));
}

export function useFollowPlayhead(scrollElementRef: RefObject<HTMLElement | null>,
                                  tickToPx: (tick: number) => number,
                                  options: FollowOptions = {}): void {
  const { playing, subscribeTick } = usePlayer();
  const toPx = useRef(tickToPx);
  toPx.current = tickToPx;
  const opts = useRef(options);
  opts.current = options;

  useEffect(() => {
    const box = scrollElementRef.current;
    if (!playing || !subscribeTick || !box) return;
    let ownScroll = false;
    let userScrolledAt = -Infinity;
    const onScroll = () => {
      if (ownScroll) { ownScroll = false; return; }
      userScrolledAt = performance.now();
    };
    box.addEventListener("scroll", onScroll, { passive: true });
    const unsubscribe = subscribeTick((tick) => {
      if (tick === null || performance.now() - userScrolledAt < USER_SCROLL_GRACE_MS) return;
      const { axis = "x", leadingPx = 0, landAt = 0.1 } = opts.current;
      const horizontal = axis === "x";
      const scroll = horizontal ? box.scrollLeft : box.scrollTop;
      const span = horizontal ? box.clientWidth : box.clientHeight;
      const target = followScroll(toPx.current(tick), scroll, span, leadingPx, landAt);
      if (target === null || Math.abs(target - scroll) < 1) return;
      ownScroll = true;
      if (horizontal) box.scrollLeft = target; else box.scrollTop = target;
    });
    return () => {
      unsubscribe();
      box.removeEventListener("scroll", onScroll);
    };
  }, [playing, subscribeTick, scrollElementRef]);
}
