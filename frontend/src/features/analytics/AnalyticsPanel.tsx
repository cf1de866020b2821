"use client";
/** The Stats tab: how the project has been worked on over the last 7, 30 or 90 days —
 * render time, revisions and versions, collaboration hours, exports by format, compositions
 * and AI operations, the top contributors, and a small chart of one of them per day. */
import { useCallback, useEffect, useState } from "react";

import { useProject, useScore } from "@/features/workspace/state";

import { DAY_CHOICES, loadStats, type ProjectStats } from "./api";
import styles from "./Analytics.module.css";
import { TrendChart, type Metric } from "./TrendChart";

const METRICS: { value: Metric; label: string }[] = [
  { value: "revisions", label: "Revisions" },
  { value: "collaboration_hours", label: "Collaboration hours" },
  { value: "compositions", label: "Compositions" },
  { value: "exports", label: "Exports" },
  { value: "renders", label: "Renders" },
];

const OPERATION_LABELS: Record<string, string> = {
  compose: "Compose", regenerate: "Regenerate", variation: "Variation", continue: "Continue",
  harmonize: "Harmonize", part: "Write a part", arrange: "Arrange",
};

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.floor(minutes)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
}

function hours(value: number): string {
  return value >= 10 ? `${Math.round(value)} h` : `${value.toFixed(1)} h`;
}

function label(operation: string): string {
  return OPERATION_LABELS[operation] ?? operation.replace(/_/g, " ")
    .replace(/^\w/, (c) => c.toUpperCase());
}

export function AnalyticsPanel() {
  const { projectId } = useProject();
  // Refresh when the score changes on the server (a save adds a revision).
  const { scoreVersion } = useScore();
  const [days, setDays] = useState<number>(30);
  const [metric, setMetric] = useState<Metric>("revisions");
  const [stats, setStats] = useState<ProjectStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (signal: { live: boolean }) => {
    setLoading(true);
    const answer = await loadStats(projectId, days);
    if (!signal.live) return;
    setLoading(false);
    if (!answer.ok) { setError(answer.error.message); return; }
    setError(null);
    setStats(answer.value);
  }, [projectId, days]);

  useEffect(() => {
    const signal = { live: true };
    void load(signal);
    return () => { signal.live = false; };
  }, [load, scoreVersion]);

  const operations = Object.entries(stats?.ai_operations ?? {}).filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const aiTotal = operations.reduce((sum, [, n]) => sum + n, 0);
  const formats = Object.entries(stats?.exports.by_format ?? {}).filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const contributors = [...(stats?.contributors ?? [])]
    .sort((a, b) => (b.revisions + b.ai_operations) - (a.revisions + a.ai_operations))
    .slice(0, 8);

  return (
    <div className={styles.stats} data-testid="stats-panel" aria-busy={loading}>
      <div className={styles.head}>
        <h3 className={styles.title}>Project stats</h3>
        <div className={styles.days} role="group" aria-label="Period">
          {DAY_CHOICES.map((d) => (
            <button key={d} type="button" aria-pressed={days === d}
                    onClick={() => setDays(d)}>{d} days</button>
          ))}
        </div>
      </div>
      {error ? (
        <div className="stack" role="alert">
          <p className="error" style={{ margin: 0 }}>Stats could not be loaded: {error}</p>
          <button type="button" onClick={() => void load({ live: true })}>Try again</button>
        </div>
      ) : null}
      {!stats ? (!error ? <p className="muted" role="status">Loading stats…</p> : null) : (
        <>
          <dl className={styles.tiles} data-testid="stats-tiles">
            <Tile label="Revisions" value={stats.revisions} testId="stats-revisions" />
            <Tile label="Versions" value={stats.versions} />
            <Tile label="Render time"
                  value={stats.render.count ? formatSeconds(stats.render.total_seconds) : "–"}
                  note={`${stats.render.count} render${stats.render.count === 1 ? "" : "s"}${
                    stats.render.last_seconds !== null
                      ? ` · last ${formatSeconds(stats.render.last_seconds)}` : ""}`} />
            <Tile label="Collaboration" value={hours(stats.collaboration_hours)}
                  note={`${stats.live_sessions} live session${
                    stats.live_sessions === 1 ? "" : "s"}`} />
            <Tile label="Compositions" value={stats.compositions} />
            <Tile label="AI operations" value={aiTotal} />
            <Tile label="Exports" value={stats.exports.count} />
          </dl>

          <div className={styles.section}>
            <div className={styles.head}>
              <h4 id="stats-chart-title">Per day</h4>
              <label className={styles.metric}>
                <span className="sr-only">Chart shows</span>
                <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)}
                        aria-label="Chart shows">
                  {METRICS.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
                </select>
              </label>
            </div>
            <TrendChart series={stats.series} metric={metric}
                        label={METRICS.find((m) => m.value === metric)?.label ?? metric} />
          </div>

          <div className={styles.section}>
            <h4>AI operations</h4>
            {operations.length ? (
              <div className={styles.chips}>
                {operations.map(([op, n]) => (
                  <span key={op} className="badge">{label(op)} <strong>{n}</strong></span>
                ))}
              </div>
            ) : <p className="muted" style={{ margin: 0 }}>None in this period.</p>}
          </div>

          <div className={styles.section}>
            <h4>Exports by format</h4>
            {formats.length ? (
              <div className={styles.chips}>
                {formats.map(([format, n]) => (
                  <span key={format} className="badge">{format.toUpperCase()} <strong>{n}</strong></span>
                ))}
              </div>
            ) : <p className="muted" style={{ margin: 0 }}>No exports in this period.</p>}
          </div>

          <div className={styles.section}>
            <h4>Top contributors</h4>
            {contributors.length ? (
              <table className={styles.table}>
                <thead>
                  <tr><th scope="col">Who</th><th scope="col">Revisions</th>
                    <th scope="col">AI</th><th scope="col">Live</th></tr>
                </thead>
                <tbody>
                  {contributors.map((c, i) => (
                    <tr key={c.user_id ?? `gone-${i}`}>
                      <td title={c.name}>{c.name}</td><td>{c.revisions}</td>
                      <td>{c.ai_operations}</td><td>{hours(c.collaboration_hours)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : <p className="muted" style={{ margin: 0 }}>Nobody yet in this period.</p>}
          </div>
        </>
      )}
    </div>
  );
}

function Tile({ label, value, note, testId }: { label: string; value: string | number;
                                               note?: string; testId?: string }) {
  return (
    <div className={styles.tile}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}{note ? <small>{note}</small> : null}</dd>
    </div>
  );
}
