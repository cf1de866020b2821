/** Upload to the library: drop files here or choose them; each is checked here (type,
 * size) and then by the server (by decoding it); progress while it goes, and the server's
 * refusal as a sentence ("That file isn't a valid WAV", "Upload limit reached, try again in
 * 12 min"). SF2 files become SoundFonts, audio files samples (tempo and key detected). */
import { useId, useRef, useState, type DragEvent } from "react";

import { Progress } from "@/ui/Progress";

import {
  ACCEPT_ATTRIBUTE, formatBytes, MAX_FILE_BYTES, MAX_SAMPLE_SECONDS, precheckFile, uploadFile,
  type UploadHandle, type Uploaded,
} from "./api";
import styles from "./Library.module.css";

export function UploadBox({ onUploaded }: { onUploaded(uploaded: Uploaded): void;
                                            projectId?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [over, setOver] = useState(false);
  const [current, setCurrent] = useState<{ name: string; percent: number;
                                           handle: UploadHandle } | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);

  const uploadAll = async (files: File[]) => {
    setErrors([]);
    setDone(null);
    const problems: string[] = [];
    const finished: string[] = [];
    for (const file of files) {
      const problem = precheckFile(file);
      if (problem) { problems.push(problem); continue; }
      const handle = uploadFile(file, { name: file.name.replace(/\.[^.]+$/, "").slice(0, 100) },
                                (fraction) => setCurrent((now) => now && now.handle === handle
                                  ? { ...now, percent: Math.round(fraction * 100) } : now));
      setCurrent({ name: file.name, percent: 0, handle });
      const answer = await handle.promise;
      setCurrent(null);
      if (answer.ok) {
        finished.push(file.name);
        onUploaded(answer.value);
      } else {
        problems.push(answer.error.code === "ABORTED" ? `${file.name}: upload cancelled.`
          : answer.status === 429 ? answer.error.message
          : `${file.name}: ${answer.error.message}`);
        // The hourly limit applies to the rest as well.
        if (answer.status === 429) break;
      }
    }
    setErrors(problems);
    if (finished.length) {
      setDone(finished.length === 1 ? `Uploaded ${finished[0]}.`
        : `Uploaded ${finished.length} files.`);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (current) return;
    const files = [...event.dataTransfer.files];
    if (files.length) void uploadAll(files);
  };

  return (
    <div className={`${styles.drop} ${over ? styles.dropActive : ""}`} data-testid="library-drop"
         onDragOver={(e) => { e.preventDefault(); if (!current) setOver(true); }}
         onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <span>Drop audio or SF2 files here, or</span>
      <button type="button" disabled={current !== null} aria-describedby={hintId}
              onClick={() => input.current?.click()}>Choose files…</button>
      <input ref={input} type="file" multiple accept={ACCEPT_ATTRIBUTE} hidden
             aria-label="Upload to the library" data-testid="library-file"
             onChange={(e) => {
               const files = [...(e.target.files ?? [])];
               e.target.value = "";
               if (files.length) void uploadAll(files);
             }} />
      <p id={hintId} className={styles.hint}>
        WAV, FLAC, MP3 or OGG samples up to {MAX_SAMPLE_SECONDS} s, mono or stereo; SF2
        SoundFonts. At most {formatBytes(MAX_FILE_BYTES)} a file.
      </p>
      {current ? (
        <div style={{ width: "100%" }}>
          <Progress label={`Uploading ${current.name}… ${current.percent}%`}
                    percent={current.percent >= 100 ? null : current.percent} />
          <button type="button" onClick={() => current.handle.abort()}
                  style={{ marginTop: 4 }}>Cancel upload</button>
        </div>
      ) : null}
      <div aria-live="polite" style={{ width: "100%" }}>
        {done ? <p className={styles.uploaded}>{done}</p> : null}
        {errors.map((message) => (
          <p key={message} className="error" role="alert" style={{ margin: "2px 0" }}>{message}</p>
        ))}
      </div>
    </div>
  );
}
