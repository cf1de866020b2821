"use client";
/** The song's rows at the top of the arrangement, each with a head that stays in view:
 * sections, the bar ruler (given by the arrangement) and the chord track. Writes go through
 * `useScoreEdits()`, so they work live and through the REST fallback alike; a refused write
 * is reported as a toast by the edit call itself. */
import { useState, type ReactNode } from "react";

import type { Score } from "@/api/types";
import { useNotify, usePlayhead, useScoreEdits } from "@/features/workspace/state";
import { barAt, scoreEnd, type Bar } from "@/lib/geometry";

import { ChordLane } from "./ChordLane";
import { snapToBeat } from "./chordTimeline";
import type { SectionChanges } from "./SectionEditor";
import { SectionLane } from "./SectionLane";
import { addSection, barStartTick, normaliseSections, setSectionKey, setTempoFrom, tempoAt,
         type SectionMark } from "./sectionTimeline";
import styles from "./song.module.css";

export function SongLanes({ score, bars, ppt, width, canEdit, ruler }: {
  score: Score; bars: Bar[]; ppt: number; width: number; canEdit: boolean; ruler: ReactNode;
}) {
  const { setSections, setChordSymbols, setTempoChanges, updateSettings } = useScoreEdits();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const notify = useNotify();
  const [addChord, setAddChord] = useState<{ tick: number; serial: number } | null>(null);
  const [renameNew, setRenameNew] = useState<{ bar: number; serial: number } | null>(null);
  const end = scoreEnd(bars);
  const songBars = bars.length;
  const sections = (score.sections ?? []) as SectionMark[];
  const songKey = { tonic: score.key?.tonic ?? "C", mode: score.key?.mode ?? "major" };
  const tempoChanges = score.tempo_changes ?? [];
  const tempoAtBar = (bar: number) => tempoAt(score.tempo ?? 120, tempoChanges,
                                              barStartTick(score, bar));

  const writeSections = (next: SectionMark[]) =>
    setSections(normaliseSections(next, songBars));

  const saveSection = async (startBar: number, changes: SectionChanges) => {
    const renamed = sections.map((s) => (s.start_bar === startBar ? { ...s, name: changes.name }
      : s));
    const keyed = setSectionKey(renamed, songKey, startBar, changes.key);
    if (typeof keyed === "string") { notify(keyed, "error"); return false; }
    let ok = true;
    if (JSON.stringify(keyed) !== JSON.stringify(sections)) ok = await writeSections(keyed);
    if (ok && changes.bpm !== null) {
      const tick = barStartTick(score, startBar);
      ok = tick === 0 ? await updateSettings({ tempo: changes.bpm })
        : await setTempoChanges(setTempoFrom(tempoChanges, tick, changes.bpm));
    }
    return ok;
  };

  const onAddSection = async () => {
    const from = playheadTick !== null ? barAt(bars, playheadTick).number : 1;
    const next = addSection(sections, songBars, `Section ${sections.length + 1}`, from);
    if (!next) {
      notify("Every bar already belongs to a section: shorten one or add bars first.", "error");
      return;
    }
    const added = next.find((s) => !sections.some((o) => o.start_bar === s.start_bar));
    if (await writeSections(next) && added) {
      setRenameNew({ bar: added.start_bar, serial: Date.now() });
    }
  };

  const onAddChord = () => {
    const at = playheadTick !== null && playheadTick < end ? playheadTick : 0;
    setAddChord({ tick: snapToBeat(bars, at, "floor"), serial: Date.now() });
  };

  return (
    <div className={styles.rows}>
      <div className={styles.row}>
        <div className={styles.head} data-lane-head>
          <span>Sections</span>
          {canEdit ? <button type="button" onClick={() => void onAddSection()}
                             data-testid="add-section">+ Section</button> : null}
        </div>
        <SectionLane sections={sections} bars={bars} ppt={ppt} width={width} canEdit={canEdit}
                     songKey={songKey} tempoAtBar={tempoAtBar} onWrite={writeSections}
                     onSave={saveSection} onSeek={setPlayheadTick} renameRequest={renameNew} />
      </div>
      <div className={styles.row}>
        <div className={styles.head} aria-hidden><span>Bars</span></div>
        {ruler}
      </div>
      <div className={styles.row}>
        <div className={styles.head}>
          <span>Chords</span>
          {canEdit ? <button type="button" onClick={onAddChord} data-testid="add-chord"
                             title="Add a chord at the playhead">+ Chord</button> : null}
        </div>
        <ChordLane score={score} bars={bars} ppt={ppt} width={width} end={end} canEdit={canEdit}
                   onWrite={setChordSymbols} onSeek={setPlayheadTick} addRequest={addChord} />
      </div>
    </div>
  );
}
