/** The arrangement's ruler: sections, bar numbers and chord symbols; a click seeks to the
 * start of the bar clicked. */
import type { Score } from "@/api/types";
import { barAt, clamp, scoreEnd, type Bar } from "@/lib/geometry";
import { keyName } from "@/lib/keys";

import styles from "./ArrangementView.module.css";

const SECTION_ROW = 18;
const BAR_ROW = 16;
const CHORD_ROW = 18;
const RULER = SECTION_ROW + BAR_ROW + CHORD_ROW;

export function ArrangementRuler({ bars, ppt, width, score, onSeek }: {
  bars: Bar[]; ppt: number; width: number; score: Score;
  onSeek(tick: number): void;
}) {
  const sections = score.sections ?? [];
  const chords = score.chord_symbols ?? [];
  const barStart = (n: number) => bars[n - 1]?.start ?? barAt(bars, scoreEnd(bars)).start;
  const every = Math.max(1, Math.ceil(28 / ((bars[0]?.length ?? 1920) * ppt)));
  return (
    <svg className={styles.ruler} width={width} height={RULER} role="img"
         aria-label={`Bars 1 to ${bars.length}${sections.length ? `; sections: ${
           sections.map((s) => `${s.name} from bar ${s.start_bar}${s.key ? ` in ${keyName(s.key)}`
             : ""}`).join(", ")}` : ""}`}
         onClick={(e) => {
           const rect = e.currentTarget.getBoundingClientRect();
           const tick = (e.clientX - rect.left) / ppt;
           onSeek(barAt(bars, clamp(tick, 0, Math.max(0, scoreEnd(bars) - 1))).start);
         }}>
      {sections.map((section, i) => {
        const x = barStart(section.start_bar) * ppt;
        const x2 = barStart(section.start_bar + section.bars) * ppt;
        return (
          <g key={`${section.name}-${section.start_bar}`}>
            <rect x={x + 1} y={1} width={Math.max(0, x2 - x - 2)} height={SECTION_ROW - 2} rx={3}
                  className={i % 2 ? styles.sectionAlt : styles.section} />
            <text x={x + 5} y={SECTION_ROW - 5} className={styles.sectionText}>
              {x2 - x > 30 ? section.name : section.name.slice(0, 1)}
              {section.key && x2 - x > 90 ? ` · ${keyName(section.key)}` : ""}
            </text>
          </g>
        );
      })}
      {bars.map((bar) => (
        <g key={bar.number} transform={`translate(${bar.start * ppt},${SECTION_ROW})`}>
          <line x1={0.5} x2={0.5} y1={(bar.number - 1) % every ? 10 : 2} y2={BAR_ROW}
                className={styles.rulerTick} />
          {(bar.number - 1) % every === 0
            ? <text x={3} y={11} className={styles.barText}>{bar.number}</text> : null}
        </g>
      ))}
      {chords.map((chord, i) => (
        <text key={`${chord.tick}-${i}`} x={chord.tick * ppt + 2}
              y={SECTION_ROW + BAR_ROW + CHORD_ROW - 5} className={styles.chordText}>
          {chord.symbol}
        </text>
      ))}
    </svg>
  );
}
