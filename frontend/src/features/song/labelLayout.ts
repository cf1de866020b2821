/** Chord and section labels that never collide: each label is fitted inside its own span
 * (a chord lasts until the next one), first in full, then in a compact spelling (Δ7 for
 * maj7, ø for m7b5, the slash bass dropped), then cut with an ellipsis, and left empty when
 * not even one letter fits — the full name is always in the tooltip and the accessible
 * name. Widths come from a `measure` function (canvas text metrics in the browser). */

export type Measure = (text: string) => number;

export interface LabelBox {
  /** Left edge and width of the span in pixels. */
  x: number;
  width: number;
  text: string;
}

export interface FittedLabel {
  x: number;
  /** What is drawn ("" when nothing fits). */
  shown: string;
  /** The full text, for the tooltip. */
  full: string;
  width: number;
}

/** Room lost on each side of a block: its 4 px padding and 1 px border (song.module.css). */
export const LABEL_PADDING = 5;

const COMPACT: readonly [RegExp, string][] = [
  [/maj7/g, "Δ7"], [/maj9/g, "Δ9"], [/m7b5/g, "ø"], [/dim7/g, "°7"], [/dim/g, "°"],
  [/aug/g, "+"], [/sus4/g, "sus"], [/mMaj7/g, "mΔ7"],
];

/** A shorter spelling of the same chord symbol (no slash bass, symbols for words). */
export function compactSymbol(symbol: string): string {
  let text = symbol.replace(/\/.*$/, "");
  for (const [pattern, short] of COMPACT) text = text.replace(pattern, short);
  return text;
}

/** The longest start of `text` that fits in `room` with an ellipsis, or "". */
export function ellipsize(text: string, room: number, measure: Measure): string {
  if (measure(text) <= room) return text;
  for (let n = text.length - 1; n >= 1; n--) {
    const cut = `${text.slice(0, n)}…`;
    if (measure(cut) <= room) return cut;
  }
  return "";
}

export function fitLabel(box: LabelBox, measure: Measure, compact = compactSymbol):
    FittedLabel {
  const room = Math.max(0, box.width - 2 * LABEL_PADDING);
  const candidates = [box.text, compact(box.text)];
  const whole = candidates.find((c) => measure(c) <= room);
  const shown = whole ?? ellipsize(candidates[1]!, room, measure);
  return { x: box.x, shown, full: box.text, width: measure(shown) };
}

export function layoutLabels(boxes: readonly LabelBox[], measure: Measure,
                             compact = compactSymbol): FittedLabel[] {
  return boxes.map((box) => fitLabel(box, measure, compact));
}

/** Text width in the browser (canvas metrics, cached per text); an estimate elsewhere. */
export function canvasMeasure(font: string): Measure {
  const cache = new Map<string, number>();
  let context: CanvasRenderingContext2D | null = null;
  try {
    // jsdom has canvas elements without a 2D context (and says so on the console).
    const canvas = typeof document !== "undefined" && !/jsdom/i.test(navigator.userAgent)
      ? document.createElement("canvas") : null;
    context = canvas?.getContext("2d") ?? null;
  } catch {
    context = null;
  }
  if (context) context.font = font;
  return (text) => {
    let width = cache.get(text);
    if (width === undefined) {
      width = context ? context.measureText(text).width : text.length * 7;
      cache.set(text, width);
    }
    return width;
  };
}
