"use client";
/** The brief: a prompt and optional controls → a composition session with live progress;
 * plus the operations on the current score (regenerate or vary a section, continue,
 * reharmonize, restyle), which follow the same session flow. The project keeps its brief:
 * on load the newest composition's prompt and options are back in the form, with the
 * brief as understood below; Generate asks first when it would replace edited music. */
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";

import { useProject, useScore } from "@/features/workspace/state";
import { keyName } from "@/lib/keys";
import { Modal } from "@/ui/Modal";

import styles from "./BriefPanel.module.css";
import { MOODS, STYLES, STYLE_LABELS, type Mood, type Style } from "./choices";
import { SessionProgress } from "./SessionProgress";
import { useComposeSession, type SessionRequest } from "./useComposeSession";
import { editedSinceGeneration, formFromRequest } from "./keptBrief";

const METERS = ["4/4", "3/4", "2/4", "6/8", "12/8", "5/4", "7/8"] as const;
const MAX_PROMPT = 2000;

function intOrNull(value: string, min: number, max: number): number | null | "invalid" {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const number = Number(trimmed);
  if (!Number.isInteger(number) || number < min || number > max) return "invalid";
  return number;
}

export function BriefPanel() {
  const { canEdit, projectId } = useProject();
  const { score } = useScore();
  const { state, start, cancel, lastCompose } = useComposeSession();
  const id = useId();

  const [prompt, setPrompt] = useState("");
  const [style, setStyle] = useState<Style | "">("");
  const [mood, setMood] = useState<Mood | "">("");
  const [key, setKey] = useState("");
  const [tempo, setTempo] = useState("");
  const [meter, setMeter] = useState("");
  const [bars, setBars] = useState("");
  const [instruments, setInstruments] = useState("");
  const [seed, setSeed] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState<SessionRequest | null>(null);
  const [checking, setChecking] = useState(false);

  // The kept brief comes back into the form once, unless the person already typed.
  const keptId = lastCompose?.id;
  useEffect(() => {
    if (!lastCompose || touched) return;
    const kept = formFromRequest(lastCompose.prompt, lastCompose.request);
    setPrompt(kept.prompt);
    setStyle(kept.style as Style | "");
    setMood(kept.mood as Mood | "");
    setKey(kept.key);
    setTempo(kept.tempo);
    setMeter(kept.meter);
    setBars(kept.bars);
    setInstruments(kept.instruments);
  }, [keptId]);  // eslint-disable-line react-hooks/exhaustive-deps -- once per kept session

  const [section, setSection] = useState(0);
  const [amount, setAmount] = useState(35);
  const [extraBars, setExtraBars] = useState("8");
  const [restyle, setRestyle] = useState<Style>("jazz");

  const busy = state.phase === "starting" || state.phase === "running" || checking;
  const sections = score?.sections ?? [];
  const hasNotes = useMemo(() => (score?.tracks ?? []).some((t) => (t.notes ?? []).length > 0),
                           [score]);
  const sectionIndex = Math.min(section, Math.max(0, sections.length - 1));

  const compose = (event: FormEvent) => {
    event.preventDefault();
    if (!canEdit || busy) return;
    const tempoValue = intOrNull(tempo, 30, 300);
    const barsValue = intOrNull(bars, 1, 512);
    const seedValue = intOrNull(seed, 0, 4294967295);
    const names = instruments.split(",").map((name) => name.trim()).filter(Boolean);
    const problems: string[] = [];
    if (tempoValue === "invalid") problems.push("tempo must be a whole number from 30 to 300");
    if (barsValue === "invalid") problems.push("bars must be a whole number from 1 to 512");
    if (seedValue === "invalid") problems.push("the seed must be a whole number ≥ 0");
    if (names.length > 16) problems.push("at most 16 instruments");
    if (key.trim().length > 24) problems.push("the key is at most 24 characters");
    if (!prompt.trim() && !style) problems.push("describe the music or choose a style");
    if (problems.length) {
      setFormError(`Please fix: ${problems.join("; ")}.`);
      return;
    }
    setFormError(null);
    const request: SessionRequest = { prompt: prompt.trim(), operation: "compose" };
    if (style) request.style = style;
    if (mood) request.mood = mood;
    if (key.trim()) request.key = key.trim();
    if (typeof tempoValue === "number") request.tempo = tempoValue;
    if (typeof barsValue === "number") request.bars = barsValue;
    if (typeof seedValue === "number") request.seed = seedValue;
    if (names.length) request.instruments = names;
    if (meter) {
      const [numerator, denominator] = meter.split("/").map(Number);
      request.meter = { numerator, denominator: denominator as 1 | 2 | 4 | 8 | 16 | 32 };
    }
    void generate(request);
  };

  /** A new composition replaces the score: ask first when the score holds edits. */
  const generate = async (request: SessionRequest) => {
    setChecking(true);
    let edited = false;
    try {
      edited = hasNotes && await editedSinceGeneration(projectId);
    } finally {
      setChecking(false);
    }
    if (edited) setConfirming(request);
    else void start(request);
  };
  const edit = <T,>(set: (value: T) => void) => (value: T) => { setTouched(true); set(value); };

  const operate = (request: SessionRequest) => {
    if (!canEdit || busy) return;
    void start({ prompt: "", ...request });
  };

  const extra = intOrNull(extraBars, 1, 64);

  return (
    <section className={styles.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={styles.title}>Brief</h2>
      {!canEdit && <p className={styles.hint} style={{ alignSelf: "auto" }}>Viewers cannot compose.</p>}
      <form className="stack" onSubmit={compose} aria-describedby={formError ? `${id}-form-error`
                                                                    : undefined}>
        <label>
          Describe the music
          <textarea value={prompt} rows={4} maxLength={MAX_PROMPT} disabled={!canEdit}
                    placeholder="a melancholic waltz in D minor for piano and strings, 90 bpm"
                    onChange={(e) => edit(setPrompt)(e.target.value)} />
          <span className={styles.hint}>{prompt.length}/{MAX_PROMPT}</span>
        </label>
        <details className={styles.options}>
          <summary>Options (each wins over the text)</summary>
          <div className={styles.grid}>
            <label>
              Style
              <select value={style} disabled={!canEdit}
                      onChange={(e) => edit(setStyle)(e.target.value as Style | "")}>
                <option value="">From the text</option>
                {STYLES.map((s) => <option key={s} value={s}>{STYLE_LABELS[s]}</option>)}
              </select>
            </label>
            <label>
              Mood
              <select value={mood} disabled={!canEdit}
                      onChange={(e) => edit(setMood)(e.target.value as Mood | "")}>
                <option value="">From the text</option>
                {MOODS.map((m) => <option key={m} value={m}>{m}</option>)}
              </select>
            </label>
            <label>
              Key
              <input value={key} maxLength={24} placeholder="D minor" disabled={!canEdit}
                     onChange={(e) => edit(setKey)(e.target.value)} />
            </label>
            <label>
              Tempo (bpm)
              <input type="number" inputMode="numeric" min={30} max={300} value={tempo}
                     placeholder="90" disabled={!canEdit}
                     onChange={(e) => edit(setTempo)(e.target.value)} />
            </label>
            <label>
              Meter
              <select value={meter} disabled={!canEdit} onChange={(e) => edit(setMeter)(e.target.value)}>
                <option value="">From the text</option>
                {METERS.map((m) => <option key={m} value={m}>{m}</option>)}
              </select>
            </label>
            <label>
              Bars
              <input type="number" inputMode="numeric" min={1} max={512} value={bars}
                     placeholder="32" disabled={!canEdit}
                     onChange={(e) => edit(setBars)(e.target.value)} />
            </label>
            <label className={styles.full}>
              Instruments (comma-separated)
              <input value={instruments} placeholder="piano, strings, upright bass"
                     disabled={!canEdit} onChange={(e) => edit(setInstruments)(e.target.value)} />
            </label>
            <label>
              Seed
              <input type="number" inputMode="numeric" min={0} value={seed} placeholder="7"
                     disabled={!canEdit} onChange={(e) => setSeed(e.target.value)} />
            </label>
          </div>
        </details>
        {formError && <p id={`${id}-form-error`} className="error" role="alert">{formError}</p>}
        <div className="row">
          <button type="submit" className="primary" data-testid="generate"
                  disabled={!canEdit || busy}>
            {busy && state.operation === "compose" ? "Generating…" : "Generate"}
          </button>
          {busy && <button type="button" onClick={() => void cancel()}
                           disabled={!state.session}>Cancel</button>}
        </div>
      </form>

      <SessionProgress state={state} />

      <Modal title="Replace the edited music?" open={confirming !== null}
             onClose={() => setConfirming(null)}>
        <div className="stack" data-testid="confirm-generate">
          <p>The score has changes made since it was last generated. Generating writes a
            new score from this brief and replaces the current one in the workspace.</p>
          <p className="muted">Nothing is lost: the current score stays in History, where
            you can listen to it and restore it.</p>
          <div className="row">
            <button type="button" className="primary" data-testid="confirm-replace"
                    onClick={() => {
                      const request = confirming;
                      setConfirming(null);
                      if (request) void start(request);
                    }}>Replace</button>
            <button type="button" onClick={() => setConfirming(null)}>Cancel</button>
          </div>
        </div>
      </Modal>

      <section className={styles.operations} aria-labelledby={`${id}-ops`}>
        <h3 id={`${id}-ops`} className={styles.subtitle}>Change the current score</h3>
        {!hasNotes && <p className="muted">Generate or import music first.</p>}
        <label>
          Section
          <select value={sectionIndex} disabled={!canEdit || !sections.length}
                  onChange={(e) => setSection(Number(e.target.value))}>
            {sections.length === 0 && <option value={0}>No sections</option>}
            {sections.map((s, index) => (
              <option key={`${s.name}-${index}`} value={index}>
                {s.name} (bars {s.start_bar}–{s.start_bar + s.bars - 1}
                {s.key ? `, in ${keyName(s.key)}` : ""})
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <button type="button" disabled={!canEdit || busy || !sections.length || !hasNotes}
                  onClick={() => operate({ operation: "regenerate", section: sectionIndex })}>
            Regenerate section
          </button>
          <button type="button" disabled={!canEdit || busy || !sections.length || !hasNotes}
                  onClick={() => operate({ operation: "variation", section: sectionIndex,
                                           amount: amount / 100 })}>
            Variation
          </button>
        </div>
        <label>
          Variation amount: {amount}% of the pitches
          <input type="range" min={5} max={100} step={5} value={amount} disabled={!canEdit}
                 onChange={(e) => setAmount(Number(e.target.value))} />
        </label>
        <div className={styles.inline}>
          <label>
            Bars to add
            <input type="number" min={1} max={64} value={extraBars} disabled={!canEdit}
                   className={styles.small} onChange={(e) => setExtraBars(e.target.value)} />
          </label>
          <button type="button"
                  disabled={!canEdit || busy || !hasNotes || typeof extra !== "number"}
                  onClick={() => typeof extra === "number" &&
                    operate({ operation: "continue", extra_bars: extra })}>
            Continue
          </button>
        </div>
        <div className="row">
          <button type="button" disabled={!canEdit || busy || !hasNotes}
                  onClick={() => operate({ operation: "reharmonize" })}>
            Reharmonize
          </button>
        </div>
        <div className={styles.inline}>
          <label>
            New style
            <select value={restyle} disabled={!canEdit}
                    onChange={(e) => setRestyle(e.target.value as Style)}>
              {STYLES.map((s) => <option key={s} value={s}>{STYLE_LABELS[s]}</option>)}
            </select>
          </label>
          <button type="button" disabled={!canEdit || busy || !hasNotes}
                  onClick={() => operate({ operation: "restyle", style: restyle })}>
            Restyle
          </button>
        </div>
      </section>
    </section>
  );
}
