"use client";
/** The editor's MIDI controls: a "MIDI" menu (connect, choose the input port, quantize the
 * take on stop) and Record/Stop. Notes played on the keyboard sound with the track's
 * instrument as soon as MIDI is connected; Record writes a take into the track. */
import { useCallback, useEffect, useId, useRef, useState } from "react";

import type { Score, Track } from "@/api/types";
import styles from "@/features/editor/Editor.module.css";
import { lastQuantizeOptions } from "@/features/editor/QuantizeMenu";
import type { NoteEditing } from "@/features/editor/useNoteEditing";
import { useCloseOnOutsidePress, usePopoverPosition } from "@/features/instruments/popover";

import { ALL_INPUTS, useMidiInput } from "./useMidiInput";
import { useMidiRecorder } from "./useMidiRecorder";

export function MidiControls({ score, track, editing, canEdit }: {
  score: Score | null; track: Track | null; editing: NoteEditing; canEdit: boolean;
}) {
  const [quantizeTake, setQuantizeTake] = useState(false);
  const recorder = useMidiRecorder({ score, track, editing, canEdit,
                                     quantize: quantizeTake ? lastQuantizeOptions() : null });
  const midi = useMidiInput(recorder.onEvent);
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  const panelStyle = usePopoverPosition(button, open, 260, close);

  useCloseOnOutsidePress(root, open, close);

  // Stop a take when the track changes or the editor goes away (its notes are saved).
  const stopRef = useRef(recorder.stop);
  stopRef.current = recorder.stop;
  useEffect(() => () => { void stopRef.current(); }, [track?.id]);

  const toggleRecord = async () => {
    if (recorder.recording) {
      await recorder.stop();
      return;
    }
    if (!canEdit || !track) return;
    if (midi.status !== "ready" && !(await midi.connect())) {
      setOpen(true);
      return;
    }
    await recorder.start();
  };

  const statusText = {
    unsupported: "This browser has no Web MIDI (try Chrome or Edge).",
    idle: "Connect to play and record from a MIDI keyboard.",
    asking: "Asking the browser for MIDI access…",
    ready: midi.inputs.length ? `${midi.inputs.length} input${midi.inputs.length === 1 ? "" : "s"}`
      : "No MIDI input found: plug a keyboard in.",
    denied: `MIDI access refused${midi.error ? `: ${midi.error}` : "."}`,
  }[midi.status];

  return (
    <div className={styles.midi} ref={root}
         onKeyDown={(e) => { if (e.key === "Escape" && open) { e.stopPropagation(); setOpen(false); } }}>
      <div className={styles.menu}>
        <button ref={button} type="button" aria-expanded={open} aria-controls={`${id}-panel`}
                data-testid="midi-menu"
                title="MIDI keyboard input" onClick={() => {
                  if (!open && midi.status === "idle") void midi.connect();
                  setOpen((o) => !o);
                }}>
          MIDI{midi.status === "ready" ? " ●" : ""}
        </button>
        {open ? (
          <div id={`${id}-panel`} className={styles.popover} role="dialog" aria-label="MIDI input"
               style={panelStyle} data-popover>
            <p className={styles.note} role="status">{statusText}</p>
            {midi.status === "idle" || midi.status === "denied" ? (
              <button type="button" onClick={() => void midi.connect()}>Connect MIDI</button>
            ) : null}
            {midi.status === "ready" ? (
              <label className={styles.field}>
                <span>Input</span>
                <select value={midi.selected} data-testid="midi-input"
                        onChange={(e) => midi.select(e.target.value)}>
                  <option value={ALL_INPUTS}>All inputs</option>
                  {midi.inputs.map((input) => (
                    <option key={input.id} value={input.id}>{input.name}</option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className={styles.check}>
              <input type="checkbox" checked={quantizeTake}
                     onChange={(e) => setQuantizeTake(e.target.checked)} />
              <span>Quantize the take on stop (the last quantize settings)</span>
            </label>
            <p className={styles.note}>
              Notes you play sound with this track&apos;s instrument. Record starts at the
              playhead and plays the song; Stop saves the take as one edit.
            </p>
          </div>
        ) : null}
      </div>
      {canEdit ? (
        <button type="button" className={`${styles.record} ${recorder.recording ? styles.on : ""}`}
                aria-pressed={recorder.recording} data-testid="midi-record"
                aria-disabled={!track || midi.status === "unsupported" || undefined}
                title={recorder.recording ? "Stop recording and save the take"
                  : "Record from the MIDI keyboard into this track, from the playhead"}
                onClick={() => void toggleRecord()}>
          {recorder.recording ? `■ Stop (${recorder.taken})` : "● Record"}
        </button>
      ) : null}
    </div>
  );
}
