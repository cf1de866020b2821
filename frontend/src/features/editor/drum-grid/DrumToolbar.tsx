/** The drum grid's tools: the velocity new hits get, "+ Row" (any GM drum), quantize, and a
 * hint. One line of fixed height that never wraps. */
import { QuantizeMenu } from "@/features/editor/QuantizeMenu";
import { drumName } from "@/lib/gm";
import type { QuantizeOptions } from "@/lib/quantize";

import styles from "./DrumGrid.module.css";

const VELOCITIES = [
  { value: 60, label: "Soft" },
  { value: 95, label: "Normal" },
  { value: 120, label: "Accent" },
];

export function DrumToolbar({ velocity, onVelocity, canEdit, addable, onAddRow, hitCount,
                              onQuantize }: {
  velocity: number; onVelocity(velocity: number): void; canEdit: boolean;
  /** GM drum keys not shown as rows yet. */
  addable: readonly number[];
  onAddRow(pitch: number): void;
  hitCount: number;
  onQuantize(options: QuantizeOptions): void;
}) {
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Drum grid tools">
      <div className={styles.velocities} role="radiogroup" aria-label="Velocity of new hits">
        {VELOCITIES.map((v) => (
          <button key={v.value} type="button" role="radio" aria-checked={velocity === v.value}
                  aria-disabled={!canEdit || undefined}
                  className={velocity === v.value ? styles.on : ""}
                  onClick={() => { if (canEdit) onVelocity(v.value); }}>
            {v.label}
          </button>
        ))}
      </div>
      <select className={styles.addRow} value="" aria-label="Add a drum row"
              data-testid="add-drum-row" disabled={!canEdit || addable.length === 0}
              onChange={(e) => { if (e.target.value) onAddRow(Number(e.target.value)); }}>
        <option value="">+ Row</option>
        {addable.map((pitch) => (
          <option key={pitch} value={pitch}>{`${drumName(pitch)} (${pitch})`}</option>
        ))}
      </select>
      <QuantizeMenu disabled={!canEdit || hitCount === 0} target={`all ${hitCount} hits`}
                    onApply={onQuantize} />
      <span className="muted">
        {canEdit ? "Click a cell to add or remove a hit; arrow keys move." : "Read-only."}
      </span>
    </div>
  );
}
