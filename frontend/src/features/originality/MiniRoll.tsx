/** A small piano roll (SVG) of one side of a match: the notes of the matched bars, the
 * aligned ones drawn in the accent colour, the rest faint; beat lines, bar lines. */
import { PPQ } from "@/lib/ticks";

import styles from "./Originality.module.css";
import type { MatchNote } from "./types";

const WIDTH = 240;
const HEIGHT = 84;
const PAD = 2;

export function MiniRoll({ notes, aligned, bars, label, labels, testId }: {
  notes: readonly MatchNote[];
  aligned: ReadonlySet<number>;
  /** How many bars the window spans (0: a phrase without bars). */
  bars: number;
  /** The accessible name: what these notes are. */
  label: string;
  /** Chord symbols (harmony), written under the roll. */
  labels?: readonly string[] | null;
  testId?: string;
}) {
  const end = Math.max(PPQ, ...notes.map((n) => n.start + n.duration));
  const low = Math.min(...notes.map((n) => n.pitch), 127) - 1;
  const high = Math.max(...notes.map((n) => n.pitch), 0) + 1;
  const rows = Math.max(8, high - low + 1);
  const bottom = Math.min(low, high - rows + 1);
  const x = (tick: number) => PAD + (tick / end) * (WIDTH - 2 * PAD);
  const rowHeight = (HEIGHT - 2 * PAD) / rows;
  const y = (pitch: number) => PAD + (bottom + rows - 1 - pitch) * rowHeight;
  const beats = Math.floor(end / PPQ);
  const barTicks = bars > 0 ? Math.max(PPQ, Math.round(end / bars / PPQ) * PPQ) : 0;
  const described = `${label}: ${notes.length} notes, ${aligned.size} aligned`;
  return (
    <figure className={styles.roll}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img"
           aria-label={described} data-testid={testId}>
        <rect x={0} y={0} width={WIDTH} height={HEIGHT} className={styles.rollBack} />
        {Array.from({ length: beats + 1 }, (_, beat) => (
          <line key={`b${beat}`} x1={x(beat * PPQ)} x2={x(beat * PPQ)} y1={0} y2={HEIGHT}
                className={barTicks && (beat * PPQ) % barTicks === 0 ? styles.barLine
                  : styles.beatLine} />
        ))}
        {notes.map((note, index) => (
          <rect key={index} x={x(note.start)} y={y(note.pitch)}
                width={Math.max(2, x(note.start + note.duration) - x(note.start) - 1)}
                height={Math.max(2, rowHeight - 0.5)} rx={1}
                className={aligned.has(index) ? styles.alignedNote : styles.otherNote}
                data-aligned={aligned.has(index) || undefined} />
        ))}
      </svg>
      <figcaption className={styles.rollCaption}>
        {label}{labels && labels.length ? `: ${labels.join(" ")}` : ""}
      </figcaption>
    </figure>
  );
}
