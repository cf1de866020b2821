"use client";
/** The score's history: versions (a burst of edits by one person is one version; AI
 * operations, imports and restores are versions of their own), newest first, with who,
 * when, why, a summary and a name people can give. Each can be heard in the browser
 * ("Listen"), compared with the current score (notes added and removed on a small piano
 * roll) and restored (after a confirmation, as a new version). */
import { useCallback, useEffect, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Version } from "@/api/types";
import { usePlayer } from "@/features/playback/api";
import { useNotify, useProject, useScore } from "@/features/workspace/state";
import { formatDate } from "@/lib/format";
import styles from "@/ui/Dialogs.module.css";
import { Modal } from "@/ui/Modal";

import { CompareView } from "./CompareView";
import own from "./History.module.css";
import { useVersionPreview } from "./useVersionPreview";
import { VersionName } from "./VersionName";

const LIMIT = 20;
const REASONS: Record<string, string> = {
  created: "Created", generated: "Generated", edited: "Edited", imported: "Imported",
  restored: "Restored",
};

export function HistoryDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal title="History" open={open} onClose={onClose} wide>
      <HistoryBody onClose={onClose} />
    </Modal>
  );
}

function HistoryBody({ onClose }: { onClose(): void }) {
  const { projectId, canEdit, reload } = useProject();
  const { revision } = useScore();
  const notify = useNotify();
  const player = usePlayer();
  const preview = useVersionPreview();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: Version[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [confirming, setConfirming] = useState<Version | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [comparing, setComparing] = useState<number | null>(null);

  const load = useCallback(async (wanted: number) => {
    setLoading(true);
    const answer = await api.GET("/api/v1/projects/{project_id}/versions", {
      params: { path: { project_id: projectId }, query: { page: wanted, limit: LIMIT } },
    });
    setLoading(false);
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    setError(null);
    setData({ items: answer.data.items, total: answer.data.total });
  }, [projectId]);

  useEffect(() => { void load(page); }, [load, page, revision]);

  const renamed = (version: Version) => setData((old) => old && {
    ...old, items: old.items.map((v) => (v.number === version.number ? version : v)),
  });

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  // The score's revision as the person sees it: the newest version holds it (every save is
  // recorded), and it can be ahead of the workspace's copy while live edits are saved.
  const newest = page === 1 ? (data?.items[0]?.number ?? 0) : 0;
  const current = Math.max(revision, newest);

  const restore = async (version: Version) => {
    setRestoring(true);
    const answer = await api.POST("/api/v1/projects/{project_id}/versions/{number}/restore", {
      params: { path: { project_id: projectId, number: version.number },
                header: { "if-match": `"${current}"` } },
    });
    setRestoring(false);
    setConfirming(null);
    if (!answer.data) {
      const problem = errorOf(answer.error, answer.response.status);
      setError(problem.code === "CONFLICT"
        ? "The score changed meanwhile; the list has been refreshed, please try again."
        : describeError(problem));
      await Promise.all([reload(), load(page)]);
      return;
    }
    notify(`Version ${version.number} restored (now version ${answer.data.revision}).`);
    await reload();
    onClose();
  };

  return (
    <div className="stack">
      {error && <p className="error" role="alert">{error}</p>}
      {preview.error && <p className="error" role="alert">{preview.error}</p>}
      {player.status === "loading" && preview.loading !== null && (
        <p className="muted" role="status">Loading the instruments…</p>
      )}
      {!data && loading && <p className="muted" role="status">Loading the history…</p>}
      {data && data.items.length === 0 && <p className="muted">No versions yet.</p>}
      {data && data.items.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="history-table">
            <caption className="sr-only">Versions of the score, newest first</caption>
            <thead>
              <tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Who</th>
                <th scope="col">When</th><th scope="col">Why</th><th scope="col">Summary</th>
                <th scope="col"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.items.map((v) => (
                <tr key={v.number} data-version={v.number}
                    aria-current={v.number === current ? "true" : undefined}>
                  <td>{v.number}</td>
                  <td className={own.nameCell}><VersionName version={v} onRenamed={renamed} /></td>
                  <td>{v.author?.display_name ?? <span className="muted">unknown</span>}</td>
                  <td>
                    <time dateTime={v.updated_at}
                          title={v.updated_at !== v.created_at ? `started ${formatDate(v.created_at)}` : undefined}>
                      {formatDate(v.updated_at)}</time>
                  </td>
                  <td><span className="badge">{REASONS[v.reason] ?? v.reason}</span></td>
                  <td className={styles.summary}>{v.summary || <span className="muted">—</span>}</td>
                  <td>
                    <div className={own.actions}>
                      <button type="button" onClick={() => void preview.toggle(v.number)}
                              disabled={preview.loading !== null && preview.loading !== v.number}
                              aria-pressed={preview.playing === v.number}
                              aria-label={`${preview.playing === v.number ? "Stop" : "Listen to"} version ${v.number}`}>
                        {preview.loading === v.number ? "Loading…"
                          : preview.playing === v.number ? "Stop" : "Listen"}
                      </button>
                      {v.number !== current && (
                        <button type="button" onClick={() => setComparing(v.number)}
                                aria-pressed={comparing === v.number}
                                aria-label={`Compare version ${v.number} with the current score`}>
                          Compare</button>
                      )}
                      {v.number === current ? <span className="muted">current</span> : canEdit && (
                        <button type="button" onClick={() => setConfirming(v)}
                                aria-label={`Restore version ${v.number}`}>Restore</button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirming && (
        <div className={styles.confirm} role="alertdialog" aria-labelledby="restore-title"
             aria-describedby="restore-text">
          <p id="restore-title"><strong>Restore version {confirming.number}
            {confirming.name ? ` “${confirming.name}”` : ""}?</strong></p>
          <p id="restore-text" className="muted">The current score is kept in the history; the
            restored one becomes a new version.</p>
          <div className="row">
            <button type="button" className="primary" autoFocus disabled={restoring}
                    onClick={() => void restore(confirming)}>
              {restoring ? "Restoring…" : `Restore version ${confirming.number}`}
            </button>
            <button type="button" onClick={() => setConfirming(null)} disabled={restoring}>
              Cancel</button>
          </div>
        </div>
      )}
      {comparing !== null && (
        <CompareView key={`${comparing}-${current}`} number={comparing}
                     onClose={() => setComparing(null)} />
      )}
      {data && pages > 1 && (
        <nav className="row" aria-label="History pages">
          <button type="button" disabled={page <= 1 || loading}
                  onClick={() => setPage((p) => p - 1)}>Newer</button>
          <span className="muted">Page {page} of {pages}</span>
          <button type="button" disabled={page >= pages || loading}
                  onClick={() => setPage((p) => p + 1)}>Older</button>
        </nav>
      )}
    </div>
  );
}
