/** A composition session as it runs (steps and progress) and as it ended (the brief as
 * understood, warnings, the validator's verdict). */
import { useId } from "react";

import { Progress } from "@/ui/Progress";

import styles from "./BriefPanel.module.css";
import { label, STEPS, type SessionState } from "./useComposeSession";

export function SessionProgress({ state }: { state: SessionState }) {
  const { phase, stage, percent, message, error, session, operation, via, restored } = state;
  const step = stage === "repair" ? "validate" : stage;
  const current = STEPS.indexOf(step as (typeof STEPS)[number]);
  const name = label(operation);
  const doing = operation === "compose" ? "Composing…" : `${name}…`;
  const status = phase === "idle" ? "Ready"
    : phase === "starting" ? `${name}: starting`
    : phase === "running" ? `${doing} ${stage || "queued"} ${Math.round(percent ?? 0)}%`
    : phase === "done" && restored ? "Last composition (done)"
    : phase === "done" ? `${name} done`
    : `${name} failed`;

  return (
    <div className={styles.session}>
      <p className={styles.status} role="status" data-testid="session-status" data-phase={phase}
         data-restored={restored ? "true" : undefined}>{status}</p>
      {phase === "running" && restored && (
        <p className={styles.hint}>A composition started before this page opened is still
          running: its music appears here when it is done.</p>
      )}
      {(phase === "starting" || phase === "running") && (
        <>
          <Progress label={stage === "repair" ? "Repairing bars the validator flagged"
                           : message || "Composing"}
                    percent={phase === "starting" ? null : percent} />
          <ol className={styles.steps} aria-label="Steps">
            {STEPS.map((s, index) => {
              const done = index < current;
              const now = index === current;
              return (
                <li key={s} className={done ? styles.done : now ? styles.now : undefined}
                    aria-current={now ? "step" : undefined}>
                  <span aria-hidden="true">{done ? "✓" : now ? "▶" : "○"}</span> {s}
                  <span className="sr-only">{done ? " (done)" : now ? " (running)" : ""}</span>
                </li>
              );
            })}
          </ol>
          {via === "polling" && <p className={styles.hint}>Live updates unavailable; checking
            every second.</p>}
        </>
      )}
      {phase === "failed" && error && <p className="error" role="alert">{error}</p>}
      {phase === "done" && session && <SessionResult session={session} />}
    </div>
  );
}

function SessionResult({ session }: { session: NonNullable<SessionState["session"]> }) {
  const warningsId = useId();
  const brief = (session.brief ?? {}) as {
    style?: string; mood?: string; key?: { tonic?: string; mode?: string }; tempo?: number;
    meter?: { numerator?: number; denominator?: number }; bars?: number;
    instruments?: ({ name?: string } | string)[]; seed?: number;
    understood?: Record<string, string>; form?: { name?: string; bars?: number }[];
  };
  const validation = (session.validation ?? null) as {
    score?: number; errors?: number; warnings?: number; style?: string;
  } | null;
  const instruments = (brief.instruments ?? [])
    .map((i) => typeof i === "string" ? i : i.name ?? "").filter(Boolean);
  const rows: [string, string][] = [];
  if (brief.style) rows.push(["Style", brief.style]);
  if (brief.mood) rows.push(["Mood", brief.mood]);
  if (brief.key) rows.push(["Key", `${brief.key.tonic ?? ""} ${brief.key.mode ?? ""}`.trim()]);
  if (brief.tempo) rows.push(["Tempo", `${brief.tempo} bpm`]);
  if (brief.meter) rows.push(["Meter", `${brief.meter.numerator ?? 4}/${brief.meter.denominator ?? 4}`]);
  if (brief.bars) rows.push(["Bars", String(brief.bars)]);
  if (brief.form?.length) rows.push(["Form", brief.form.map((f) => `${f.name ?? "?"} ${f.bars ?? ""}`)
    .join(", ")]);
  if (instruments.length) rows.push(["Instruments", instruments.join(", ")]);
  if (typeof brief.seed === "number") rows.push(["Seed", String(brief.seed)]);

  return (
    <div className={styles.result}>
      {session.version != null && <p className="muted">Saved as version {session.version}.</p>}
      {rows.length > 0 && (
        <>
          <h3 className={styles.subtitle} data-testid="brief-understood">Brief as understood</h3>
          <dl className={styles.facts}>
            {rows.map(([term, value]) => (
              <div key={term}><dt>{term}</dt><dd>{value}</dd></div>
            ))}
          </dl>
        </>
      )}
      {session.warnings.length > 0 && (
        <>
          <h3 id={warningsId} className={styles.subtitle}>Warnings</h3>
          <ul className={styles.warnings} aria-labelledby={warningsId}>
            {session.warnings.map((w, index) => <li key={index}>{w}</li>)}
          </ul>
        </>
      )}
      {validation && (
        <p>
          Validator: <strong>{validation.score ?? "?"}/100</strong>
          {typeof validation.errors === "number" && `, ${validation.errors} errors`}
          {typeof validation.warnings === "number" && `, ${validation.warnings} warnings`}
          {validation.style && ` (${validation.style} rules)`}
        </p>
      )}
    </div>
  );
}
