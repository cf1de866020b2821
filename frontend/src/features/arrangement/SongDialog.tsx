/** The song's settings: tempo, key, meter and length, its sections and chord symbols. Only
 * what was changed is written (live: into the shared document, so someone else's concurrent
 * change of another setting is kept). */
import { useEffect, useState, type FormEvent } from "react";

import type { Score } from "@/api/types";
import type { ChordEvent, DocSettings, SectionEvent } from "@/features/collab/schema";
import { DENOMINATORS, MODES, TONICS } from "@/features/song/keys";
import { Modal } from "@/ui/Modal";

export interface SongChanges {
  settings: Partial<DocSettings>;
  sections: SectionEvent[] | null;
  chords: ChordEvent[] | null;
}

function settingsOf(score: Score): DocSettings {
  return {
    tempo: score.tempo ?? 120, tonic: score.key?.tonic ?? "C", mode: score.key?.mode ?? "major",
    meter_numerator: score.meter?.numerator ?? 4, meter_denominator: score.meter?.denominator ?? 4,
    bars: score.bars ?? 8,
  };
}

/** "name start bars" per line, e.g. "Chorus 9 8". */
function sectionsText(score: Score): string {
  return (score.sections ?? []).map((s) => `${s.name} ${s.start_bar} ${s.bars}`).join("\n");
}
/** "tick symbol" per line, e.g. "1920 Am7". */
function chordsText(score: Score): string {
  return (score.chord_symbols ?? []).map((c) => `${c.tick} ${c.symbol}`).join("\n");
}

function parseSections(text: string, score: Score): SectionEvent[] | string {
  const keys = new Map((score.sections ?? []).map((s) => [s.start_bar, s.key ?? null]));
  const sections: SectionEvent[] = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const match = line.match(/^(.+?)\s+(\d+)\s+(\d+)$/);
    if (!match) return `"${line}": write a name, the first bar and the number of bars.`;
    const start = Number(match[2]);
    const key = keys.get(start);
    sections.push({ name: match[1]!, start_bar: start, bars: Number(match[3]),
                    key: key ? { tonic: key.tonic ?? "C", mode: key.mode ?? "major" } : null });
  }
  return sections;
}

function parseChords(text: string): ChordEvent[] | string {
  const chords: ChordEvent[] = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const match = line.match(/^(\d+)\s+(\S+)$/);
    if (!match) return `"${line}": write the tick and the chord symbol.`;
    chords.push({ tick: Number(match[1]), symbol: match[2]! });
  }
  return chords;
}

export function SongDialog({ open, score, busy, onClose, onSave }: {
  open: boolean; score: Score; busy: boolean; onClose(): void;
  onSave(changes: SongChanges): void;
}) {
  const [draft, setDraft] = useState(() => settingsOf(score));
  const [sections, setSections] = useState(() => sectionsText(score));
  const [chords, setChords] = useState(() => chordsText(score));
  const [problem, setProblem] = useState<string | null>(null);
  // Each opening starts from the song as it is now (others may have changed it).
  useEffect(() => {
    if (!open) return;
    setDraft(settingsOf(score));
    setSections(sectionsText(score));
    setChords(chordsText(score));
    setProblem(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on opening
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const before = settingsOf(score);
    const settings: Partial<DocSettings> = {};
    for (const key of Object.keys(before) as (keyof DocSettings)[]) {
      if (draft[key] !== before[key]) Object.assign(settings, { [key]: draft[key] });
    }
    const parsedSections = sections === sectionsText(score) ? null
      : parseSections(sections, score);
    const parsedChords = chords === chordsText(score) ? null : parseChords(chords);
    if (typeof parsedSections === "string" || typeof parsedChords === "string") {
      setProblem(typeof parsedSections === "string" ? parsedSections : parsedChords as string);
      return;
    }
    onSave({ settings, sections: parsedSections, chords: parsedChords });
  };
  const set = <K extends keyof DocSettings>(key: K, value: DocSettings[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  return (
    <Modal title="Song settings" open={open} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <label>Tempo (bpm)
            <input type="number" min={10} max={1000} step="any" value={draft.tempo} required
                   onChange={(e) => set("tempo", Number(e.target.value))} />
          </label>
          <label>Bars
            <input type="number" min={1} max={1000} value={draft.bars} required
                   onChange={(e) => set("bars", Math.round(Number(e.target.value)))} />
          </label>
        </div>
        <div className="row">
          <label>Key
            <select value={draft.tonic} onChange={(e) => set("tonic", e.target.value)}>
              {[...new Set([draft.tonic, ...TONICS])].map((t) => <option key={t}>{t}</option>)}
            </select>
          </label>
          <label>Mode
            <select value={draft.mode} onChange={(e) => set("mode", e.target.value)}>
              {MODES.map((m) => <option key={m}>{m}</option>)}
            </select>
          </label>
        </div>
        <div className="row">
          <label>Beats per bar
            <input type="number" min={1} max={32} value={draft.meter_numerator} required
                   onChange={(e) => set("meter_numerator", Math.round(Number(e.target.value)))} />
          </label>
          <label>Beat unit
            <select value={draft.meter_denominator}
                    onChange={(e) => set("meter_denominator", Number(e.target.value))}>
              {DENOMINATORS.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </label>
        </div>
        <label>Sections (one per line: name, first bar, bars)
          <textarea rows={4} value={sections} onChange={(e) => setSections(e.target.value)} />
        </label>
        <label>Chord symbols (one per line: tick, symbol)
          <textarea rows={4} value={chords} onChange={(e) => setChords(e.target.value)} />
        </label>
        {problem ? <p className="error" role="alert">{problem}</p> : null}
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Save</button>
        </div>
      </form>
    </Modal>
  );
}
