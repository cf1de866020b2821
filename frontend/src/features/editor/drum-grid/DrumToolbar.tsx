/** The drum grid's tools: the velocity new hits get, and a hint. */
import styles from "./DrumGrid.module.css";

const VELOCITIES = [
  { value: 60, label: "Soft" },
  { value: 95, label: "Normal" },
  { value: 120, label: "Accent" },
];

export function DrumToolbar({ velocity, onVelocity, canEdit }: {
  velocity: number; onVelocity(velocity: number): void; canEdit: boolean;
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
      <span className="muted">
        {canEdit ? "Click a cell to add or remove a hit; arrow keys move." : "Read-only."}
      </span>
    </div>
  );
}
