"use client";
/** The note editor for the selected track: the piano roll for pitched tracks, the drum grid
 * for drum tracks, with undo/redo (buttons, Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl+Y) shared by both,
 * the track's instrument (a searchable picker that auditions) and MIDI keyboard input.
 * The header is one line of fixed height: nothing in it may move the grid below (status
 * text, a selection, a take). The workspace page places this and `ArrangementView`. */
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from "react";

import { InstrumentPicker } from "@/features/instruments/InstrumentPicker";
import { MidiControls } from "@/features/midi/MidiControls";
import { useProject, useScore, useScoreEdits, useSelection } from "@/features/workspace/state";
import { trackColour } from "@/lib/trackColour";

import { DrumGrid } from "./drum-grid/DrumGrid";
import styles from "./Editor.module.css";
import { PianoRoll } from "./piano-roll/PianoRoll";
import { historyShortcut, isTextTarget } from "./shortcuts";
import { useNoteEditing } from "./useNoteEditing";

export function Editor() {
  const { canEdit, loading } = useProject();
  const { score } = useScore();
  const { updateTrack } = useScoreEdits();
  const { selectedTrackId } = useSelection();
  const editing = useNoteEditing();
  const root = useRef<HTMLDivElement>(null);
  const track = score?.tracks?.find((t) => t.id === selectedTrackId) ?? null;

  const onKeyDown = (event: ReactKeyboardEvent) => {
    const action = historyShortcut(event);
    if (!action || isTextTarget(event.target)) return;
    event.preventDefault();
    event.stopPropagation();
    if (!canEdit) return;
    void (action === "undo" ? editing.undo() : editing.redo());
  };

  // Ctrl+Z also works when nothing in particular has focus (e.g. right after a click on the
  // page background or the ruler), but never steals it from another panel's controls.
  const editingRef = useRef(editing);
  editingRef.current = editing;
  useEffect(() => {
    const onWindowKey = (event: KeyboardEvent) => {
      const action = historyShortcut(event);
      if (!action || !canEdit) return;
      const focused = document.activeElement;
      const editor = root.current;
      // Nothing more specific has focus: the page, or a panel around the editor (a click on
      // the ruler leaves focus on the editor's column).
      if (focused && focused !== document.body && !(editor && focused.contains(editor))) return;
      if (editor?.contains(event.target as Node)) return;
      event.preventDefault();
      void (action === "undo" ? editingRef.current.undo() : editingRef.current.redo());
    };
    window.addEventListener("keydown", onWindowKey);
    return () => window.removeEventListener("keydown", onWindowKey);
  }, [canEdit]);

  const undoTitle = editing.undoLabel ? `Undo: ${editing.undoLabel} (Ctrl+Z)` : "Nothing to undo";
  const redoTitle = editing.redoLabel ? `Redo: ${editing.redoLabel} (Ctrl+Shift+Z)`
    : "Nothing to redo";

  return (
    <div className={styles.editor} ref={root} onKeyDown={onKeyDown} data-testid="note-editor">
      <div className={styles.header}>
        <h3 className={styles.title}>
          {track ? (
            <>
              <span className={styles.swatch} style={{ background: trackColour(track) }}
                    aria-hidden />
              <span className={styles.name}>{track.name ?? "Track"}</span>
            </>
          ) : "Editor"}
        </h3>
        {track && track.role !== "audio" ? (
          <InstrumentPicker value={track.program ?? 0} isDrum={Boolean(track.is_drum)}
                            label="Instrument" hideLabel disabled={!canEdit}
                            onChange={(program) => {
                              if (track.id) void updateTrack(track.id, { program });
                            }} />
        ) : null}
        <div className={styles.actions}>
          {track?.role === "audio" ? null
            : <MidiControls score={score} track={track} editing={editing} canEdit={canEdit} />}
          {!canEdit ? <span className="badge" data-testid="read-only-badge">read-only</span> : (
            <>
              <button type="button" aria-keyshortcuts="Control+Z" title={undoTitle}
                      aria-label={editing.undoLabel ? `Undo ${editing.undoLabel}` : "Undo"}
                      aria-disabled={!editing.canUndo || undefined}
                      onClick={() => { if (editing.canUndo) void editing.undo(); }}>
                ↶
              </button>
              <button type="button" aria-keyshortcuts="Control+Shift+Z Control+Y" title={redoTitle}
                      aria-label={editing.redoLabel ? `Redo ${editing.redoLabel}` : "Redo"}
                      aria-disabled={!editing.canRedo || undefined}
                      onClick={() => { if (editing.canRedo) void editing.redo(); }}>
                ↷
              </button>
            </>
          )}
          <span className={styles.status} role="status" aria-live="polite"
                title={editing.busy ? "Saving…" : editing.status}>
            {editing.busy ? "Saving…" : editing.status}
          </span>
        </div>
      </div>
      {!score ? (
        <p className="muted">{loading ? "Loading the score…" : "No score."}</p>
      ) : !track ? (
        <p className={styles.hint}>
          {(score.tracks ?? []).length === 0
            ? "This project has no tracks yet. Compose from the brief, or add a track above."
            : "Select a track in the arrangement above to edit its notes."}
        </p>
      ) : track.role === "audio" ? (
        <p className={styles.hint} data-testid="audio-track-hint">
          An audio track plays samples from the Library: drag its clips in the arrangement above
          (← / → move a clip a beat, Shift a bar; Delete removes it), and add more from the
          Library tab with “Add to song”.
        </p>
      ) : track.is_drum ? (
        <DrumGrid key={track.id} track={track} editing={editing} />
      ) : (
        <PianoRoll key={track.id} track={track} editing={editing} />
      )}
    </div>
  );
}
