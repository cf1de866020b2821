/** A read-only picture of the song: sections along the top, one lane per track with its
 * notes as marks, to see where each instrument plays. Nothing here can be edited. */
import type { Score } from "@/api/types";
import { programName } from "@/lib/gm";
import { barToTick } from "@/lib/timing";

import styles from "./ListenPage.module.css";

const WIDTH = 1000;
const LANE = 22;

export function ArrangementOverview({ score }: { score: Score }) {
  const bars = Math.max(1, score.bars ?? 1);
  const end = Math.max(1, barToTick(score, bars + 1));
  const x = (tick: number) => (tick / end) * WIDTH;
  const tracks = (score.tracks ?? []).filter((t) => t.id);
  const sections = score.sections ?? [];
  return (
    <figure className={styles.overview} aria-label="Arrangement overview">
      {sections.length > 0 && (
        <ol className={styles.sections} aria-label="Sections">
          {sections.map((s) => (
            <li key={`${s.name}-${s.start_bar}`} style={{
              left: `${(x(barToTick(score, s.start_bar)) / WIDTH) * 100}%`,
              width: `${((x(barToTick(score, s.start_bar + s.bars))
                          - x(barToTick(score, s.start_bar))) / WIDTH) * 100}%` }}>
              {s.name} <span className="muted">(bars {s.start_bar}–{s.start_bar + s.bars - 1})</span>
            </li>
          ))}
        </ol>
      )}
      <ul className={styles.lanes}>
        {tracks.map((track) => {
          const notes = track.notes ?? [];
          const instrument = track.is_drum ? "Drum kit" : programName(track.program ?? 0);
          return (
            <li key={track.id} className={styles.lane}>
              <span className={styles.laneName}>
                <strong>{track.name || track.id}</strong>
                <span className="muted">{instrument} · {notes.length} notes</span>
              </span>
              <svg viewBox={`0 0 ${WIDTH} ${LANE}`} preserveAspectRatio="none"
                   className={styles.laneNotes} role="img"
                   aria-label={`${track.name || track.id}: ${notes.length} notes over ${bars} bars`}>
                {notes.map((n) => (
                  <rect key={n.id ?? `${n.start}-${n.pitch}`} x={x(n.start)} y={
                    track.is_drum ? 4 : LANE - 3 - ((n.pitch % 24) / 24) * (LANE - 6)}
                        width={Math.max(2, x(n.duration))} height={3} rx={1} />
                ))}
              </svg>
            </li>
          );
        })}
      </ul>
      <figcaption className="muted">{bars} bars · {score.tempo ?? 120} bpm</figcaption>
    </figure>
  );
}
