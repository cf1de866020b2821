/** The piano roll's first tool row: snap, zoom, the selection's velocity, quantize, and a
 * count. One line of fixed height that never wraps: what it says changes with the
 * selection, and the grid below must not move when it does. */
import { QuantizeMenu } from "@/features/editor/QuantizeMenu";
import { GRID_DIVISIONS, type GridDivision } from "@/lib/geometry";
import type { QuantizeOptions } from "@/lib/quantize";

import { ZOOMS } from "./layout";
import styles from "./PianoRoll.module.css";
import type { SelectionEdits } from "./useSelectionEdits";

export interface RollToolbarProps {
  division: GridDivision;
  onDivision(division: GridDivision): void;
  zoom: number;
  zoomBy(step: number): void;
  editable: boolean;
  selectionCount: number;
  noteCount: number;
  edits: Pick<SelectionEdits, "selectedVelocity" | "setVelocityDraft" | "commitVelocity">;
  onQuantize(options: QuantizeOptions): void;
}

const disabledProps = (disabled: boolean) => ({ "aria-disabled": disabled || undefined });

export function RollToolbar({ division, onDivision, zoom, zoomBy, editable, selectionCount,
                              noteCount, edits, onQuantize }: RollToolbarProps) {
  const velocity = edits.selectedVelocity;
  const noSelection = !editable || selectionCount === 0;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Piano roll tools">
      <label className={styles.inline}>
        <span>Snap</span>
        <select className={styles.snap} value={division} onChange={(e) => onDivision(e.target.value as GridDivision)}>
          {GRID_DIVISIONS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
        </select>
      </label>
      <div className={styles.group} role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(-1)} disabled={zoom === 0}
                aria-label="Zoom out">−</button>
        <button type="button" onClick={() => zoomBy(1)} disabled={zoom === ZOOMS.length - 1}
                aria-label="Zoom in">+</button>
      </div>
      <label className={styles.inline}>
        <span>Velocity</span>
        <input type="range" min={1} max={127} value={velocity}
               disabled={noSelection} {...disabledProps(noSelection)}
               aria-valuetext={`${velocity}${selectionCount ? "" : " (no notes selected)"}`}
               onChange={(e) => edits.setVelocityDraft(Number(e.target.value))}
               onPointerUp={edits.commitVelocity} onKeyUp={edits.commitVelocity}
               onBlur={edits.commitVelocity} />
        <output className={styles.value}>{velocity}</output>
      </label>
      <QuantizeMenu disabled={!editable || noteCount === 0}
                    target={selectionCount ? `${selectionCount} selected`
                      : `all ${noteCount} notes`}
                    onApply={onQuantize} />
      <span className={styles.count} aria-live="polite">
        {selectionCount ? `${selectionCount} selected` : `${noteCount} notes`}
      </span>
    </div>
  );
}
