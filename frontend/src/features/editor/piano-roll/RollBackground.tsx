/** The grid behind the notes: black-key rows, octave lines, bar/beat/grid lines, and the
 * shaded part past the score's end. */
import { memo, useMemo } from "react";

import { gridLines, pitchToY, type Bar, type GridDivision } from "@/lib/geometry";

import { BLACK_PITCHES, C_PITCHES, HEIGHT, PITCH_VIEW, ROW } from "./layout";
import styles from "./PianoRoll.module.css";

export const RollBackground = memo(function RollBackground({ bars, division, ppt, width,
                                                             end }: {
  bars: readonly Bar[]; division: GridDivision; ppt: number; width: number; end: number;
}) {
  const lines = useMemo(() => gridLines(bars, division), [bars, division]);
  const paths = useMemo(() => {
    const d = { bar: "", beat: "", sub: "" };
    for (const line of lines) {
      const x = Math.round(line.tick * ppt) + 0.5;
      d[line.kind] += `M${x} 0V${HEIGHT}`;
    }
    return d;
  }, [lines, ppt]);
  return (
    <>
      {BLACK_PITCHES.map((p) => (
        <rect key={p} x={0} y={pitchToY(p, PITCH_VIEW)} width={width} height={ROW}
              className={styles.blackRow} />
      ))}
      {C_PITCHES.map((p) => (
        <line key={p} x1={0} x2={width} y1={pitchToY(p, PITCH_VIEW) + ROW - 0.5}
              y2={pitchToY(p, PITCH_VIEW) + ROW - 0.5} className={styles.octaveLine} />
      ))}
      <path d={paths.sub} className={styles.subLine} />
      <path d={paths.beat} className={styles.beatLine} />
      <path d={paths.bar} className={styles.barLine} />
      <rect x={end * ppt} y={0} width={Math.max(0, width - end * ppt)} height={HEIGHT}
            className={styles.pastEnd} />
    </>
  );
});
