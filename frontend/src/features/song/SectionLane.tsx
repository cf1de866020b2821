"use client";
/** The song's sections as blocks over the bars, edited in place: drag a block to move it,
 * its right edge to resize it (whole bars, never over a neighbour or past the end), double-
 * click (or F2) to rename it inline, click (or Enter) for its name, key and tempo. Arrow keys
 * walk the sections; Alt+arrows move and Shift+arrows resize by a bar; Delete removes. */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";

import type { Bar } from "@/lib/geometry";
import { barAt, clamp } from "@/lib/geometry";
import { keyName } from "@/lib/keys";

import { canvasMeasure, ellipsize, LABEL_PADDING } from "./labelLayout";
import { SectionEditor, type SectionChanges } from "./SectionEditor";
import { moveSection, removeSection, renameSection, resizeSection, sortSections,
         type SectionKey, type SectionMark } from "./sectionTimeline";
import styles from "./song.module.css";

interface Drag {
  kind: "move" | "resize";
  startBar: number;
  startX: number;
  moved: boolean;
  preview: SectionMark[] | null;
}

const measure = canvasMeasure("600 11px sans-serif");

export function SectionLane({ sections: stored, bars, ppt, width, canEdit, songKey,
                              tempoAtBar, onWrite, onSave, onSeek, renameRequest }: {
  sections: SectionMark[]; bars: Bar[]; ppt: number; width: number; canEdit: boolean;
  songKey: SectionKey; tempoAtBar(bar: number): number;
  onWrite(sections: SectionMark[]): Promise<boolean>;
  /** Saves the editor's changes of the section starting at `startBar`. */
  onSave(startBar: number, changes: SectionChanges): Promise<boolean>;
  onSeek(tick: number): void;
  /** Opens the inline rename of the section starting at `bar` (after "+ Section"). */
  renameRequest: { bar: number; serial: number } | null;
}) {
  const [preview, setPreview] = useState<SectionMark[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const drag = useRef<Drag | null>(null);
  const lane = useRef<HTMLDivElement>(null);
  const blocks = useRef(new Map<number, HTMLDivElement>());
  const sections = sortSections(preview ?? stored);
  const songBars = bars.length;
  const startTick = (bar: number) => bars[bar - 1]?.start
    ?? (bars.at(-1) ? bars.at(-1)!.start + bars.at(-1)!.length : 0);

  useEffect(() => {
    if (renameRequest && canEdit) setRenaming(renameRequest.bar);
  }, [renameRequest, canEdit]);

  const write = async (next: SectionMark[]) => {
    setPreview(next);
    try { await onWrite(next); } finally { setPreview(null); }
  };
  const focusSection = (bar: number | null) => {
    setActive(bar);
    if (bar !== null) requestAnimationFrame(() => blocks.current.get(bar)?.focus());
  };
  /** The bar line nearest to a pixel offset from `tick`. */
  const nearestBar = (tick: number, dx: number) => {
    const target = tick + dx / ppt;
    const bar = barAt(bars, target);
    return target - bar.start > bar.length / 2 ? bar.number + 1 : bar.number;
  };

  const startDrag = (event: PointerEvent, kind: Drag["kind"], startBar: number) => {
    if (!canEdit || event.button !== 0 || renaming !== null) return;
    event.stopPropagation();
    lane.current?.setPointerCapture?.(event.pointerId);
    drag.current = { kind, startBar, startX: event.clientX, moved: false, preview: null };
  };
  const onPointerMove = (event: PointerEvent) => {
    const current = drag.current;
    if (!current) return;
    const dx = event.clientX - current.startX;
    if (!current.moved && Math.abs(dx) < 4) return;
    current.moved = true;
    const section = stored.find((s) => s.start_bar === current.startBar);
    if (!section) return;
    current.preview = current.kind === "move"
      ? moveSection(stored, songBars, section.start_bar,
                    nearestBar(startTick(section.start_bar), dx))
      : resizeSection(stored, songBars, section.start_bar,
                      nearestBar(startTick(section.start_bar + section.bars), dx));
    setPreview(current.preview);
  };
  const onPointerUp = () => {
    const current = drag.current;
    drag.current = null;
    if (!current) return;
    if (current.moved && current.preview) {
      const index = sortSections(stored).findIndex((s) => s.start_bar === current.startBar);
      void write(current.preview);
      setActive(current.preview[index]?.start_bar ?? null);
      return;
    }
    setPreview(null);
    setActive(current.startBar);
    setEditing(current.startBar);
  };

  const onKey = (event: KeyboardEvent, index: number) => {
    const section = sections[index]!;
    const key = event.key;
    const go = (i: number) => focusSection(sections[clamp(i, 0, sections.length - 1)]
      ?.start_bar ?? null);
    if ((key === "ArrowRight" || key === "ArrowLeft") && canEdit
        && (event.shiftKey || event.altKey)) {
      event.preventDefault();
      const sign = key === "ArrowRight" ? 1 : -1;
      if (event.shiftKey) {
        void write(resizeSection(stored, songBars, section.start_bar,
                                 section.start_bar + section.bars + sign));
      } else {
        const next = moveSection(stored, songBars, section.start_bar, section.start_bar + sign);
        void write(next);
        focusSection(next[index]?.start_bar ?? section.start_bar);
      }
    } else if (key === "ArrowRight") { event.preventDefault(); go(index + 1); }
    else if (key === "ArrowLeft") { event.preventDefault(); go(index - 1); }
    else if (key === "Enter" && canEdit) { event.preventDefault(); setEditing(section.start_bar); }
    else if (key === "F2" && canEdit) { event.preventDefault(); setRenaming(section.start_bar); }
    else if ((key === "Delete" || key === "Backspace") && canEdit) {
      event.preventDefault();
      void write(removeSection(stored, section.start_bar));
      focusSection(sections[index + 1]?.start_bar ?? sections[index - 1]?.start_bar ?? null);
    }
  };

  const activeBar = active !== null && sections.some((s) => s.start_bar === active) ? active
    : sections[0]?.start_bar ?? null;
  const edited = editing !== null ? stored.find((s) => s.start_bar === editing) : undefined;

  return (
    <div ref={lane} className={styles.lane} style={{ width }} role="group"
         aria-label="Song sections" data-testid="section-lane"
         onPointerDown={(e) => {
           if (e.target !== e.currentTarget) return;
           const rect = e.currentTarget.getBoundingClientRect();
           onSeek(barAt(bars, Math.max(0, (e.clientX - rect.left) / ppt)).start);
         }}
         onPointerMove={onPointerMove} onPointerUp={onPointerUp}
         onPointerCancel={() => { drag.current = null; setPreview(null); }}
         onDoubleClick={(e) => {
           // On the lane: the pointer capture of a press makes it the clicks' target. Not
           // from the editor, which React bubbles here through its portal.
           if (!canEdit || !e.currentTarget.contains(e.target as Node)) return;
           const rect = e.currentTarget.getBoundingClientRect();
           const bar = barAt(bars, Math.max(0, (e.clientX - rect.left) / ppt)).number;
           const hit = sections.find((s) => bar >= s.start_bar && bar < s.start_bar + s.bars);
           if (hit) { setEditing(null); setRenaming(hit.start_bar); }
         }}>
      {sections.map((section, i) => {
        const left = startTick(section.start_bar) * ppt;
        const right = startTick(section.start_bar + section.bars) * ppt;
        const last = section.start_bar + section.bars - 1;
        const keyText = section.key ? ` · ${keyName(section.key)}` : "";
        const full = `${section.name}${keyText}`;
        const shown = ellipsize(full, Math.max(0, right - left - 2 * LABEL_PADDING), measure);
        const name = `Section ${section.name}, bars ${section.start_bar} to ${last}${
          section.key ? `, in ${keyName(section.key)}` : ""}`;
        if (renaming === section.start_bar) {
          return (
            <RenameField key={`rename-${section.start_bar}`} section={section} left={left}
                         width={Math.max(100, right - left)}
                         onDone={(value) => {
                           setRenaming(null);
                           if (value !== null && value.trim() && value.trim() !== section.name) {
                             void write(renameSection(stored, section.start_bar, value));
                           }
                           focusSection(section.start_bar);
                         }} />
          );
        }
        return (
          <div key={section.start_bar} role="button"
               tabIndex={section.start_bar === activeBar ? 0 : -1}
               ref={(el) => { if (el) blocks.current.set(section.start_bar, el);
                              else blocks.current.delete(section.start_bar); }}
               className={`${styles.section} ${i % 2 ? styles.sectionAlt : ""} ${
                 canEdit ? styles.grab : ""} ${editing === section.start_bar ? styles.active
                   : ""}`}
               style={{ left: left + 1, width: Math.max(2, right - left - 2) }}
               aria-label={name} title={name} data-testid="section"
               data-start-bar={section.start_bar} data-bars={section.bars}
               onFocus={() => setActive(section.start_bar)}
               onKeyDown={(e) => onKey(e, i)}
               onClick={(e) => {
                 if (e.detail === 0 && canEdit) setEditing(section.start_bar);
                 if (!canEdit) onSeek(startTick(section.start_bar));
               }}
               onPointerDown={(e) => startDrag(e, "move", section.start_bar)}>
            <span aria-hidden>{shown}</span>
            {canEdit ? (
              <div className={styles.handle} aria-hidden data-testid="section-resize"
                   onPointerDown={(e) => startDrag(e, "resize", section.start_bar)} />
            ) : null}
          </div>
        );
      })}
      {edited && canEdit ? (
        <SectionEditor key={edited.start_bar} section={edited} songKey={songKey}
                       tempo={tempoAtBar(edited.start_bar)}
                       anchor={() => blocks.current.get(edited.start_bar) ?? null}
                       onClose={() => setEditing(null)}
                       onDelete={() => {
                         setEditing(null);
                         void write(removeSection(stored, edited.start_bar));
                       }}
                       onSave={(changes) => {
                         setEditing(null);
                         void onSave(edited.start_bar, changes);
                         focusSection(edited.start_bar);
                       }} />
      ) : null}
    </div>
  );
}

function RenameField({ section, left, width, onDone }: {
  section: SectionMark; left: number; width: number; onDone(value: string | null): void;
}) {
  const [value, setValue] = useState(section.name);
  const done = useRef(false);
  const finish = (result: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(result);
  };
  return (
    <input className={styles.renameInput} style={{ left, width }} value={value} autoFocus
           maxLength={64} aria-label={`New name for section ${section.name}`}
           data-testid="section-rename"
           onChange={(e) => setValue(e.target.value)}
           onBlur={() => finish(value)}
           onKeyDown={(e) => {
             if (e.key === "Enter") { e.preventDefault(); finish(value); }
             if (e.key === "Escape") { e.preventDefault(); finish(null); }
           }} />
  );
}
