"use client";
/** Export: format, quality, sample rate, bit depth, stems/MIDI/MusicXML, bar range →
 * POST /exports, poll GET /exports/{id} until it ends, then the quality report and the
 * files (downloaded with the token, saved through an <a download>). */
import { useEffect, useId, useRef, useState, type FormEvent, type MouseEvent } from "react";

import { API_BASE, api, authorizedFetch, errorOf } from "@/api/client";
import { describeError, errorFromResponse } from "@/api/errors";
import type { components } from "@/api/schema";
import type { ExportOut } from "@/api/types";
import { useProject, useScore } from "@/features/workspace/state";
import { filenameFromDisposition, saveBlob } from "@/lib/download";
import { formatBytes } from "@/lib/format";
import styles from "@/ui/Dialogs.module.css";
import { Modal } from "@/ui/Modal";
import { Progress } from "@/ui/Progress";

type ExportRequest = components["schemas"]["ExportRequest"];
type Format = NonNullable<ExportRequest["format"]>;
type Quality = NonNullable<ExportRequest["quality"]>;

const FORMATS: { value: Format; label: string }[] = [
  { value: "mp3", label: "MP3" }, { value: "wav", label: "WAV" }, { value: "flac", label: "FLAC" },
  { value: "ogg", label: "OGG Vorbis" }, { value: "opus", label: "Opus" },
];
const TERMINAL = new Set(["succeeded", "failed", "dead", "cancelled"]);

export function ExportDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal title="Export" open={open} onClose={onClose} wide>
      <ExportBody />
    </Modal>
  );
}

function ExportBody() {
  const { projectId } = useProject();
  const { score } = useScore();
  const id = useId();
  const totalBars = score?.bars ?? 1;
  const [format, setFormat] = useState<Format>("mp3");
  const [quality, setQuality] = useState<Quality>("high");
  const [sampleRate, setSampleRate] = useState<44100 | 48000>(44100);
  const [bitDepth, setBitDepth] = useState<16 | 24>(16);
  const [lufs, setLufs] = useState(-14);
  const [stems, setStems] = useState(false);
  const [midi, setMidi] = useState(false);
  const [musicxml, setMusicxml] = useState(false);
  const [startBar, setStartBar] = useState("1");
  const [endBar, setEndBar] = useState(String(totalBars));
  const [job, setJob] = useState<ExportOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const timer = useRef<number | null>(null);
  // False once the dialog closed: a GET in flight then must not schedule another poll.
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, []);

  const poll = (exportId: string, failures = 0) => {
    if (!alive.current) return;
    timer.current = window.setTimeout(async () => {
      let answer;
      try {
        answer = await api.GET("/api/v1/exports/{export_id}", {
          params: { path: { export_id: exportId } },
        });
      } catch {
        answer = null;  // a network failure counts as a failed poll, so polling goes on
      }
      if (!alive.current) return;
      if (answer?.data) {
        setJob(answer.data);
        if (!TERMINAL.has(answer.data.status)) poll(exportId);
      } else if (failures < 4) {
        poll(exportId, failures + 1);
      } else {
        setError(describeError(errorOf(answer?.error, answer?.response.status)));
      }
    }, 1000);
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const first = Number(startBar);
    const last = Number(endBar);
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first
        || last > Math.max(totalBars, 1)) {
      setError(`The bar range must go from 1 to ${totalBars}, start ≤ end.`);
      return;
    }
    setError(null);
    setStarting(true);
    const whole = first === 1 && last === totalBars;
    let answer;
    try {
      answer = await api.POST("/api/v1/projects/{project_id}/exports", {
        params: { path: { project_id: projectId } },
        body: {
          format, quality, sample_rate: sampleRate, target_lufs: lufs,
          ...(format === "wav" ? { bit_depth: bitDepth } : {}),
          include_stems: stems, include_midi: midi, include_musicxml: musicxml,
          start_bar: whole ? null : first, end_bar: whole ? null : last,
        },
      });
    } catch {
      answer = null;  // a network failure must not leave the form "starting" forever
    } finally {
      setStarting(false);
    }
    if (!answer?.data) {
      setError(describeError(errorOf(answer?.error, answer?.response.status)));
      return;
    }
    setJob(answer.data);
    if (!TERMINAL.has(answer.data.status)) poll(answer.data.id);
  };

  const running = starting || (job !== null && !TERMINAL.has(job.status));

  return (
    <div className="stack">
      <form className={styles.form} onSubmit={(e) => void start(e)}>
        <div className={styles.grid}>
          <label>
            Format
            <select value={format} disabled={running}
                    onChange={(e) => setFormat(e.target.value as Format)}>
              {FORMATS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
            </select>
          </label>
          <label>
            Quality
            <select value={quality} disabled={running || format === "wav" || format === "flac"}
                    onChange={(e) => setQuality(e.target.value as Quality)}>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
            </select>
          </label>
          <label>
            Sample rate
            <select value={sampleRate} disabled={running}
                    onChange={(e) => setSampleRate(Number(e.target.value) as 44100 | 48000)}>
              <option value={44100}>44.1 kHz</option>
              <option value={48000}>48 kHz</option>
            </select>
          </label>
          {format === "wav" && (
            <label>
              Bit depth
              <select value={bitDepth} disabled={running}
                      onChange={(e) => setBitDepth(Number(e.target.value) as 16 | 24)}>
                <option value={16}>16-bit</option>
                <option value={24}>24-bit</option>
              </select>
            </label>
          )}
          <label>
            Loudness target (LUFS)
            <input type="number" min={-36} max={-6} step={1} value={lufs} disabled={running}
                   onChange={(e) => setLufs(Number(e.target.value))} />
          </label>
          <label>
            From bar
            <input type="number" min={1} max={totalBars} value={startBar} disabled={running}
                   onChange={(e) => setStartBar(e.target.value)} />
          </label>
          <label>
            To bar
            <input type="number" min={1} max={totalBars} value={endBar} disabled={running}
                   onChange={(e) => setEndBar(e.target.value)} />
          </label>
        </div>
        <fieldset className={styles.checks} disabled={running}>
          <legend>Also include</legend>
          <label className={styles.check}>
            <input type="checkbox" checked={stems} onChange={(e) => setStems(e.target.checked)} />
            Stems (one file per track)
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={midi} onChange={(e) => setMidi(e.target.checked)} />
            MIDI
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={musicxml}
                   onChange={(e) => setMusicxml(e.target.checked)} />
            MusicXML
          </label>
        </fieldset>
        {error && <p className="error" role="alert" id={`${id}-error`}>{error}</p>}
        <div className="row">
          <button type="submit" className="primary" data-testid="export-start" disabled={running}>
            {running ? "Exporting…" : job ? "Export again" : "Start export"}
          </button>
        </div>
      </form>
      {job && <ExportProgress job={job} />}
    </div>
  );
}

function ExportProgress({ job }: { job: ExportOut }) {
  const quality = (job.quality ?? null) as {
    integrated_lufs?: number | null; true_peak_dbtp?: number | null; score?: number;
    clipped_samples?: number; duration_s?: number; loudness_range_lu?: number | null;
  } | null;
  const done = job.status === "succeeded";
  const failed = job.status === "failed" || job.status === "dead" || job.status === "cancelled";
  const number = (value: number | null | undefined, digits = 1) =>
    typeof value === "number" ? value.toFixed(digits) : "—";

  return (
    <section className="stack" aria-label="Export result">
      <p role="status" data-testid="export-status" data-status={job.status} style={{ margin: 0 }}>
        {done ? "Export done" : failed ? `Export ${job.status}`
          : `${job.stage || job.status} ${Math.round(job.progress)}%`}
      </p>
      {!done && !failed && <Progress label={job.message || "Rendering…"}
                                     percent={job.status === "queued" ? null : job.progress} />}
      {failed && <p className="error" role="alert">{job.error || job.message
        || "The export failed."}</p>}
      {done && quality && (
        <dl className={styles.report} aria-label="Quality report">
          <div><dt>Integrated loudness</dt><dd>{number(quality.integrated_lufs)} LUFS</dd></div>
          <div><dt>True peak</dt><dd>{number(quality.true_peak_dbtp)} dBTP</dd></div>
          <div><dt>Quality score</dt>
            <dd>{typeof quality.score === "number" ? Math.round(quality.score * 100) : "—"}/100</dd>
          </div>
          {typeof quality.clipped_samples === "number" && (
            <div><dt>Clipped samples</dt><dd>{quality.clipped_samples}</dd></div>
          )}
          {typeof quality.duration_s === "number" && (
            <div><dt>Duration</dt><dd>{number(quality.duration_s)} s</dd></div>
          )}
        </dl>
      )}
      {done && job.files.length > 0 && (
        <ul className={styles.files} aria-label="Files">
          {job.files.map((file) => <FileLink key={file.name} exportId={job.id} file={file} />)}
        </ul>
      )}
    </section>
  );
}

function FileLink({ exportId, file }: { exportId: string;
                                       file: ExportOut["files"][number] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = file.url.startsWith("/") ? file.url
    : `/api/v1/exports/${exportId}/files/${encodeURIComponent(file.name)}`;

  const download = async (event: MouseEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await authorizedFetch(path);
      if (!response.ok) {
        setError(describeError(await errorFromResponse(response)));
        return;
      }
      // Saved under the name the server gives it, after the project ("Rainy waltz - mix.mp3").
      saveBlob(await response.blob(),
               filenameFromDisposition(response.headers.get("content-disposition"), file.name));
    } catch {
      setError("The download failed; check the connection and try again.");
    } finally {
      setBusy(false);
    }
  };

  const kind = { mix: "Mix", stem: "Stem", midi: "MIDI", musicxml: "MusicXML",
                 bundle: "Everything (zip)" }[file.kind] ?? file.kind;
  return (
    <li>
      <span>
        <span className="badge">{kind}</span> {file.name}{" "}
        <span className="muted">({formatBytes(file.bytes)})</span>
      </span>
      <a href={`${API_BASE}${path}`} download={file.name} data-testid="download" onClick={(e) => void download(e)}
         aria-busy={busy}>
        {busy ? "Downloading…" : "Download"}
        <span className="sr-only"> {file.name}</span>
      </a>
      {error && <span className="error" role="alert">{error}</span>}
    </li>
  );
}
