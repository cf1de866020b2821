"use client";
/** The mixer: per track volume, pan, mute and solo (saved on the tracks through
 * `updateTrack`, one change at a time, sliders debounced) and the master gain and limiter
 * (GET/PUT /mix, per-track effects left untouched, 409 → reload the mix). */
import { useCallback, useEffect, useId, useRef, useState } from "react";

import { api, errorOf } from "@/api/client";
import type { MixSettings, Track } from "@/api/types";
import { useWorkspace } from "@/workspace/WorkspaceContext";

import styles from "./Mixer.module.css";
import { describeError, MIX_CHANGED_EVENT } from "./shared";

const DEBOUNCE_MS = 400;
type Master = NonNullable<MixSettings["master"]>;
type IdTrack = Track & { id: string };
type TrackPatch = Partial<Pick<Track, "volume" | "pan" | "mute" | "solo">>;

export function Mixer() {
  const { score, canEdit, updateTrack, selectedTrackId, selectTrack } = useWorkspace();
  const tracks = (score?.tracks ?? []).filter((t): t is IdTrack => typeof t.id === "string");

  // Track changes run one after another; each is sent with the revision the previous one
  // produced (the workspace keeps it current as soon as a change is saved).
  const latest = useRef(updateTrack);
  useEffect(() => { latest.current = updateTrack; }, [updateTrack]);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = useCallback((trackId: string, patch: TrackPatch) => {
    // One change that throws (network failure) must not break the queue for all later ones.
    const work = () => latest.current(trackId, patch);
    queue.current = queue.current.catch(() => undefined).then(work);
    return queue.current.catch(() => false);
  }, []);

  const anySolo = tracks.some((t) => t.solo);

  return (
    <div className={styles.mixer}>
      {tracks.length === 0 ? <p className="muted">No tracks yet.</p> : (
        <ul className={styles.strips} aria-label="Tracks">
          {tracks.map((track) => (
            <TrackStrip key={track.id} track={track} disabled={!canEdit} anySolo={anySolo}
                        selected={track.id === selectedTrackId}
                        onSelect={() => selectTrack(track.id)} onChange={enqueue} />
          ))}
        </ul>
      )}
      <MasterSection />
    </div>
  );
}

function TrackStrip({ track, disabled, anySolo, selected, onSelect, onChange }: {
  track: IdTrack; disabled: boolean; anySolo: boolean; selected: boolean; onSelect(): void;
  onChange(trackId: string, patch: TrackPatch): Promise<unknown>;
}) {
  const id = useId();
  const volume = track.volume ?? 100;
  const pan = track.pan ?? 0;
  const [draft, setDraft] = useState<{ volume: number; pan: number } | null>(null);
  const timer = useRef<number | null>(null);
  const pending = useRef<TrackPatch>({});
  // Mute/solo toggle from the props, which update only once the save (and reload) is done:
  // the button stays disabled meanwhile, so a quick double click cannot send the same value
  // twice.
  const [toggling, setToggling] = useState<{ mute?: boolean; solo?: boolean }>({});
  const toggle = (field: "mute" | "solo") => {
    if (toggling[field]) return;
    setToggling((t) => ({ ...t, [field]: true }));
    void onChange(track.id, { [field]: !track[field] }).finally(() => {
      setToggling((t) => ({ ...t, [field]: false }));
    });
  };

  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);

  const slide = (patch: { volume?: number; pan?: number }) => {
    setDraft((d) => ({ volume: d?.volume ?? volume, pan: d?.pan ?? pan, ...patch }));
    pending.current = { ...pending.current, ...patch };
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      const send = pending.current;
      pending.current = {};
      void onChange(track.id, send).finally(() => {
        if (timer.current === null) setDraft(null);  // the score now holds the value
      });
    }, DEBOUNCE_MS);
  };

  const shownVolume = draft?.volume ?? volume;
  const shownPan = draft?.pan ?? pan;
  const audible = !track.mute && (!anySolo || track.solo);
  const panText = shownPan === 0 ? "centre" : shownPan < 0 ? `${-shownPan} left`
    : `${shownPan} right`;

  return (
    <li className={`${styles.strip} ${selected ? styles.selected : ""}`}>
      <div className={styles.head}>
        <button type="button" className={styles.name} onClick={onSelect}
                aria-pressed={selected} title="Select this track in the editor">
          <span className={styles.swatch} style={{ background: track.colour ?? "var(--accent)" }}
                aria-hidden="true" />
          {track.name}
        </button>
        {!audible && <span className="badge">silent</span>}
      </div>
      <div className={styles.controls}>
        <label htmlFor={`${id}-vol`} className={styles.slider}>
          <span>Volume <output htmlFor={`${id}-vol`}>{shownVolume}</output></span>
          <input id={`${id}-vol`} type="range" min={0} max={127} value={shownVolume}
                 disabled={disabled} onChange={(e) => slide({ volume: Number(e.target.value) })}
                 aria-valuetext={`${shownVolume} of 127`} />
        </label>
        <label htmlFor={`${id}-pan`} className={styles.slider}>
          <span>Pan <output htmlFor={`${id}-pan`}>{panText}</output></span>
          <input id={`${id}-pan`} type="range" min={-64} max={63} value={shownPan}
                 disabled={disabled} onChange={(e) => slide({ pan: Number(e.target.value) })}
                 onDoubleClick={() => !disabled && slide({ pan: 0 })}
                 aria-valuetext={panText} />
        </label>
        <div className={styles.toggles}>
          <button type="button" aria-pressed={Boolean(track.mute)}
                  disabled={disabled || toggling.mute}
                  className={track.mute ? styles.mute : undefined}
                  aria-label={`Mute ${track.name}`}
                  onClick={() => toggle("mute")}>M</button>
          <button type="button" aria-pressed={Boolean(track.solo)}
                  disabled={disabled || toggling.solo}
                  className={track.solo ? styles.solo : undefined}
                  aria-label={`Solo ${track.name}`}
                  onClick={() => toggle("solo")}>S</button>
        </div>
      </div>
    </li>
  );
}

function MasterSection() {
  const { projectId, canEdit, notify } = useWorkspace();
  const id = useId();
  const [mix, setMix] = useState<{ revision: number; settings: MixSettings } | null>(null);
  const [master, setMaster] = useState<Master | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const timer = useRef<number | null>(null);
  // The mix (and its revision) the next save is made against. Written together with the
  // state, not by an effect after render: a queued save must see the previous one's answer.
  const mixRef = useRef(mix);
  const storeMix = useCallback((next: typeof mix) => {
    mixRef.current = next;
    setMix(next);
  }, []);

  const load = useCallback(async () => {
    let answer;
    try {
      answer = await api.GET("/api/v1/projects/{project_id}/mix", {
        params: { path: { project_id: projectId } },
      });
    } catch {
      answer = null;
    }
    if (!answer?.data) {
      setError(describeError(errorOf(answer?.error, answer?.response.status)));
      return;
    }
    setError(null);
    storeMix(answer.data);
    setMaster({ gain_db: 0, limiter: true, ceiling_dbtp: -1, ...answer.data.settings.master });
  }, [projectId, storeMix]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);

  const put = useCallback(async (next: Master) => {
    const current = mixRef.current;
    if (!current) return;
    // Keep the per-track gains and effects exactly as they came.
    let answer;
    try {
      answer = await api.PUT("/api/v1/projects/{project_id}/mix", {
        params: { path: { project_id: projectId } },
        body: { revision: current.revision, settings: { ...current.settings, master: next } },
      });
    } catch {
      answer = null;
    }
    if (!answer?.data) {
      notify(answer?.response.status === 409
        ? "The mix was changed elsewhere; it has been reloaded."
        : describeError(errorOf(answer?.error, answer?.response.status)), "error");
      await load();
      return;
    }
    storeMix(answer.data);
    window.dispatchEvent(new Event(MIX_CHANGED_EVENT));
  }, [projectId, notify, load, storeMix]);

  // Saves run one after another, each against the revision the previous one answered with:
  // overlapping PUTs would send the old revision twice and the second would falsely conflict.
  const saves = useRef<Promise<void>>(Promise.resolve());
  const pendingSaves = useRef(0);
  const save = useCallback((next: Master) => {
    pendingSaves.current += 1;
    setSaving(true);
    saves.current = saves.current.then(() => put(next)).catch(() => undefined).finally(() => {
      pendingSaves.current -= 1;
      if (pendingSaves.current === 0) setSaving(false);
    });
  }, [put]);

  const change = (patch: Partial<Master>, immediate = false) => {
    if (!master) return;
    const next = { ...master, ...patch };
    setMaster(next);
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void save(next);
    }, immediate ? 0 : DEBOUNCE_MS);
  };

  return (
    <section className={styles.master} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className={styles.title}>
        Master {saving && <span className="muted">(saving…)</span>}
      </h3>
      {error && <p className="error">{error} <button type="button" onClick={() => void load()}>
        Retry</button></p>}
      {!master && !error && <p className="muted">Loading the mix…</p>}
      {master && (
        <>
          <label htmlFor={`${id}-gain`} className={styles.slider}>
            <span>Gain <output htmlFor={`${id}-gain`}>
              {(master.gain_db ?? 0) > 0 ? "+" : ""}{(master.gain_db ?? 0).toFixed(1)} dB</output>
            </span>
            <input id={`${id}-gain`} type="range" min={-24} max={12} step={0.5}
                   value={master.gain_db ?? 0} disabled={!canEdit}
                   aria-valuetext={`${(master.gain_db ?? 0).toFixed(1)} decibels`}
                   onChange={(e) => change({ gain_db: Number(e.target.value) })} />
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={master.limiter ?? true} disabled={!canEdit}
                   onChange={(e) => change({ limiter: e.target.checked }, true)} />
            True-peak limiter
          </label>
          <label htmlFor={`${id}-ceiling`} className={styles.slider}>
            <span>Limiter ceiling <output htmlFor={`${id}-ceiling`}>
              {(master.ceiling_dbtp ?? -1).toFixed(1)} dBTP</output></span>
            <input id={`${id}-ceiling`} type="range" min={-6} max={-0.1} step={0.1}
                   value={master.ceiling_dbtp ?? -1}
                   disabled={!canEdit || !(master.limiter ?? true)}
                   aria-valuetext={`${(master.ceiling_dbtp ?? -1).toFixed(1)} dB true peak`}
                   onChange={(e) => change({ ceiling_dbtp: Number(e.target.value) })} />
          </label>
        </>
      )}
    </section>
  );
}
