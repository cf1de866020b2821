"use client";
/** Music theory check: POST /validate, the 0–100 summary and the violations; clicking one
 * highlights its notes and scrolls the editors there. The rules are the project's style
 * (what it was composed in) unless the person picks another; the report says which. */
import { useEffect, useId, useMemo, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { ValidationReport, Violation } from "@/api/types";
import { useProject, useScore, useSelection } from "@/features/workspace/state";
import { barBeatToTick } from "@/lib/timing";

import {
  describeIdioms, describeStyleUsed, loadStyleChoice, saveStyleChoice, type StyleChoice,
  VALIDATION_STYLES,
} from "./styleChoice";
import styles from "./TheoryPanel.module.css";

type SeverityFilter = "all" | "error" | "warning" | "info";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function TheoryPanel() {
  const { projectId } = useProject();
  const { score, scoreVersion } = useScore();
  const { highlight } = useSelection();
  const id = useId();
  const [style, setStyle] = useState<StyleChoice>(() => loadStyleChoice(projectId));
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [checkedVersion, setCheckedVersion] = useState<number | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<SeverityFilter>("all");
  const [active, setActive] = useState<number | null>(null);

  useEffect(() => { setActive(null); }, [report]);

  const validate = async () => {
    setRunning(true);
    setError(null);
    const version = scoreVersion;
    // try/finally: a request that throws (network failure) must not leave "Checking…" on.
    try {
      const answer = await api.POST("/api/v1/projects/{project_id}/validate", {
        params: { path: { project_id: projectId } }, body: style ? { style } : {},
      });
      if (!answer.data) {
        setError(describeError(errorOf(answer.error, answer.response.status)));
        return;
      }
      setReport(answer.data);
      setCheckedVersion(version);
    } catch {
      setError(describeError(errorOf(undefined)));
    } finally {
      setRunning(false);
    }
  };

  const trackNames = useMemo(() => new Map((score?.tracks ?? []).map((t) => [t.id, t.name])),
                             [score]);
  const shown = useMemo(() => (report?.violations ?? []).map((v, index) => ({ v, index }))
    .filter(({ v }) => filter === "all" || v.severity === filter), [report, filter]);

  const jump = (violation: Violation, index: number) => {
    setActive(index);
    let tick = violation.tick ?? undefined;
    if (tick === undefined && violation.bar != null && score) {
      tick = barBeatToTick(score, violation.bar, violation.beat ?? 1);
    }
    highlight(violation.note_ids ?? [], violation.track_id ?? null, tick);
  };

  const stale = report !== null && checkedVersion !== scoreVersion;
  const counts = report?.counts ?? {};

  return (
    <div className={styles.panel}>
      <div className={styles.toolbar}>
        <label>
          Rules of
          <select value={style} data-testid="theory-style" onChange={(e) => {
            const choice = e.target.value as StyleChoice;
            setStyle(choice);
            saveStyleChoice(projectId, choice);
          }}>
            <option value="">
              {report?.project_style ? `the project's style (${report.project_style})`
                : "the project's style"}
            </option>
            {VALIDATION_STYLES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <button type="button" className="primary" data-testid="validate"
                onClick={() => void validate()} disabled={running || !score}>
          {running ? "Checking…" : "Validate"}
        </button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {!report && !error && <p className="muted">Check the score against the rules of a style:
        notes outside the key, ranges, leaps, parallel fifths and octaves, voice leading,
        progressions, overlaps.</p>}
      {report && (
        <>
          <div className={styles.summary} role="status">
            <span className={styles.score} data-testid="validation-score"
                  style={{ color: report.score >= 85 ? "var(--ok)" : report.score >= 60
                    ? "var(--warn)" : "var(--danger)" }}>
              {report.score}<span className={styles.outOf}>/100</span>
            </span>
            <span>
              {report.total_violations === 0 ? "Nothing to remark." : (
                <>
                  {plural(report.total_violations, "remark")}:{" "}
                  {plural(counts.error ?? 0, "error")}, {plural(counts.warning ?? 0, "warning")},{" "}
                  {plural(counts.info ?? 0, "note")}
                </>
              )}
              <br /><span className="muted" data-testid="theory-style-used">
                {describeStyleUsed(report)}</span>
            </span>
          </div>
          {(report.idioms ?? []).length > 0 && (
            <p className="muted" data-testid="theory-idioms">
              Idiomatic in {report.style}, not flagged: {describeIdioms(report.idioms ?? [])}.
            </p>
          )}
          {stale && <p className={styles.stale}>The score changed since this check.{" "}
            <button type="button" onClick={() => void validate()} disabled={running}>
              Check again</button></p>}
          {report.violations.length > 0 && (
            <fieldset className={styles.filter}>
              <legend className="sr-only">Show</legend>
              {(["all", "error", "warning", "info"] as const).map((f) => (
                <label key={f} className={styles.radio}>
                  <input type="radio" name={`${id}-filter`} value={f} checked={filter === f}
                         onChange={() => setFilter(f)} />
                  {f === "all" ? "All" : f === "error" ? "Errors" : f === "warning"
                    ? "Warnings" : "Info"}
                </label>
              ))}
            </fieldset>
          )}
          <ul className={styles.list} aria-label="Violations">
            {shown.map(({ v, index }) => (
              <li key={index}>
                <button type="button" data-testid="violation"
                        className={`${styles.violation} ${active === index ? styles.active : ""}`}
                        aria-current={active === index ? "true" : undefined}
                        onClick={() => jump(v, index)}>
                  <span className={`${styles.severity} ${styles[v.severity] ?? ""}`}>
                    {v.severity}
                  </span>
                  <span className={styles.where}>
                    {v.bar != null ? `bar ${v.bar}` : "whole piece"}
                    {v.beat != null ? `, beat ${Math.round(v.beat * 100) / 100}` : ""}
                    {v.track_id ? ` · ${trackNames.get(v.track_id) ?? v.track_id}` : ""}
                  </span>
                  <span className={styles.rule}>{v.rule}</span>
                  <span className={styles.message}>{v.message}</span>
                </button>
              </li>
            ))}
          </ul>
          {report.total_violations > report.violations.length && (
            <p className="muted">Showing the first {report.violations.length} of{" "}
              {report.total_violations}.</p>
          )}
        </>
      )}
    </div>
  );
}
