/** The arrangement's bar ruler: bar numbers (thinned out when zoomed far out) and a tick
 * per bar; a click seeks to the start of the bar clicked. Sections and chords have their
 * own editable lanes above and below it (features/song). */
import { barAt, clamp, scoreEnd, type Bar } from "@/lib/geometry";

import styles from "./ArrangementView.module.css";

const RULER = 18;

export function ArrangementRuler({ bars, ppt, width, onSeek }: {
  bars: Bar[]; ppt: number; width: number; onSeek(tick: number): void;
}) {
  const every = Math.max(1, Math.ceil(28 / ((bars[0]?.length ?? 1920) * ppt)));
  return (
    <svg className={styles.ruler} width={width} height={RULER} role="img"
         aria-label={`Bars 1 to ${bars.length}`}
         onClick={(e) => {
           const rect = e.currentTarget.getBoundingClientRect();
           const tick = (e.clientX - rect.left) / ppt;
           onSeek(barAt(bars, clamp(tick, 0, Math.max(0, scoreEnd(bars) - 1))).start);
         }}>
      {bars.map((bar) => (
        <g key={bar.number} transform={`translate(${bar.start * ppt},0)`}>
          <line x1={0.5} x2={0.5} y1={(bar.number - 1) % every ? 10 : 2} y2={RULER}
                className={styles.rulerTick} />
          {(bar.number - 1) % every === 0
            ? <text x={3} y={12} className={styles.barText}>{bar.number}</text> : null}
        </g>
      ))}
    </svg>
  );
}
