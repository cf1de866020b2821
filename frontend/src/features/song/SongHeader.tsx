"use client";
/** The song's tempo, key, meter and length, edited in the arrangement's header. Numbers are
 * written when the field is left or Enter is pressed (clamped to what the server accepts);
 * selects at once. Shortening the song (fewer bars, a shorter meter) first trims the
 * sections, chords and tempo changes that would fall past the new end, so every write is one
 * the server accepts. Viewers see the same values as text. */
import { useEffect, useId, useState, type KeyboardEvent } from "react";

import type { Score } from "@/api/types";
import type { DocSettings } from "@/features/collab/schema";
import { useNotify, useScoreEdits } from "@/features/workspace/state";
import { barLayout, scoreEnd } from "@/lib/geometry";

import { chordsWithin } from "./chordTimeline";
import { DENOMINATORS, MAX_BARS, MODES, TONICS } from "./keys";
import { MAX_BPM, MIN_BPM, normaliseSections, type SectionMark } from "./sectionTimeline";
import styles from "./song.module.css";

/** What shortening `score` to `bars` bars of `meter` must trim first, or null if nothing. */
export function trimForLength(score: Score, bars: number,
                              meter: { numerator: number; denominator: number }) {
  const end = scoreEnd(barLayout({ ...score, bars, meter }));
  const sections = (score.sections ?? []) as SectionMark[];
  const chords = score.chord_symbols ?? [];
  const tempos = score.tempo_changes ?? [];
  const keptSections = normaliseSections(sections, bars);
  const keptChords = chordsWithin(chords, end);
  const keptTempos = tempos.filter((t) => t.tick < end);
  return {
    sections: JSON.stringify(keptSections) !== JSON.stringify(sections) ? keptSections : null,
    chords: keptChords.length !== chords.length ? keptChords : null,
    tempos: keptTempos.length !== tempos.length ? keptTempos : null,
  };
}

function NumberField({ label, value, min, max, step, integer, testId, onCommit }: {
  label: string; value: number; min: number; max: number; step?: string; integer?: boolean;
  testId: string; onCommit(value: number): void;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const parsed = Number(text);
    if (text.trim() === "" || !Number.isFinite(parsed)) { setText(String(value)); return; }
    const clamped = Math.min(max, Math.max(min, integer ? Math.round(parsed) : parsed));
    setText(String(clamped));
    if (clamped !== value) onCommit(clamped);
  };
  return (
    <input type="number" aria-label={label} title={label} min={min} max={max} step={step ?? "1"}
           value={text} data-testid={testId}
           onChange={(e) => setText(e.target.value)} onBlur={commit}
           onKeyDown={(e: KeyboardEvent) => {
             if (e.key === "Enter") { e.preventDefault(); commit(); }
             if (e.key === "Escape") setText(String(value));
           }} />
  );
}

export function SongHeader({ score, canEdit }: { score: Score; canEdit: boolean }) {
  const { updateSettings, setSections, setChordSymbols, setTempoChanges } = useScoreEdits();
  const notify = useNotify();
  const id = useId();
  const tempo = Math.round((score.tempo ?? 120) * 100) / 100;
  const tonic = score.key?.tonic ?? "C";
  const mode = score.key?.mode ?? "major";
  const numerator = score.meter?.numerator ?? 4;
  const denominator = score.meter?.denominator ?? 4;
  const bars = score.bars ?? 8;

  if (!canEdit) {
    return (
      <span className={styles.readOnly} data-testid="song-summary">
        {bars} bars · {Math.round(tempo)} bpm · {numerator}/{denominator} · {tonic} {mode}
      </span>
    );
  }

  const save = async (patch: Partial<DocSettings>) => {
    const nextBars = patch.bars ?? bars;
    const meter = { numerator: patch.meter_numerator ?? numerator,
                    denominator: patch.meter_denominator ?? denominator };
    const trim = trimForLength(score, nextBars, meter);
    let ok = true;
    if (trim.sections) ok = await setSections(trim.sections);
    if (ok && trim.chords) ok = await setChordSymbols(trim.chords);
    if (ok && trim.tempos) ok = await setTempoChanges(trim.tempos);
    if (ok) ok = await updateSettings(patch);
    if (ok && (trim.sections || trim.chords || trim.tempos)) {
      notify("Sections, chords or tempo changes past the new end were removed.");
    }
  };

  return (
    <div className={styles.header} role="group" aria-label="Song settings">
      <label>Tempo
        <NumberField label="Song tempo (bpm)" value={tempo} min={MIN_BPM} max={MAX_BPM} step="any"
                     testId="song-tempo" onCommit={(v) => void save({ tempo: v })} />
      </label>
      <label htmlFor={`${id}-tonic`}>Key</label>
      <select id={`${id}-tonic`} aria-label="Song key" value={tonic} data-testid="song-tonic"
              onChange={(e) => void save({ tonic: e.target.value })}>
        {[...new Set([tonic, ...TONICS])].map((t) => <option key={t}>{t}</option>)}
      </select>
      <select aria-label="Song mode" value={mode} data-testid="song-mode"
              onChange={(e) => void save({ mode: e.target.value })}>
        {MODES.map((m) => <option key={m}>{m}</option>)}
      </select>
      <label>Meter
        <NumberField label="Song beats per bar" value={numerator} min={1} max={32} integer
                     testId="song-meter-numerator"
                     onCommit={(v) => void save({ meter_numerator: v })} />
      </label>
      <select aria-label="Song beat unit" value={denominator} data-testid="song-meter-denominator"
              onChange={(e) => void save({ meter_denominator: Number(e.target.value) })}>
        {DENOMINATORS.map((d) => <option key={d} value={d}>/{d}</option>)}
      </select>
      <label>Bars
        <NumberField label="Song length (bars)" value={bars} min={1} max={MAX_BARS} integer testId="song-bars"
                     onCommit={(v) => void save({ bars: v })} />
      </label>
    </div>
  );
}
