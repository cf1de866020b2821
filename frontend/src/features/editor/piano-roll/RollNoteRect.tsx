/** One note on the grid: a focusable button (roving tab stop) whose opacity is its velocity;
 * a note someone else has selected is outlined (dashed) in their colour. */
import { pitchToY, type Bar } from "@/lib/geometry";

import { PITCH_VIEW, ROW } from "./layout";
import { describeNote, type RollNote } from "./notes";
import styles from "./PianoRoll.module.css";

export function RollNoteRect({ note, bars, ppt, colour, selected, highlighted, editable,
                               tabStop, onFocus, remote = null }: {
  note: RollNote; bars: readonly Bar[]; ppt: number; colour: string; selected: boolean;
  highlighted: boolean; editable: boolean; tabStop: boolean; onFocus(): void;
  /** Someone else who has this note selected. */
  remote?: { name: string; colour: string } | null;
}) {
  const label = describeNote(note, bars) + (remote ? `, selected by ${remote.name}` : "");
  // This browser's own selection and highlight keep their look; the other's shows otherwise.
  const outline = remote && !selected && !highlighted
    ? { stroke: remote.colour, strokeWidth: 2.5, strokeDasharray: "5 2" } : undefined;
  return (
    <rect data-note-id={note.id} data-pitch={note.pitch}
          data-start={note.start} data-duration={note.duration}
          data-selected={selected || undefined}
          data-highlighted={highlighted || undefined}
          data-remote-selected={remote?.name}
          x={note.start * ppt + 0.5} y={pitchToY(note.pitch, PITCH_VIEW) + 0.5}
          width={Math.max(3, note.duration * ppt - 1)} height={ROW - 1}
          rx={2}
          fill={colour} fillOpacity={0.3 + 0.7 * (note.velocity / 127)} style={outline}
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
