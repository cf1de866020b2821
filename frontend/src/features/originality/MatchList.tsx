/** The matches of a check or a phrase search: who it resembles (a reference tune and its
 * licence, or one of your projects), how much (a bar against the threshold), where (your
 * bars ↔ theirs), melody or harmony, the transposition; each opens to the two passages side
 * by side as mini piano rolls with the aligned notes highlighted. */
import Link from "next/link";
import { useId, useState } from "react";

import { alignedNotes, barsText, percent, sourceText, transpositionText } from "./describe";
import { MiniRoll } from "./MiniRoll";
import styles from "./Originality.module.css";
import type { Match } from "./types";

export function MatchList({ matches, threshold, label }: {
  matches: readonly Match[]; threshold: number; label: string;
}) {
  if (!matches.length) return <p className="muted" data-testid="no-matches">No close matches.</p>;
  return (
    <ul className={styles.matches} aria-label={label}>
      {matches.map((match, index) => (
        <MatchItem key={`${match.source.id}-${match.kind}-${index}`} match={match}
                   threshold={threshold} />
      ))}
    </ul>
  );
}

function MatchItem({ match, threshold }: { match: Match; threshold: number }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const source = sourceText(match);
  const close = match.kind === "melody" && match.score >= threshold;
  const harmony = match.kind === "harmony";
  const aligned = open ? alignedNotes(match) : null;
  const projectId = match.source.type === "project" ? match.source.project_id : null;
  return (
    <li className={`${styles.match} ${close ? styles.close : ""}`} data-testid="match"
        data-kind={match.kind}>
      <div className={styles.matchHead}>
        <strong className={styles.matchTitle} data-testid="match-title">{source.title}</strong>
        <span className={`${styles.kind} ${harmony ? styles.harmonyKind : ""}`}>
          {harmony ? "Harmony" : "Melody"}
        </span>
      </div>
      <p className={styles.detail}>
        <span className={styles.detailText} title={source.detail}>{source.detail}</span>
        {projectId && <Link href={`/workspace/?project=${projectId}`}>open</Link>}
      </p>
      <ScoreBar score={match.score} threshold={threshold} muted={harmony}
                label={`${harmony ? "Harmony" : "Melody"} similarity`} />
      <p className={styles.where} data-testid="match-bars">
        {barsText(match)} · {transpositionText(match.transposition ?? 0)}
        {match.query_bars.track_name ? ` · ${match.query_bars.track_name}` : ""}
      </p>
      {harmony && (
        <p className={styles.explain}>
          For information: the same chord progression. Progressions are shared by countless
          songs and never make a song unoriginal on their own.
        </p>
      )}
      {!harmony && match.query_bars.bars > 0 && match.query_bars.bars < 4 && (
        <p className={styles.explain}>
          A short figure ({match.query_bars.bars} bars): reported, but too short to decide.
        </p>
      )}
      <button type="button" className={styles.expand} aria-expanded={open}
              aria-controls={`${id}-bars`} onClick={() => setOpen((o) => !o)}
              data-testid="match-expand">
        {open ? "Hide the bars" : "Compare the bars"}
      </button>
      {open && aligned && (
        <div id={`${id}-bars`} className={styles.sideBySide} data-testid="side-by-side">
          <MiniRoll notes={match.query_notes} aligned={aligned.query} bars={match.query_bars.bars}
                    label={`Yours${spanOf(match.query_bars)}`} labels={match.labels}
                    testId="roll-yours" />
          <MiniRoll notes={match.match_notes} aligned={aligned.match} bars={match.match_bars.bars}
                    label={`${source.title}${spanOf(match.match_bars)}`}
                    testId="roll-theirs" />
        </div>
      )}
    </li>
  );
}

function spanOf(bars: Match["query_bars"]): string {
  if (bars.start_bar <= 0 || bars.bars <= 0) return "";
  return bars.bars === 1 ? `, bar ${bars.start_bar}`
    : `, bars ${bars.start_bar}–${bars.start_bar + bars.bars - 1}`;
}

export function ScoreBar({ score, threshold, muted = false, label }: {
  score: number; threshold: number; muted?: boolean; label: string;
}) {
  const over = score >= threshold;
  return (
    <div className={styles.scoreRow}>
      <div className={styles.bar} role="meter" aria-label={label} aria-valuemin={0}
           aria-valuemax={100} aria-valuenow={Math.round(score * 100)}
           aria-valuetext={`${percent(score)} (threshold ${percent(threshold)})`}>
        <div className={`${styles.fill} ${muted ? styles.fillMuted : over ? styles.fillOver : ""}`}
             style={{ width: percent(score) }} />
        <div className={styles.threshold} style={{ left: percent(threshold) }} aria-hidden />
      </div>
      <span className={styles.scoreValue}>{percent(score)}</span>
    </div>
  );
}
