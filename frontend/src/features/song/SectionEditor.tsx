"use client";
/** One section's settings in a small panel: its name, its own key (or the song's) and the
 * tempo from its first bar on. */
import { useState, type FormEvent } from "react";

import { keyName } from "@/lib/keys";

import { MODES, TONICS } from "./keys";
import { Popover } from "./Popover";
import { MAX_BPM, MAX_SECTION_NAME, MIN_BPM, type SectionKey,
         type SectionMark } from "./sectionTimeline";
import styles from "./song.module.css";

export interface SectionChanges {
  name: string;
  key: SectionKey | null;
  /** The tempo from the section's start, or null when unchanged. */
  bpm: number | null;
}

const SONG_KEY = "";

export function SectionEditor({ anchor, section, songKey, tempo, onSave, onDelete, onClose }: {
  anchor(): HTMLElement | null; section: SectionMark; songKey: SectionKey; tempo: number;
  onSave(changes: SectionChanges): void; onDelete(): void; onClose(): void;
}) {
  const [name, setName] = useState(section.name);
  const [tonic, setTonic] = useState(section.key?.tonic ?? SONG_KEY);
  const [mode, setMode] = useState(section.key?.mode ?? songKey.mode);
  const [bpm, setBpm] = useState(String(Math.round(tempo * 100) / 100));
  const title = `Section ${section.name}, bars ${section.start_bar} to ${
    section.start_bar + section.bars - 1}`;
  const bpmValue = Number(bpm);
  const bpmValid = bpm.trim() !== "" && bpmValue >= MIN_BPM && bpmValue <= MAX_BPM;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!bpmValid) return;
    onSave({ name: name.trim() || section.name,
             key: tonic === SONG_KEY ? null : { tonic, mode },
             bpm: Math.abs(bpmValue - tempo) > 1e-6 ? bpmValue : null });
  };

  return (
    <Popover anchor={anchor} label={title} onClose={onClose}>
      <form className="stack" onSubmit={submit} aria-label={title}>
        <h4>{title}</h4>
        <label>Name
          <input value={name} maxLength={MAX_SECTION_NAME} autoFocus required
                 data-testid="section-name" onChange={(e) => setName(e.target.value)} />
        </label>
        <div className={styles.fieldRow}>
          <label className={styles.grow}>Key
            <select value={tonic} data-testid="section-tonic"
                    onChange={(e) => setTonic(e.target.value)}>
              <option value={SONG_KEY}>Song&apos;s key ({keyName(songKey)})</option>
              {TONICS.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
          <label>Mode
            <select value={mode} disabled={tonic === SONG_KEY} data-testid="section-mode"
                    onChange={(e) => setMode(e.target.value)}>
              {MODES.map((m) => <option key={m}>{m}</option>)}
            </select>
          </label>
        </div>
        <label>Tempo from bar {section.start_bar} (bpm)
          <input type="number" min={MIN_BPM} max={MAX_BPM} step="any" value={bpm} required
                 data-testid="section-tempo" aria-invalid={bpmValid ? undefined : true}
                 onChange={(e) => setBpm(e.target.value)} />
        </label>
        {!bpmValid ? <p className="error" role="alert">
          A tempo from {MIN_BPM} to {MAX_BPM} bpm.</p> : null}
        <div className={styles.actions}>
          <button type="button" className="danger" onClick={onDelete}>Delete section</button>
          <button type="button" onClick={() => { onClose(); anchor()?.focus(); }}>Cancel</button>
          <button type="submit" className="primary" disabled={!bpmValid}>Save</button>
        </div>
      </form>
    </Popover>
  );
}
