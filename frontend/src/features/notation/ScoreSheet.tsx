"use client";
/** The score viewer: the full score or one part, a page at a time, with zoom (buttons,
 * ctrl +/−/0), page turning (buttons, PageUp/PageDown) and page turns that follow the
 * playhead while the music plays. Used by the notation tab, the full-score view and the
 * public listen page; where the pages come from is the caller's `source`. */
import {
  useCallback, useEffect, useId, useRef, useState, type KeyboardEvent,
} from "react";

import type { Score } from "@/api/types";
import { usePlayer } from "@/features/playback/api";
import { tickToBar } from "@/lib/timing";

import styles from "./ScoreSheet.module.css";
import { PX_PER_UNIT, fitZoom, pageOfBar, zoomIn, zoomOut, type PageInfo } from "./sheet";
import { usePageImage, type PageSource } from "./usePageImage";

/** After the reader turns a page themselves, following waits this long before turning. */
const READER_GRACE_MS = 2500;

export interface SheetTrack { id: string; name: string }

/** The part choices of a score: every track with an id, by name. */
export function sheetTracks(score: Score | null | undefined): SheetTrack[] {
  return (score?.tracks ?? []).flatMap((t) => t.id ? [{ id: t.id, name: t.name || t.id }] : []);
}

export interface ScoreSheetProps {
  source: PageSource | null;
  tracks: readonly SheetTrack[];
  /** Changes whenever the music does: the page is fetched again. */
  contentKey: string | number;
  /** The score being shown, to find the bar (and so the page) of a playhead tick. */
  score: Score | null;
  /** A part to show until the reader picks one (null = the full score). */
  preferredTrack?: string | null;
  /** The workspace's playhead (stopped or playing); the page holding it is shown. */
  playheadTick?: number | null;
  /** The narrow side panel: smaller controls, the sheet fitted to its width. */
  compact?: boolean;
  /** Focus the sheet when shown (the full-score view), so the keys work at once. */
  autoFocus?: boolean;
  /** Zoom and page keys work anywhere on the page, not only inside the sheet. */
  globalKeys?: boolean;
}

type Zoom = number | "fit";

export function ScoreSheet({ source, tracks, contentKey, score, preferredTrack = null,
                             playheadTick = null, compact = false,
                             autoFocus = false, globalKeys = false }: ScoreSheetProps) {
  const id = useId();
  const [picked, setPicked] = useState<string | null | undefined>(undefined);
  const wanted = picked === undefined ? preferredTrack : picked;
  const track = wanted && tracks.some((t) => t.id === wanted) ? wanted : null;
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState<Zoom>("fit");
  const [lightPaper, setLightPaper] = useState(compact);
  const viewport = useRef<HTMLDivElement>(null);
  const [viewportWidth, setViewportWidth] = useState(0);
  const image = usePageImage(source, page, track, contentKey);
  const shown = image.kind === "ready" ? image : image.kind === "loading" ? image.previous : null;
  const info = useRef<PageInfo | null>(null);
  if (shown?.info && shown.info.page === page) info.current = shown.info;
  const pages = info.current?.pages ?? null;
  const turnedAt = useRef(-Infinity);

  useEffect(() => {
    if (autoFocus) viewport.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    const box = viewport.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setViewportWidth(box.clientWidth));
    observer.observe(box);
    setViewportWidth(box.clientWidth);
    return () => observer.disconnect();
  }, []);

  // A different part or different music may have fewer pages: start again at page 1.
  useEffect(() => { setPage(1); info.current = null; }, [track]);
  useEffect(() => {
    if (pages !== null && page > pages) setPage(pages);
  }, [page, pages]);

  const turnTo = useCallback((target: number, byReader: boolean) => {
    if (byReader) turnedAt.current = performance.now();
    setPage((current) => {
      const last = info.current?.pages ?? Number.POSITIVE_INFINITY;
      const next = Math.min(last, Math.max(1, target));
      return next === current ? current : next;
    });
  }, []);

  const showTick = useCallback((tick: number | null, byPlayer: boolean) => {
    if (tick === null || !score || !info.current) return;
    if (byPlayer && performance.now() - turnedAt.current < READER_GRACE_MS) return;
    turnTo(pageOfBar(tickToBar(score, tick), info.current), false);
  }, [score, turnTo]);

  // The workspace playhead (placed or moving): show the page that holds it.
  useEffect(() => { showTick(playheadTick, false); }, [playheadTick, showTick]);

  // The player's own clock (also outside the workspace, on the listen page).
  const { playing, subscribeTick } = usePlayer();
  useEffect(() => {
    if (!playing || !subscribeTick) return;
    return subscribeTick((tick) => showTick(tick, true));
  }, [playing, subscribeTick, showTick]);

  const size = shown?.size ?? null;
  const fitted = size ? fitZoom(size.width, Math.max(0, viewportWidth - 24)) : 1;
  const scale = zoom === "fit" ? fitted : zoom;
  const change = (step: (z: number) => number) => setZoom(step(scale));

  const onKey = (event: KeyboardEvent | globalThis.KeyboardEvent) => {
    const command = event.ctrlKey || event.metaKey;
    if (command && (event.key === "+" || event.key === "=")) change(zoomIn);
    else if (command && (event.key === "-" || event.key === "_")) change(zoomOut);
    else if (command && event.key === "0") setZoom("fit");
    else if (event.key === "PageDown" && !command) turnTo(page + 1, true);
    else if (event.key === "PageUp" && !command) turnTo(page - 1, true);
    else return;
    event.preventDefault();
  };
  // Where the sheet is the whole view (the full score, the listen page) its keys work
  // wherever the focus is, even after a button it was on becomes disabled.
  const latestKey = useRef(onKey);
  latestKey.current = onKey;
  useEffect(() => {
    if (!globalKeys) return;
    const listener = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
      latestKey.current(event);
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, [globalKeys]);

  const nameOf = (id: string | null) => id ? tracks.find((t) => t.id === id)?.name
    ?? "the track" : "all tracks";
  const pageText = pages ? `Page ${page} of ${pages}` : `Page ${page}`;
  // The image's name says what it shows, which lags what is asked for while it loads.
  const shownText = shown ? `${nameOf(shown.track)}, page ${shown.page}${
    shown.info ? ` of ${shown.info.pages}` : ""}` : "";
  const width = size ? Math.round(size.width * PX_PER_UNIT * scale) : null;

  return (
    <div className={`${styles.sheetView} ${compact ? styles.compact : ""}`} onKeyDown={globalKeys ? undefined : onKey}
         data-testid="score-sheet">
      <div className={styles.toolbar} role="toolbar" aria-label="Notation controls">
        <label htmlFor={`${id}-part`} className={styles.part}>
          <span>Part</span>
          <select id={`${id}-part`} value={track ?? ""} disabled={!tracks.length}
                  onChange={(e) => { setPicked(e.target.value || null); }}
                  data-testid="notation-part">
            <option value="">Full score (all tracks)</option>
            {tracks.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <div className={styles.group} role="group" aria-label="Zoom">
          <button type="button" onClick={() => change(zoomOut)} aria-label="Zoom out"
                  title="Zoom out (Ctrl −)" disabled={!size}>−</button>
          <output className={styles.zoom} aria-live="polite" data-testid="notation-zoom">
            {Math.round(scale * 100)}%</output>
          <button type="button" onClick={() => change(zoomIn)} aria-label="Zoom in"
                  title="Zoom in (Ctrl +)" disabled={!size}>+</button>
          <button type="button" onClick={() => setZoom("fit")} aria-pressed={zoom === "fit"}
                  title="Fit the page to the width (Ctrl 0)">Fit</button>
        </div>
        <div className={styles.group} role="group" aria-label="Pages">
          <button type="button" onClick={() => turnTo(page - 1, true)} disabled={page <= 1}
                  aria-label="Previous page" title="Previous page (Page Up)">‹</button>
          <span className={styles.pageText} aria-live="polite" data-testid="notation-page">
            {pageText}</span>
          <button type="button" onClick={() => turnTo(page + 1, true)}
                  disabled={pages === null || page >= pages} aria-label="Next page"
                  title="Next page (Page Down)">›</button>
        </div>
        {!compact && (
          <button type="button" aria-pressed={lightPaper}
                  onClick={() => setLightPaper((light) => !light)}>Light paper</button>
        )}
      </div>
      <div ref={viewport} className={`${styles.viewport} ${lightPaper ? styles.light : ""}`}
           tabIndex={0} role="region" aria-label={`Notation of ${nameOf(track)}`}
           aria-busy={image.kind === "loading"}>
        {image.kind === "idle" && <p className="muted">No tracks to show.</p>}
        {image.kind === "loading" && !shown && (
          <p className="muted" role="status">Drawing the notation…</p>)}
        {image.kind === "error" && (
          <div role="alert" className={styles.message}>
            <p className="error">{image.message}</p>
            {page > 1 && <button type="button" onClick={() => turnTo(1, true)}>Back to page 1</button>}
          </div>
        )}
        {shown && (
          <img src={shown.url} className={styles.image} data-testid="notation-image"
               alt={`Notation of ${shownText}`}
               style={zoom === "fit" || width === null ? undefined
                 : { width: `${width}px`, maxWidth: "none" }} />
        )}
      </div>
    </div>
  );
}
