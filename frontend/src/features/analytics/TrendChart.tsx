/** A small SVG chart of one series over days: bars for counts, a line for hours; the
 * largest value and the first/last dates labelled; every point has a title (hover) and the
 * whole chart a text summary for screen readers. */
import type { SeriesPoint } from "./api";

export type Metric = "revisions" | "exports" | "compositions" | "renders" | "collaboration_hours";

const W = 300;
const H = 120;
const PAD = { left: 28, right: 6, top: 10, bottom: 18 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function shortDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso
    : date.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
}

function format(value: number, metric: Metric): string {
  return metric === "collaboration_hours" ? `${value.toFixed(1)} h` : String(value);
}

export function TrendChart({ series, metric, label }: {
  series: SeriesPoint[]; metric: Metric; label: string;
}) {
  const values = series.map((p) => Number(p[metric]) || 0);
  const max = niceMax(Math.max(0, ...values));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, values.length);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const total = values.reduce((a, b) => a + b, 0);
  const peak = values.length ? Math.max(...values) : 0;
  const peakAt = values.indexOf(peak);
  const summary = series.length === 0 ? `${label}: no data`
    : `${label}: ${format(total, metric)} in total over ${
      series.length} days${peak > 0 ? `, most on ${shortDate(series[peakAt]!.date)} (${
        format(peak, metric)})` : ""}.`;
  const line = metric === "collaboration_hours";

  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary}
           data-testid="stats-chart" style={{ display: "block", maxWidth: W }}>
        {(metric !== "collaboration_hours" && max < 2 ? [0, 1] : [0, 0.5, 1]).map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)}
                  stroke="var(--line)" strokeDasharray={f === 0 ? undefined : "2 3"} />
            <text x={PAD.left - 4} y={y(max * f) + 3.5} fontSize="9" textAnchor="end"
                  fill="var(--muted)">{metric === "collaboration_hours" && max < 10
                    ? (max * f).toFixed(1) : Math.round(max * f)}</text>
          </g>
        ))}
        {line ? (
          <>
            <polyline fill="none" stroke="var(--accent)" strokeWidth={1.8}
                      strokeLinejoin="round"
                      points={values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} />
            {values.map((v, i) => v > 0 ? (
              <circle key={i} cx={x(i)} cy={y(v)} r={2.2} fill="var(--accent)">
                <title>{`${shortDate(series[i]!.date)}: ${format(v, metric)}`}</title>
              </circle>
            ) : null)}
          </>
        ) : values.map((v, i) => (
          <rect key={i} x={x(i) - Math.max(1, slot * 0.35)} width={Math.max(2, slot * 0.7)}
                y={y(v)} height={Math.max(0, PAD.top + innerH - y(v))} rx={1}
                fill="var(--accent)" fillOpacity={v > 0 ? 0.85 : 0}>
            <title>{`${shortDate(series[i]!.date)}: ${format(v, metric)}`}</title>
          </rect>
        ))}
        {series.length ? (
          <>
            <text x={PAD.left} y={H - 4} fontSize="9" fill="var(--muted)">
              {shortDate(series[0]!.date)}</text>
            <text x={W - PAD.right} y={H - 4} fontSize="9" fill="var(--muted)" textAnchor="end">
              {shortDate(series[series.length - 1]!.date)}</text>
          </>
        ) : null}
      </svg>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
