/** "Find similar in my projects": your other projects (and those shared with you) whose
 * melodies come closest to this one, each a link to open it. */
import Link from "next/link";
import { useId, useState } from "react";

import { useProject } from "@/features/workspace/state";

import { similarProjects } from "./api";
import { barsText, percent } from "./describe";
import { ScoreBar } from "./MatchList";
import styles from "./Originality.module.css";
import type { SimilarProject } from "./types";

export function SimilarProjects() {
  const { projectId } = useProject();
  const id = useId();
  const [items, setItems] = useState<SimilarProject[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const find = async () => {
    setLoading(true);
    setError(null);
    try {
      const answer = await similarProjects(projectId);
      if (answer.ok) setItems(answer.data.items);
      else setError(answer.error);
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className={styles.block} aria-labelledby={`${id}-similar`}>
      <h3 id={`${id}-similar`} className={styles.heading}>Similar projects</h3>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => void find()} disabled={loading}
                data-testid="find-similar">
          {loading ? "Looking…" : "Find similar in my projects"}
        </button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {items && items.length === 0 && (
        <p className="muted" data-testid="no-similar">None of your other projects is close.</p>
      )}
      {items && items.length > 0 && (
        <ul className={styles.matches} aria-label="Similar projects">
          {items.map((item) => {
            const best = item.matches[0];
            return (
              <li key={item.project_id} className={styles.match} data-testid="similar-project">
                <div className={styles.matchHead}>
                  <Link href={`/workspace/?project=${item.project_id}`}
                        className={styles.matchTitle}>{item.name || "Untitled project"}</Link>
                  <span className="muted">{percent(item.score)}</span>
                </div>
                <ScoreBar score={item.score} threshold={1} label={`Similarity to ${item.name}`} />
                {best && <p className={styles.where}>Closest: {barsText(best)}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
