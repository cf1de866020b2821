"use client";
/** The Originality tab: does this song resemble a known tune or one of your other songs?
 * "Check originality" compares every 2-, 4- and 8-bar window of the saved song with the
 * reference corpus and your projects (POST /similarity/check): a verdict, the closest
 * matches with the bars side by side, and which bars to vary ("Vary these bars" starts a
 * variation of that section; the result arrives as a take). "Find similar in my projects"
 * and "Search by phrase" (selected notes or a MIDI keyboard) look the other way round. */
import { useCallback, useEffect, useId, useState } from "react";

import { useComposeSession } from "@/features/brief/useComposeSession";
import { useProject, useScore } from "@/features/workspace/state";

import { checkProject, similarityStatus } from "./api";
import { percent, SCOPES, sectionForBar, tooClose } from "./describe";
import { MatchList, ScoreBar } from "./MatchList";
import styles from "./Originality.module.css";
import { PhraseSearch } from "./PhraseSearch";
import { SimilarProjects } from "./SimilarProjects";
import type { CheckResult, Recommendation, Scope, SimilarityStatus } from "./types";

const STATUS_POLL_MS = 15_000;

export function OriginalityPanel() {
  const { projectId } = useProject();
  const { scoreVersion } = useScore();
  const id = useId();
  const [status, setStatus] = useState<SimilarityStatus | null>(null);
  const [scope, setScope] = useState<Scope>("all");
  const [result, setResult] = useState<CheckResult | null>(null);
  const [checkedVersion, setCheckedVersion] = useState<number | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadStatus = useCallback(async () => {
    const answer = await similarityStatus();
    if (answer.ok) setStatus(answer.data);
    return answer.ok ? answer.data : null;
  }, []);

  // The corpus status; while it still loads, asked again now and then.
  useEffect(() => {
    let timer: number | null = null;
    let alive = true;
    const look = async () => {
      const found = await loadStatus();
      if (alive && found && !found.reference.ready) {
        timer = window.setTimeout(() => { void look(); }, STATUS_POLL_MS);
      }
    };
    void look();
    return () => {
      alive = false;
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [loadStatus]);

  const check = async () => {
    setChecking(true);
    setError(null);
    const version = scoreVersion;
    try {
      const answer = await checkProject(projectId, scope);
      if (!answer.ok) {
        setError(answer.error);
        return;
      }
      setResult(answer.data);
      setCheckedVersion(version);
      setStatus((known) => known && {
        ...known, reference: { ...known.reference, ...answer.data.reference } });
    } finally {
      setChecking(false);
    }
  };

  const stale = result !== null && checkedVersion !== scoreVersion;

  return (
    <div className={styles.panel}>
      <CorpusStatus status={status} />
      <section className={styles.block} aria-labelledby={`${id}-check`}>
        <h3 id={`${id}-check`} className={styles.heading}>Check this song</h3>
        <div className={styles.toolbar}>
          <label>
            Compare with
            <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}
                    data-testid="originality-scope">
              {SCOPES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            </select>
          </label>
          <button type="button" className="primary" onClick={() => void check()}
                  disabled={checking} data-testid="check-originality">
            {checking ? "Checking…" : "Check originality"}
          </button>
        </div>
        {checking && <p className="muted" role="status">Comparing every 2, 4 and 8 bars of the
          saved song…</p>}
        {error && <p className="error" role="alert" data-testid="originality-error">{error}</p>}
        {!result && !error && !checking && (
          <p className="muted">Finds melodies in this song that follow a known tune or one of
            your other songs closely: the same steps up and down in the same rhythm, in any
            key or tempo.</p>
        )}
        {result && (
          <CheckReport result={result} stale={stale} onCheckAgain={() => void check()}
                       checking={checking} />
        )}
      </section>
      <SimilarProjects />
      <PhraseSearch />
    </div>
  );
}

function CorpusStatus({ status }: { status: SimilarityStatus | null }) {
  if (!status) return null;
  const { reference } = status;
  return (
    <p className={styles.corpus} data-testid="corpus-status" role="status">
      {reference.ready
        ? `Reference corpus: ${reference.tunes.toLocaleString("en-US")} tunes`
        : `Reference corpus: still loading${reference.tunes
          ? ` (${reference.tunes.toLocaleString("en-US")} tunes so far)` : ""}`}
    </p>
  );
}

function CheckReport({ result, stale, onCheckAgain, checking }: {
  result: CheckResult; stale: boolean; onCheckAgain(): void; checking: boolean;
}) {
  const deciding = tooClose(result);
  return (
    <div className={styles.report} data-testid="originality-report">
      <div className={styles.verdict}>
        <span className={`${styles.badge} ${result.is_safe ? styles.safe : styles.unsafe}`}
              data-testid="originality-badge">
          {result.is_safe ? "Original" : `Too close to ${deciding[0] ?? "a known tune"}${
            deciding.length > 1 ? ` and ${deciding.length - 1} more` : ""}`}
        </span>
        <span className="muted">
          Closest melody {percent(result.score)}; a melody of 4 bars or more at{" "}
          {percent(result.threshold)} or above is too close.
        </span>
      </div>
      <ScoreBar score={result.score} threshold={result.threshold} label="Overall similarity" />
      {!result.reference.ready && (
        <p className={styles.stale}>The reference corpus is still loading: tunes not loaded
          yet were not compared.</p>
      )}
      {stale && (
        <p className={styles.stale}>The song changed since this check.{" "}
          <button type="button" onClick={onCheckAgain} disabled={checking}>Check again</button>
        </p>
      )}
      {result.recommendations.length > 0 && <Recommendations items={result.recommendations} />}
      <h4 className={styles.subheading}>Matches</h4>
      <MatchList matches={result.matches} threshold={result.threshold}
                 label="Matches of this song" />
    </div>
  );
}

function Recommendations({ items }: { items: readonly Recommendation[] }) {
  const { canEdit } = useProject();
  const { score } = useScore();
  const { state, start } = useComposeSession();
  const [asked, setAsked] = useState<string | null>(null);
  const busy = state.phase === "starting" || state.phase === "running";

  const vary = (item: Recommendation) => {
    const section = sectionForBar(score, item.start_bar);
    setAsked(section.name ?? "the whole song");
    void start({ operation: "variation", section: section.index, prompt: "" });
  };

  return (
    <div className={styles.recommendations}>
      <h4 className={styles.subheading}>Suggestions</h4>
      <ul className={styles.plain} aria-label="Suggestions">
        {items.map((item, index) => {
          const section = sectionForBar(score, item.start_bar);
          const last = item.start_bar + item.bars - 1;
          return (
            <li key={index} className={styles.recommendation} data-testid="recommendation">
              <span>{item.message}</span>
              <button type="button" disabled={!canEdit || busy}
                      title={section.name ? `Writes a variation of ${section.name}`
                        : "The song has no sections covering it bar by bar: varies the whole song"}
                      aria-label={`Vary bars ${item.start_bar}–${last}${section.name
                        ? ` (section ${section.name})` : ""}`}
                      onClick={() => vary(item)} data-testid="vary-bars">
                Vary these bars
              </button>
            </li>
          );
        })}
      </ul>
      {!canEdit && <p className="muted">Only owners and editors can vary the song.</p>}
      {asked && state.phase !== "idle" && (
        <p role="status" className={state.phase === "failed" ? "error" : "muted"}
           data-testid="vary-status">
          {state.phase === "failed" ? `The variation failed: ${state.error ?? "unknown error"}`
            : state.phase === "done"
              ? `A variation of ${asked} is ready: listen to it in the take bar, keep it or go back, then check again.`
              : `Writing a variation of ${asked}…${state.percent != null
                ? ` ${Math.round(state.percent)}%` : ""}`}
        </p>
      )}
    </div>
  );
}
