/** The bar ruler above the grid, with the playhead's cap; a click places the playhead. */
import type { Bar } from "@/lib/geometry";

import { RULER } from "./layout";
import styles from "./PianoRoll.module.css";

export function RollRuler({ bars, ppt, width, playheadTick, onSeek }: {
  bars: readonly Bar[]; ppt: number; width: number; playheadTick: number | null;
  /** Called with the x clicked, in pixels from the ruler's left edge. */
  onSeek(x: number): void;
}) {
  return (
    <svg className={styles.ruler} width={width} height={RULER} role="presentation"
         data-testid="roll-ruler"
         onClick={(e) => onSeek(e.clientX - e.currentTarget.getBoundingClientRect().left)}>
      {bars.map((bar) => (
        <g key={bar.number} transform={`translate(${bar.start * ppt},0)`}>
          <line x1={0.5} x2={0.5} y1={8} y2={RULER} className={styles.rulerTick} />
          {bar.length * ppt > 18 || bar.number % 4 === 1
            ? <text x={4} y={14} className={styles.rulerText}>{bar.number}</text> : null}
        </g>
      ))}
      {playheadTick !== null
        ? <path d={`M${playheadTick * ppt - 5} 0h10l-5 7z`} className={styles.playheadCap} />
        : null}
    </svg>
  );
}
