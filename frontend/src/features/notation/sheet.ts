/** The pure arithmetic of the score viewer: zoom steps, the engraving's own size, which
 * bars a page holds (from the X-Page-* headers) and which page holds a bar. */

/** Zoom levels the buttons and ctrl +/- step through; 1 = the engraving's natural size. */
export const ZOOM_STEPS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;
export const MIN_ZOOM = ZOOM_STEPS[0];
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
/** CSS pixels per Verovio unit at zoom 1: a 2100-unit wide page is 1050 px. */
export const PX_PER_UNIT = 0.5;

export function zoomIn(zoom: number): number {
  return ZOOM_STEPS.find((step) => step > zoom + 1e-6) ?? MAX_ZOOM;
}

export function zoomOut(zoom: number): number {
  return [...ZOOM_STEPS].reverse().find((step) => step < zoom - 1e-6) ?? MIN_ZOOM;
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

export interface SheetSize { width: number; height: number }

/** The engraving's size from its root `viewBox` (Verovio writes one, no width/height). */
export function viewBoxSize(svg: string): SheetSize | null {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  const box = root && /\bviewBox\s*=\s*["']\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)\s*["']/
    .exec(root);
  if (!box) return null;
  const width = Number(box[3]);
  const height = Number(box[4]);
  return width > 0 && height > 0 ? { width, height } : null;
}

/** The zoom at which a sheet of `width` units fills `containerPx` pixels. */
export function fitZoom(width: number, containerPx: number): number {
  if (width <= 0 || containerPx <= 0) return 1;
  return clampZoom(containerPx / (width * PX_PER_UNIT));
}

export interface PageInfo {
  page: number;
  pages: number;
  firstBar: number;
  lastBar: number;
}

function positive(headers: Headers, name: string): number | null {
  const value = Number(headers.get(name));
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** What the notation endpoint says about the page it answered. */
export function pageInfo(page: number, headers: Headers): PageInfo | null {
  const pages = positive(headers, "X-Page-Count");
  if (pages === null) return null;
  const firstBar = positive(headers, "X-Page-First-Bar") ?? 1;
  const lastBar = positive(headers, "X-Page-Last-Bar") ?? firstBar;
  return { page, pages, firstBar, lastBar };
}

/** Bars per page (every page but the last holds the same number), from any one page. */
export function barsPerPage(info: PageInfo): number {
  if (info.page > 1) return Math.max(1, Math.round((info.firstBar - 1) / (info.page - 1)));
  if (info.pages > 1) return info.lastBar - info.firstBar + 1;
  return Number.POSITIVE_INFINITY;  // one page holds everything
}

/** The page that shows 1-based `bar`. */
export function pageOfBar(bar: number, info: PageInfo): number {
  const perPage = barsPerPage(info);
  if (!Number.isFinite(perPage)) return 1;
  return Math.min(info.pages, Math.max(1, Math.floor((bar - 1) / perPage) + 1));
}
