/** Audio samples: upload (drag and drop), filter by category, tempo, key and text, preview
 * one at a time, correct the detected tempo and key, tag, and add to the song — a clip on
 * an audio track at the playhead's bar, stretched to the song's tempo when the sample has
 * one. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { Score } from "@/api/types";
import { useNotify, usePlayhead, useProject, useScore, useScoreEdits,
         useSelection } from "@/features/workspace/state";
import { barLayout } from "@/lib/geometry";

import {
  deleteSample, formatDuration, listSamples, rememberSamples, sampleAudioUrl, updateSample,
  type Sample, type SampleCategory, type SampleFilters, type Uploaded,
} from "./api";
import { placeSample } from "./audioTracks";
import styles from "./Library.module.css";
import { UploadBox } from "./UploadBox";

const PAGE = 20;
/** The server's sample categories. */
export const SAMPLE_CATEGORIES = ["drums", "percussion", "bass", "keys", "guitar", "strings",
                                  "brass", "woodwinds", "synth", "pad", "lead", "vocals", "fx",
                                  "other"];
const TONICS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
export const KEYS = TONICS.flatMap((t) => [`${t} major`, `${t} minor`]);

export function SamplesSection() {
  const { projectId, canEdit } = useProject();
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [bpm, setBpm] = useState("");
  const [key, setKey] = useState("");
  const [items, setItems] = useState<Sample[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const preview = usePreview();

  const filters = useMemo<SampleFilters>(() => {
    const tempo = Number(bpm);
    return { search: search.trim(), category: (category || null) as SampleCategory | null,
             key: key || null,
             bpm: bpm.trim() && Number.isFinite(tempo) && tempo >= 20 && tempo <= 300 ? tempo
               : null };
  }, [search, category, bpm, key]);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      void listSamples({ ...filters, limit: PAGE, offset: 0 }).then((answer) => {
        if (!live) return;
        if (!answer.ok) { setError(answer.error.message); setItems([]); setTotal(0); return; }
        setError(null);
        rememberSamples(answer.value.items);
        setItems(answer.value.items);
        setTotal(answer.value.total);
      });
    }, filters.search || bpm ? 250 : 0);
    return () => { live = false; window.clearTimeout(timer); };
  }, [filters, bpm, reloadKey]);

  const more = async () => {
    setLoadingMore(true);
    const answer = await listSamples({ ...filters, limit: PAGE, offset: items?.length ?? 0 });
    setLoadingMore(false);
    if (!answer.ok) { setError(answer.error.message); return; }
    rememberSamples(answer.value.items);
    setItems((now) => [...(now ?? []), ...answer.value.items]);
    setTotal(answer.value.total);
  };


  const onUploaded = useCallback((uploaded: Uploaded) => {
    if (uploaded.kind === "sample" && uploaded.sample) {
      // Show it first, whatever the filters, so its detected tempo and key can be checked.
      const sample = uploaded.sample;
      rememberSamples([sample]);
      setItems((now) => [sample, ...(now ?? []).filter((s) => s.id !== sample.id)]);
      setTotal((n) => n + 1);
    } else {
      setReloadKey((n) => n + 1);
    }
  }, []);

  const replace = (sample: Sample) => {
    rememberSamples([sample]);
    setItems((now) => (now ?? []).map((s) => (s.id === sample.id ? sample : s)));
  };
  const remove = (id: string) => {
    setItems((now) => (now ?? []).filter((s) => s.id !== id));
    setTotal((n) => Math.max(0, n - 1));
  };

  return (
    <div className="stack">
      <UploadBox onUploaded={onUploaded} projectId={projectId} />
      <div className={styles.filters} role="search" aria-label="Filter samples">
        <label className={styles.wide}>
          Search samples
          <input type="search" value={search} maxLength={100} placeholder="name, tag, key…"
                 onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {SAMPLE_CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>
          Tempo (bpm)
          <input type="number" inputMode="decimal" min={20} max={300} step={1} value={bpm}
                 placeholder="any" onChange={(e) => setBpm(e.target.value)} />
        </label>
        <label className={styles.wide}>
          Key
          <select value={key} onChange={(e) => setKey(e.target.value)}>
            <option value="">Any key</option>
            {KEYS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {items === null ? <p className={styles.empty} role="status">Loading samples…</p>
        : items.length === 0 ? (
          <p className={styles.empty} role="status">
            {filters.search || category || key || filters.bpm
              ? "No samples match these filters."
              : "No samples yet. Upload a WAV, FLAC, MP3 or OGG loop or one-shot above."}
          </p>
        ) : (
          <>
            <p className={styles.hint} role="status">
              {total === 1 ? "1 sample" : `${total} samples`}
            </p>
            <ul className={styles.list} aria-label="Samples">
              {items.map((sample) => (
                <SampleItem key={sample.id} sample={sample} canEdit={canEdit}
                            projectId={projectId}
                            playing={preview.playingId === sample.id}
                            loading={preview.loadingId === sample.id}
                            onPlay={() => void preview.toggle(sample)}
                            onChange={replace} onDelete={() => remove(sample.id)} />
              ))}
            </ul>
            {items.length < total ? (
              <button type="button" className={styles.more} disabled={loadingMore}
                      onClick={() => void more()}>
                {loadingMore ? "Loading…" : `Show more (${total - items.length} left)`}
              </button>
            ) : null}
          </>
        )}
      {preview.error ? <p className="error" role="alert">{preview.error}</p> : null}
    </div>
  );
}

/** One audio element for the whole list: one preview at a time; blobs fetched with the
 * token (the audio URL needs it) and kept while the panel lives. */
function usePreview() {
  const audio = useRef<HTMLAudioElement | null>(null);
  const urls = useRef(new Map<string, string>());
  const [playingId, setPlayingId] = useState<string | null>(null);
  const [loadingId, setLoadingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const all = urls.current;
    return () => {
      audio.current?.pause();
      all.forEach((url) => URL.revokeObjectURL(url));
      all.clear();
    };
  }, []);

  const toggle = async (sample: Sample) => {
    setError(null);
    const element = audio.current ??= new Audio();
    if (playingId === sample.id) {
      element.pause();
      setPlayingId(null);
      return;
    }
    element.pause();
    let url = urls.current.get(sample.id);
    if (!url) {
      setLoadingId(sample.id);
      const answer = await sampleAudioUrl(sample.id);
      setLoadingId(null);
      if (!answer.ok) { setError(`Cannot play ${sample.name}: ${answer.error.message}`); return; }
      url = answer.value;
      urls.current.set(sample.id, url);
    }
    element.src = url;
    element.onended = () => setPlayingId(null);
    setPlayingId(sample.id);
    try {
      await element.play();
    } catch {
      setPlayingId(null);
      setError(`This browser cannot play ${sample.name}.`);
    }
  };
  return { playingId, loadingId, error, toggle };
}

function SampleItem({ sample, canEdit, projectId, playing, loading, onPlay, onChange,
                      onDelete }: {
  sample: Sample; canEdit: boolean; projectId: string; playing: boolean; loading: boolean;
  onPlay(): void; onChange(sample: Sample): void; onDelete(): void;
}) {
  const { score } = useScore();
  const { addTrack, updateTrack } = useScoreEdits();
  const { playheadTick } = usePlayhead();
  const { selectedTrackId } = useSelection();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const addToSong = async () => {
    if (!score) return;
    setBusy(true);
    try {
      // Share your own sample with this project first, so every member can hear and
      // render it (someone else's is usable here only when they shared it already).
      if (sample.owned && !(sample.shared_with ?? []).includes(projectId)) {
        const shared = await updateSample(sample.id, {
          project_ids: [...(sample.shared_with ?? []), projectId] });
        if (!shared.ok) { notify(shared.error.message, "error"); return; }
        onChange(shared.value);
      }
      const plan = placeSample(score, sample, playheadTick, selectedTrackId);
      const bar = `bar ${barNumber(score, plan.kind === "full" ? 0 : plan.clip.start)}`;
      if (plan.kind === "full") {
        notify("That audio track is full (256 clips): add the sample to another one.", "error");
        return;
      }
      if (plan.kind === "new-track") {
        const id = await addTrack(plan.track);
        // The selection stays where it was: the note editor has nothing to show for clips.
        if (id) notify(`${sample.name} added at ${bar} on a new audio track.`);
      } else {
        const ok = await updateTrack(plan.trackId, { clips: plan.clips });
        if (ok) notify(`${sample.name} added at ${bar}.`);
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    const answer = await deleteSample(sample.id);
    setBusy(false);
    setConfirming(false);
    if (answer.ok) onDelete();
    else notify(answer.error.message, "error");
  };

  return (
    <li className={styles.item} data-testid="sample-item" data-sample-id={sample.id}>
      <div className={styles.itemHead}>
        <button type="button" className={`${styles.play} ${playing ? styles.playing : ""}`}
                aria-label={`${playing ? "Stop" : "Preview"} ${sample.name}`}
                aria-pressed={playing} disabled={loading} onClick={onPlay}>
          {loading ? "…" : playing ? "■" : "▶"}
        </button>
        <span className={styles.itemName} title={sample.name}>{sample.name}</span>
        <span className="badge">{sample.category}</span>
      </div>
      <div className={styles.meta}>
        <span data-testid="sample-bpm">
          <strong>{sample.bpm ? `${round1(sample.bpm)}` : "–"}</strong> bpm
        </span>
        <span data-testid="sample-key">{sample.key ? <strong>{sample.key}</strong> : "no key"}</span>
        <span>{formatDuration(sample.duration_s)}</span>
        {sample.format ? <span>{sample.format.toUpperCase()}</span> : null}
        {sample.owned === false ? <span>shared with you</span> : null}
      </div>
      {sample.tags.length ? (
        <div className={styles.tags} aria-label="Tags">
          {sample.tags.map((tag) => <span key={tag} className="badge">{tag}</span>)}
        </div>
      ) : null}
      {editing ? (
        <SampleEditor sample={sample} onCancel={() => setEditing(false)}
                      onSaved={(saved) => { onChange(saved); setEditing(false); }} />
      ) : (
        <div className={styles.actions}>
          {canEdit ? (
            <button type="button" className="primary" disabled={busy || !score}
                    aria-label={`Add ${sample.name} to the song`} data-testid="sample-add"
                    onClick={() => void addToSong()}>
              {busy ? "Adding…" : "Add to song"}
            </button>
          ) : null}
          <button type="button" aria-label={`Edit ${sample.name}`}
                  onClick={() => setEditing(true)}>Edit</button>
          {confirming ? (
            <>
              <button type="button" className="danger" disabled={busy}
                      onClick={() => void remove()}>Delete {sample.name}?</button>
              <button type="button" onClick={() => setConfirming(false)}>Keep</button>
            </>
          ) : (
            <button type="button" aria-label={`Delete ${sample.name}`}
                    onClick={() => setConfirming(true)}>Delete</button>
          )}
        </div>
      )}
    </li>
  );
}

function round1(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function barNumber(score: Score, tick: number): number {
  let number = 1;
  for (const bar of barLayout(score)) if (bar.start <= tick) number = bar.number;
  return number;
}

/** Inline editing of the detected tempo and key, the name and the tags. */
function SampleEditor({ sample, onSaved, onCancel }: {
  sample: Sample; onSaved(sample: Sample): void; onCancel(): void;
}) {
  const [name, setName] = useState(sample.name);
  const [bpm, setBpm] = useState(sample.bpm ? String(round1(sample.bpm)) : "");
  const [key, setKey] = useState(sample.key ?? "");
  const [tags, setTags] = useState(sample.tags.join(", "));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const keys = key && !KEYS.includes(key) ? [key, ...KEYS] : KEYS;

  const save = async () => {
    const tempo = bpm.trim() ? Number(bpm) : null;
    if (tempo !== null && (!Number.isFinite(tempo) || tempo < 20 || tempo > 300)) {
      setError("Tempo must be between 20 and 300 bpm (or empty).");
      return;
    }
    const tagList = [...new Set(tags.split(",").map((t) => t.trim().toLowerCase())
      .filter(Boolean))];
    if (tagList.some((t) => t.length > 40)) { setError("A tag has at most 40 characters."); return; }
    setSaving(true);
    const answer = await updateSample(sample.id, {
      name: name.trim() || sample.name, bpm: tempo, key: key || null, tags: tagList });
    setSaving(false);
    if (!answer.ok) { setError(answer.error.message); return; }
    onSaved(answer.value);
  };

  return (
    <form className={styles.editGrid} aria-label={`Edit ${sample.name}`} noValidate
          onSubmit={(e) => { e.preventDefault(); void save(); }}
          onKeyDown={(e) => { if (e.key === "Escape") { e.preventDefault(); onCancel(); } }}>
      <label className={styles.wide}>
        Name
        <input value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Tempo (bpm)
        <input type="number" min={20} max={300} step={0.1} value={bpm} autoFocus
               onChange={(e) => setBpm(e.target.value)} />
      </label>
      <label>
        Key
        <select value={key} onChange={(e) => setKey(e.target.value)}>
          <option value="">No key</option>
          {keys.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </label>
      <label className={styles.wide}>
        Tags (comma-separated)
        <input value={tags} maxLength={400} placeholder="funky, guitar"
               onChange={(e) => setTags(e.target.value)} />
      </label>
      {error ? <p className={`error ${styles.wide}`} role="alert" style={{ margin: 0 }}>
        {error}</p> : null}
      <div className={`row ${styles.wide}`}>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Saving…" : "Save"}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
