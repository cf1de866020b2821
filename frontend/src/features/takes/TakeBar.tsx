"use client";
/** The take bar: while a part is being written, its progress; after any AI operation,
 * "A: before / B: new take" played through the in-browser player, then Keep (dismiss) or
 * Discard (restore the version the operation started from, as a new version). */
import { useCallback, useEffect, useRef, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Score } from "@/api/types";
import { usePlayer } from "@/features/playback/api";
import { useNotify, useProject, useScore } from "@/features/workspace/state";

import styles from "./TakeBar.module.css";
import { useTakes } from "./TakesProvider";
import type { Take } from "./takes";

type Side = "A" | "B";

export function TakeBar() {
  const { run, take, dismissRun } = useTakes();
  const { canEdit } = useProject();
  if (run.phase === "starting" || run.phase === "running") {
    return (
      <div className={styles.bar} role="status" data-testid="part-progress">
        <span className={styles.title}>Writing {run.label}…</span>
        <progress max={100} value={run.percent ?? undefined} aria-label="Progress" />
        <span className="muted">{run.message}</span>
      </div>
    );
  }
  if (run.phase === "failed") {
    return (
      <div className={`${styles.bar} ${styles.failed}`} role="alert" data-testid="part-error">
        <span>Could not write {run.label}: {run.error}</span>
        <button type="button" onClick={dismissRun}>Dismiss</button>
      </div>
    );
  }
  if (!take || !canEdit) return null;
  return <TakeChoice key={take.sessionId} take={take} />;
}

function TakeChoice({ take }: { take: Take }) {
  const { dismissTake } = useTakes();
  const { projectId, reload } = useProject();
  const { revision } = useScore();
  const notify = useNotify();
  const player = usePlayer();
  const [playing, setPlaying] = useState<Side | null>(null);
  const [busy, setBusy] = useState(false);
  const scores = useRef(new Map<number, Score>());

  useEffect(() => { if (!player.playing) setPlaying(null); }, [player.playing]);

  const versionScore = useCallback(async (number: number): Promise<Score | null> => {
    const cached = scores.current.get(number);
    if (cached) return cached;
    const answer = await api.GET("/api/v1/projects/{project_id}/versions/{number}", {
      params: { path: { project_id: projectId, number } },
    }).catch(() => null);
    if (!answer?.data) return null;
    scores.current.set(number, answer.data.score);
    return answer.data.score;
  }, [projectId]);

  const play = async (side: Side) => {
    if (playing === side) {
      player.stop();
      setPlaying(null);
      return;
    }
    const score = await versionScore(side === "A" ? take.before : take.after);
    if (!score) {
      notify(`Version ${side === "A" ? take.before : take.after} could not be loaded.`, "error");
      return;
    }
    player.stop();
    setPlaying(side);
    await player.play({ fromTick: 0 }, score);
  };

  const keep = () => {
    player.stop();
    dismissTake();
  };

  const discard = async () => {
    setBusy(true);
    player.stop();
    const answer = await api.POST("/api/v1/projects/{project_id}/versions/{number}/restore", {
      params: { path: { project_id: projectId, number: take.before } },
      body: { revision },
    }).catch(() => null);
    setBusy(false);
    if (!answer?.data) {
      notify(describeError(errorOf(answer?.error, answer?.response.status)), "error");
      return;
    }
    dismissTake();
    notify(`Take discarded: the score is version ${take.before} again.`);
    await reload();
  };

  const edited = revision !== take.after;
  return (
    <section className={styles.bar} aria-label="Take" data-testid="take-bar">
      <span className={styles.title}>{take.title}</span>
      <div className={styles.group} role="group" aria-label="Listen to the takes">
        <button type="button" aria-pressed={playing === "A"} data-testid="take-play-a"
                onClick={() => void play("A")}>
          {playing === "A" ? "■" : "▶"} A: before
        </button>
        <button type="button" aria-pressed={playing === "B"} data-testid="take-play-b"
                onClick={() => void play("B")}>
          {playing === "B" ? "■" : "▶"} B: new take
        </button>
      </div>
      {edited ? <span className="muted">edited since</span> : null}
      <div className={styles.group}>
        <button type="button" className="primary" onClick={keep} disabled={busy}
                data-testid="take-keep">Keep</button>
        <button type="button" onClick={() => void discard()} disabled={busy}
                data-testid="take-discard"
                title={edited ? `Restores version ${take.before}: later edits go too (they stay `
                  + "in the history)" : `Restores version ${take.before}`}>
          Discard
        </button>
      </div>
    </section>
  );
}
