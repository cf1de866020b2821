/** The colour a track is drawn in: its own, else one for its role, always lightened
 * enough to stand out on the dark workspace (WCAG 2.1 non-text contrast, 3:1 against
 * every workspace surface). Stored colours come from the composer, old projects and
 * other clients, so they are corrected here, where every view reads them. */
const ROLE_COLOURS: Record<string, string> = {
  melody: "#6cb4ff", chords: "#b48cff", bass: "#7ee2a8", drums: "#f5c06b",
  pad: "#ff9ecf", other: "#9fb3c8",
};
const FALLBACK = "#9fb3c8";
/** globals.css --bg, --panel and --panel-2: the surfaces notes and lanes are drawn on. */
export const WORKSPACE_SURFACES = ["#0f1218", "#171c25", "#1e2430"] as const;
export const MIN_CONTRAST = 3;

type Rgb = readonly [number, number, number];

export function parseHex(colour: string): Rgb | null {
  const digits = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim())?.[1];
  if (!digits) return null;
  const hex = digits.length === 3 ? [...digits].map((c) => c + c).join("") : digits;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [first, second] = [luminance(a), luminance(b)];
  return (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05);
}

function worstContrast(colour: Rgb): number {
  return Math.min(...WORKSPACE_SURFACES.map((s) => contrast(colour, parseHex(s)!)));
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

const visible = new Map<string, string>();

/** `colour` mixed with white in small steps until it reaches 3:1 on every surface (the
 * hue stays recognisable: a navy becomes a periwinkle, not a grey). */
export function visibleOnDark(colour: string): string {
  const cached = visible.get(colour);
  if (cached) return cached;
  const rgb = parseHex(colour) ?? parseHex(FALLBACK)!;
  let result = rgb;
  for (let step = 0; step <= 20 && worstContrast(result) < MIN_CONTRAST; step += 1) {
    const t = step / 20;
    result = rgb.map((v) => v + (255 - v) * t) as unknown as Rgb;
  }
  const hex = toHex(result);
  visible.set(colour, hex);
  return hex;
}

export function trackColour(track: { colour?: string | null; role?: string }): string {
  return visibleOnDark(track.colour ?? ROLE_COLOURS[track.role ?? "other"] ?? FALLBACK);
}

export const ROLE_PALETTE: Readonly<Record<string, string>> = ROLE_COLOURS;
