/** The master section of the mixer: gain and the true-peak limiter. Live (the shared
 * document has synced) the master is read from the document and every change is written
 * into it (everyone hears the same mix); otherwise it is saved through GET/PUT /mix
 * (per-track settings left untouched; a conflict reloads the mix). */
import { useCallback, useEffect, useId, useRef, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { MixSettings } from "@/api/types";
import { useNotify, useProject, useScore, useScoreEdits } from "@/features/workspace/state";

import { DEBOUNCE_MS } from "./debounce";
import { MIX_CHANGED_EVENT } from "./events";
import styles from "./Mixer.module.css";

type Master = NonNullable<MixSettings["master"]>;
const MASTER_DEFAULTS = { gain_db: 0, limiter: true, ceiling_dbtp: -1 };
/** Live, a moving slider is written at most this often (the server limits the messages per
 * second of a connection); the last value is always written. */
const LIVE_WRITE_MS = 150;

export function MasterSection() {
  const { mix } = useScore();
  return mix ? <LiveMaster master={{ ...MASTER_DEFAULTS, ...mix.master }} />
    : <RestMaster />;
}

function LiveMaster({ master }: { master: Required<Master> }) {
  const { canEdit } = useProject();
  const { updateMaster } = useScoreEdits();
  const [draft, setDraft] = useState<Master | null>(null);
  const timer = useRef<number | null>(null);
  const pending = useRef<Master>({});
  const lastWrite = useRef(0);
  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);

  const write = useCallback(() => {
    timer.current = null;
    lastWrite.current = Date.now();
    const send = pending.current;
    pending.current = {};
    void updateMaster(send).finally(() => {
      if (timer.current === null) setDraft(null);  // the document now holds the value
    });
  }, [updateMaster]);

  const change = (patch: Partial<Master>, immediate = false) => {
    setDraft((d) => ({ ...d, ...patch }));
    pending.current = { ...pending.current, ...patch };
    if (timer.current !== null) return;
    const wait = immediate ? 0 : Math.max(0, lastWrite.current + LIVE_WRITE_MS - Date.now());
    timer.current = window.setTimeout(write, wait);
  };

  return <MasterControls master={{ ...master, ...draft }} canEdit={canEdit} saving={false}
                         error={null} onRetry={() => undefined} onChange={change} />;
}

function RestMaster() {
  const { projectId, canEdit } = useProject();
  const notify = useNotify();
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

  return <MasterControls master={master} canEdit={canEdit} saving={saving} error={error}
                         onRetry={() => void load()} onChange={change} />;
}

function MasterControls({ master, canEdit, saving, error, onRetry, onChange: change }: {
  master: Master | null; canEdit: boolean; saving: boolean; error: string | null;
  onRetry(): void; onChange(patch: Partial<Master>, immediate?: boolean): void;
}) {
  const id = useId();
  return (
    <section className={styles.master} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className={styles.title}>
        Master {saving && <span className="muted">(saving…)</span>}
      </h3>
      {error && <p className="error">{error} <button type="button" onClick={onRetry}>
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
