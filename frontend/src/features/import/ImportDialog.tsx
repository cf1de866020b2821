"use client";
/** Import a MIDI, MusicXML or ABC file: it replaces the score (the old one stays in the
 * history), after a confirmation when the score has notes. */
import { useId, useRef, useState, type DragEvent } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import { useNotify, useProject, useScore } from "@/features/workspace/state";
import { formatBytes } from "@/lib/format";
import styles from "@/ui/Dialogs.module.css";
import { Modal } from "@/ui/Modal";

const EXTENSIONS = [".mid", ".midi", ".musicxml", ".xml", ".mxl", ".abc"];
const MAX_BYTES = 16 * 1024 * 1024;

export function ImportDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal title="Import" open={open} onClose={onClose}>
      <ImportBody onClose={onClose} />
    </Modal>
  );
}

function problemWith(file: File): string | null {
  const name = file.name.toLowerCase();
  if (!EXTENSIONS.some((ext) => name.endsWith(ext))) {
    return `${file.name} is not a file AriaForge can import. Choose a MIDI (.mid, .midi), `
      + "MusicXML (.musicxml, .xml, .mxl) or ABC (.abc) file.";
  }
  if (file.size > MAX_BYTES) return `${file.name} is ${formatBytes(file.size)}; the limit is 16 MiB.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

function ImportBody({ onClose }: { onClose(): void }) {
  const { projectId, canEdit, reload } = useProject();
  const { score } = useScore();
  const notify = useNotify();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const hasNotes = (score?.tracks ?? []).some((t) => (t.notes ?? []).length > 0);

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    const problem = problemWith(chosen);
    setError(problem);
    setFile(problem ? null : chosen);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!canEdit || busy) return;
    choose(event.dataTransfer.files[0]);
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.append("file", file, file.name);
    const answer = await api.POST("/api/v1/projects/{project_id}/import", {
      params: { path: { project_id: projectId } }, body: form as never,
    });
    setBusy(false);
    if (!answer.data) {
      const problem = errorOf(answer.error, answer.response.status);
      setError(problem.code === "PAYLOAD_TOO_LARGE" ? "The file is over the 16 MiB limit."
        : `${file.name} could not be imported: ${describeError(problem)}`);
      return;
    }
    notify(`Imported ${file.name} (version ${answer.data.revision}).`);
    await reload();
    onClose();
  };

  if (!canEdit) return <p className="muted">Viewers cannot import into this project.</p>;

  return (
    <div className="stack">
      <p className={styles.warning}>
        Importing replaces the whole score. The current one stays in the history, so you can
        restore it.
      </p>
      <div className={`${styles.drop} ${dragging ? styles.dragging : ""}`}
           onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
           onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <p style={{ margin: 0 }}>Drop a file here, or</p>
        <label htmlFor={`${id}-file`} className="sr-only">Choose a file to import</label>
        <input ref={input} id={`${id}-file`} type="file" className="sr-only" tabIndex={-1}
               accept={[...EXTENSIONS, "audio/midi", "application/vnd.recordare.musicxml+xml",
                        "application/vnd.recordare.musicxml"].join(",")}
               onChange={(e) => { choose(e.target.files?.[0]); e.target.value = ""; }} />
        <button type="button" onClick={() => input.current?.click()} disabled={busy}
                aria-describedby={`${id}-formats`}>Choose a file…</button>
        <p id={`${id}-formats`} className="muted" style={{ margin: 0, fontSize: 13 }}>
          MIDI (.mid, .midi), MusicXML (.musicxml, .xml, .mxl) or ABC (.abc), up to 16 MiB
        </p>
      </div>
      {file && <p style={{ margin: 0 }}>Selected: <strong>{file.name}</strong>{" "}
        <span className="muted">({formatBytes(file.size)})</span></p>}
      {error && <p className="error" role="alert" data-testid="import-error">{error}</p>}
      {file && hasNotes && (
        <label className={styles.check}>
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          Yes, replace the current score (it has notes)
        </label>
      )}
      <div className="row">
        <button type="button" className="primary" data-testid="import-start"
                disabled={!file || busy || (hasNotes && !confirmed)}
                onClick={() => void upload()}>
          {busy ? "Importing…" : "Import and replace the score"}
        </button>
        <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
      </div>
    </div>
  );
}
