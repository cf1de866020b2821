/** One note on the grid: a focusable button (roving tab stop) whose opacity is its velocity. */
import { pitchToY, type Bar } from "@/lib/geometry";

import { PITCH_VIEW, ROW } from "./layout";
import { describeNote, type RollNote } from "./notes";
import styles from "./PianoRoll.module.css";

export function RollNoteRect({ note, bars, ppt, colour, selected, highlighted, editable,
                               tabStop, onFocus }: {
  note: RollNote; bars: readonly Bar[]; ppt: number; colour: string; selected: boolean;
  highlighted: boolean; editable: boolean; tabStop: boolean; onFocus(): void;
}) {
  const label = describeNote(note, bars);
  return (
    <rect data-note-id={note.id} data-pitch={note.pitch}
          data-start={note.start} data-duration={note.duration}
          data-selected={selected || undefined}
          data-highlighted={highlighted || undefined}
          x={note.start * ppt + 0.5} y={pitchToY(note.pitch, PITCH_VIEW) + 0.5}
          width={Math.max(3, note.duration * ppt - 1)} height={ROW - 1}
          rx={2}
          fill={colour} fillOpacity={0.3 + 0.7 * (note.velocity / 127)}
          className={[styles.note, selected ? styles.selected : "",
                      highlighted ? styles.highlighted : "",
                      editable ? styles.editableNote : ""].join(" ")}
          role="button" aria-pressed={selected}
          aria-label={`${label}${highlighted ? " (highlighted)" : ""}`}
          tabIndex={tabStop ? 0 : -1}
          onFocus={onFocus}>
      <title>{`${label}, velocity ${note.velocity}`}</title>
    </rect>
  );
}
