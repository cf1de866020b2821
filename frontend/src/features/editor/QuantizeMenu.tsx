/** The "Quantize" control the note editors share: a button that opens a small panel (over the
 * page, so nothing moves) with the grid, strength, swing and "ends too", and Apply. The
 * options are remembered for the session, so Q (the shortcut) repeats the last quantize. */
import { useCallback, useId, useRef, useState } from "react";

import { useCloseOnOutsidePress, usePopoverPosition } from "@/features/instruments/popover";
import { DEFAULT_QUANTIZE, MAX_SWING, QUANTIZE_GRIDS, type QuantizeGrid,
         type QuantizeOptions } from "@/lib/quantize";

import styles from "./Editor.module.css";

let remembered: QuantizeOptions = DEFAULT_QUANTIZE;

/** The options last applied (or the defaults): what Q and "quantize on stop" use. */
export function lastQuantizeOptions(): QuantizeOptions {
  return remembered;
}

export function QuantizeMenu({ disabled, target, onApply }: {
  disabled: boolean;
  /** What Apply changes, e.g. "3 selected notes" or "all 40 notes". */
  target: string;
  onApply(options: QuantizeOptions): void;
}) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const [options, setOptions] = useState<QuantizeOptions>(remembered);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  const panelStyle = usePopoverPosition(button, open, 250, close);

  useCloseOnOutsidePress(root, open, close);

  const apply = () => {
    remembered = options;
    setOpen(false);
    onApply(options);
  };
  const set = (patch: Partial<QuantizeOptions>) => setOptions((o) => ({ ...o, ...patch }));

  return (
    <div className={styles.menu} ref={root}
         onKeyDown={(e) => { if (e.key === "Escape" && open) { e.stopPropagation(); setOpen(false); } }}>
      <button ref={button} type="button" aria-expanded={open} aria-controls={`${id}-panel`}
              aria-disabled={disabled || undefined} title="Quantize (Q repeats the last one)"
              onClick={() => { if (!disabled) setOpen((o) => !o); }}>
        Quantize…
      </button>
      {open ? (
        <div id={`${id}-panel`} className={styles.popover} role="dialog" style={panelStyle}
             data-popover
             aria-label="Quantize">
          <label className={styles.field}>
            <span>Grid</span>
            <select value={options.grid} data-testid="quantize-grid"
                    onChange={(e) => set({ grid: e.target.value as QuantizeGrid })}>
              {QUANTIZE_GRIDS.map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
            </select>
          </label>
          <label className={styles.field}>
            <span>Strength {Math.round(options.strength * 100)}%</span>
            <input type="range" min={0} max={100} step={5} data-testid="quantize-strength"
                   value={Math.round(options.strength * 100)}
                   aria-valuetext={`${Math.round(options.strength * 100)}%`}
                   onChange={(e) => set({ strength: Number(e.target.value) / 100 })} />
          </label>
          <label className={styles.field}>
            <span>Swing {Math.round(options.swing * 100)}%</span>
            <input type="range" min={0} max={MAX_SWING * 100} step={1}
                   value={Math.round(options.swing * 100)} data-testid="quantize-swing"
                   disabled={options.grid.endsWith("T")}
                   aria-valuetext={`${Math.round(options.swing * 100)}%`}
                   onChange={(e) => set({ swing: Number(e.target.value) / 100 })} />
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={options.ends}
                   onChange={(e) => set({ ends: e.target.checked })} />
            <span>Quantize ends too</span>
          </label>
          <button type="button" className="primary" onClick={apply}>
            Quantize {target}
          </button>
        </div>
      ) : null}
    </div>
  );
}
