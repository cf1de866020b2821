"use client";
/** A version compared with the current score: per track a small piano roll of the notes
 * that differ (green: only in the current score, red: only in the version, amber: moved
 * or changed, at their current place), and the song's other changes in words. */
import { useEffect, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import { useProject, useScore } from "@/features/workspace/state";

import {
  type Comparison, type TrackChanges, describeField, lastTick, noteCounts, rollOf, songChanges,
} from "./diff";
import styles from "./History.module.css";

const CHANGE_WORDS: Record<TrackChanges["change"], string> = {
  added: "added since", removed: "removed since", changed: "changed",
};

export function CompareView({ number, onClose }: { number: number; onClose(): void }) {
  const { projectId } = useProject();
  const { score } = useScore();
  const songEnd = score ? lastTick(score.tracks) : 0;
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setComparison(null);
    setError(null);
    void api.GET("/api/v1/projects/{project_id}/versions/{number}/compare", {
      params: { path: { project_id: projectId, number }, query: { with: "current" } },
    }).then((answer) => {
      if (!live) return;
      if (answer.data) setComparison(answer.data);
      else setError(describeError(errorOf(answer.error, answer.response.status)));
    });
    return () => { live = false; };
  }, [projectId, number]);

  const song = comparison ? songChanges(comparison) : [];
  return (
    <section className={styles.compare} aria-label={`Version ${number} compared with the current score`}
             data-testid="version-compare">
      <div className="row">
        <h3>Version {number} → current score</h3>
        <button type="button" onClick={onClose}>Close comparison</button>
      </div>
      <p className={styles.legend}>
        <span><span className={`${styles.swatch} ${styles.added}`} />only in the current score</span>
        <span><span className={`${styles.swatch} ${styles.removed}`} />only in version {number}</span>
        <span><span className={`${styles.swatch} ${styles.changed}`} />changed (shown where it is now)</span>
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {!comparison && !error && <p className="muted" role="status">Comparing…</p>}
      {comparison && comparison.tracks.length === 0 && song.length === 0 && (
        <p className="muted">No differences: this version is the current score.</p>
      )}
      {song.length > 0 && (
        <ul className={styles.song} aria-label="Song changes">
          {song.map((line) => <li key={line}>{line}</li>)}
        </ul>
      )}
      {comparison && comparison.tracks.length > 0 && (
        <ul className={styles.tracks}>
          {comparison.tracks.map((track) => (
            <TrackDiff key={track.track_id} track={track} number={number} songEnd={songEnd} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TrackDiff({ track, number, songEnd }: {
  track: TrackChanges; number: number; songEnd: number;
}) {
  const roll = rollOf(track, songEnd);
  const width = 1000;
  const height = 72;
  const words = track.change === "changed" ? "changed" : `${CHANGE_WORDS[track.change]} version ${number}`;
  return (
    <li className={styles.track} data-testid="compare-track" data-track-id={track.track_id}>
      <div className={styles.trackHead}>
        <strong>{track.name}</strong>
        <span className="badge">{words}</span>
        <span className="muted">{noteCounts(track)}</span>
      </div>
      {track.fields.length > 0 && (
        <span className="muted">{track.fields.map(describeField).join(" · ")}</span>
      )}
      {roll.notes.length > 0 && (
        <svg className={styles.roll} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none"
             role="img" aria-label={`${track.name}: ${noteCounts(track)}`}>
          {roll.notes.map((n) => (
            <rect key={`${n.kind}-${n.id}`} className={styles[n.kind]} data-kind={n.kind}
                  data-note-id={n.id} data-pitch={n.pitch} data-start={n.start}
                  x={n.x * width} y={n.y * height}
                  width={Math.max(3, n.width * width)} height={Math.max(2, n.height * height)}>
              <title>{`${n.kind}: pitch ${n.pitch}, tick ${n.start}`}</title>
            </rect>
          ))}
        </svg>
      )}
    </li>
  );
}
