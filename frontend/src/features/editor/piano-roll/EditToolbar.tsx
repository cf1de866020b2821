/** The piano roll's second tool row: clipboard, duplicate, delete and select all. One line
 * of fixed height that never wraps (a change in the selection never moves the grid). */
import styles from "./PianoRoll.module.css";
import type { RollCommands } from "./useRollCommands";

export function EditToolbar({ commands, editable, selectionCount, noteCount, canPaste,
                              onDelete }: {
  commands: RollCommands; editable: boolean; selectionCount: number; noteCount: number;
  canPaste: boolean; onDelete(): void;
}) {
  const off = (disabled: boolean) => ({ "aria-disabled": disabled || undefined });
  const noSelection = selectionCount === 0;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Edit tools">
      <div className={styles.group} role="group" aria-label="Clipboard">
        <button type="button" {...off(!editable || noSelection)} aria-keyshortcuts="Control+X"
                title="Cut (Ctrl+X)" onClick={() => { if (editable) commands.cut(); }}>Cut</button>
        <button type="button" {...off(noSelection)} aria-keyshortcuts="Control+C"
                title="Copy (Ctrl+C)" onClick={() => commands.copy()}>Copy</button>
        <button type="button" {...off(!editable || !canPaste)} aria-keyshortcuts="Control+V"
                title="Paste at the playhead or the last place you clicked (Ctrl+V)"
                onClick={() => { if (editable) commands.paste(); }}>Paste</button>
        <button type="button" {...off(!editable || noSelection)} aria-keyshortcuts="Control+D"
                title="Duplicate right after the selection (Ctrl+D)"
                onClick={() => { if (editable) commands.duplicate(); }}>Duplicate</button>
      </div>
      <button type="button" className={`danger ${styles.deleteButton}`}
              {...off(!editable || noSelection)} aria-keyshortcuts="Delete"
              onClick={() => { if (editable) onDelete(); }}>
        Delete{selectionCount ? ` (${selectionCount})` : ""}
      </button>
      <button type="button" {...off(noteCount === 0)} aria-keyshortcuts="Control+A"
              title="Select all (Ctrl+A)" onClick={commands.selectAll}>Select all</button>
    </div>
  );
}
