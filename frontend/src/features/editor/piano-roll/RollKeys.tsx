/** The piano keys beside the grid (decorative: the notes carry their names). */
import { memo } from "react";

import { pitchToY } from "@/lib/geometry";
import { noteName } from "@/lib/gm";

import { BLACK_PITCHES, C_PITCHES, HEIGHT, KEYS, PITCH_VIEW, ROW } from "./layout";
import styles from "./PianoRoll.module.css";

export const RollKeys = memo(function RollKeys() {
  return (
    <svg className={styles.keys} width={KEYS} height={HEIGHT} aria-hidden>
      <rect x={0} y={0} width={KEYS} height={HEIGHT} className={styles.whiteKey} />
      {C_PITCHES.map((p) => (
        <line key={p} x1={0} x2={KEYS} y1={pitchToY(p, PITCH_VIEW) + ROW - 0.5}
              y2={pitchToY(p, PITCH_VIEW) + ROW - 0.5} className={styles.keyOctave} />
      ))}
      {BLACK_PITCHES.map((p) => (
        <rect key={p} x={0} y={pitchToY(p, PITCH_VIEW) + 1} width={KEYS * 0.6}
              height={ROW - 2} rx={2} className={styles.blackKey} />
      ))}
      {C_PITCHES.map((p) => (
        <text key={p} x={KEYS - 4} y={pitchToY(p, PITCH_VIEW) + ROW - 3}
              className={styles.keyLabel}>{noteName(p)}</text>
      ))}
    </svg>
  );
});
