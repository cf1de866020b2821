"use client";
/** Loop a region: a section of the song or bars in/out. The region lives in the player
 * (`setLoop`), so the arrangement ruler can set it too; this shows whatever is set. */
import { useState } from "react";

import type { Score } from "@/api/types";
import type { LoopRegion } from "@/features/playback/api";
import { barToTick, tickToBar } from "@/lib/timing";

import styles from "./Transport.module.css";

/** A region choice as ticks: section `index` (≥ 0), or bars `from`…`to` inclusive. */
export function regionTicks(score: Score, choice: number, from: number,
                            to: number): LoopRegion | null {
  const bars = score.bars ?? 8;
  const section = choice >= 0 ? score.sections?.[choice] : undefined;
  const first = section ? section.start_bar : Math.min(Math.max(1, from), bars);
  const last = section ? section.start_bar + section.bars - 1
    : Math.min(Math.max(first, to), bars);
  const startTick = barToTick(score, first);
  const endTick = barToTick(score, last + 1);
  return endTick > startTick ? { startTick, endTick } : null;
}

/** "bars 5–8" for a region (its last bar is the one before its end). */
export function regionLabel(score: Score, loop: LoopRegion): string {
  const first = tickToBar(score, loop.startTick);
  const last = Math.max(first, tickToBar(score, loop.endTick - 1));
  return first === last ? `bar ${first}` : `bars ${first}–${last}`;
}

export function LoopControls({ score, loop, setLoop }: {
  score: Score | null;
  loop: LoopRegion | null;
  setLoop(region: LoopRegion | null): void;
}) {
  const sections = score?.sections ?? [];
  // -1: bars in/out; ≥ 0: that section.
  const [choice, setChoice] = useState(0);
  const [from, setFrom] = useState(1);
  const [to, setTo] = useState(4);
  const effective = choice >= sections.length ? -1 : choice;

  const apply = (nextChoice: number, nextFrom: number, nextTo: number, on: boolean) => {
    if (!score || !on) { setLoop(null); return; }
    setLoop(regionTicks(score, nextChoice, nextFrom, nextTo));
  };
  const on = loop !== null;

  return (
    <span className={styles.loop} role="group" aria-label="Loop">
      <button type="button" aria-pressed={on} data-testid="loop-toggle" disabled={!score}
              className={on ? styles.active : undefined}
              title={on && score ? `Looping ${regionLabel(score, loop)}` : "Loop a region"}
              onClick={() => apply(effective, from, to, !on)}>
        ⟲ Loop
      </button>
      <select aria-label="Loop region" value={effective} data-testid="loop-region"
              onChange={(e) => { const c = Number(e.target.value); setChoice(c);
                                 apply(c, from, to, on); }}>
        {sections.map((s, index) => (
          <option key={`${s.name}-${index}`} value={index}>
            {s.name} ({s.start_bar}–{s.start_bar + s.bars - 1})
          </option>
        ))}
        <option value={-1}>Bars…</option>
      </select>
      {effective === -1 && (
        <>
          <input type="number" aria-label="Loop from bar" min={1} max={score?.bars ?? 8}
                 value={from} className={styles.bar} data-testid="loop-in"
                 onChange={(e) => { const v = Number(e.target.value) || 1; setFrom(v);
                                    apply(-1, v, Math.max(v, to), on); }} />
          <span aria-hidden="true">–</span>
          <input type="number" aria-label="Loop to bar" min={from} max={score?.bars ?? 8}
                 value={to} className={styles.bar} data-testid="loop-out"
                 onChange={(e) => { const v = Number(e.target.value) || from; setTo(v);
                                    apply(-1, from, v, on); }} />
        </>
      )}
      {on && score && <span className="muted" data-testid="loop-label">{regionLabel(score, loop)}</span>}
    </span>
  );
}
