"use client";
/** The score's history: every version (number, who, when, why, summary), paged; restoring
 * one makes it current again as a new version (after a confirmation). */
import { useCallback, useEffect, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Version } from "@/api/types";
import { useNotify, useProject, useScore } from "@/features/workspace/state";
import { formatDate } from "@/lib/format";
import styles from "@/ui/Dialogs.module.css";
import { Modal } from "@/ui/Modal";

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
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: Version[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [confirming, setConfirming] = useState<Version | null>(null);
  const [restoring, setRestoring] = useState(false);

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

  const restore = async (version: Version) => {
    setRestoring(true);
    const answer = await api.POST("/api/v1/projects/{project_id}/versions/{number}/restore", {
      params: { path: { project_id: projectId, number: version.number },
                header: { "if-match": `"${revision}"` } },
    });
    setRestoring(false);
    setConfirming(null);
    if (!answer.data) {
      const problem = errorOf(answer.error, answer.response.status);
      setError(problem.code === "CONFLICT"
        ? "The score changed meanwhile; the list has been refreshed, please try again."
        : describeError(problem));
      await reload();
      return;
    }
    notify(`Version ${version.number} restored (now version ${answer.data.revision}).`);
    await reload();
    onClose();
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;

  return (
    <div className="stack">
      {error && <p className="error" role="alert">{error}</p>}
      {!data && loading && <p className="muted" role="status">Loading the history…</p>}
      {data && data.items.length === 0 && <p className="muted">No versions yet.</p>}
      {data && data.items.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <caption className="sr-only">Versions of the score, newest first</caption>
            <thead>
              <tr><th scope="col">#</th><th scope="col">Who</th><th scope="col">When</th>
                <th scope="col">Why</th><th scope="col">Summary</th>
                <th scope="col"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.items.map((v) => (
                <tr key={v.number} aria-current={v.number === revision ? "true" : undefined}>
                  <td>{v.number}</td>
                  <td>{v.author?.display_name ?? <span className="muted">unknown</span>}</td>
                  <td><time dateTime={v.created_at}>{formatDate(v.created_at)}</time></td>
                  <td><span className="badge">{REASONS[v.reason] ?? v.reason}</span></td>
                  <td className={styles.summary}>{v.summary || <span className="muted">—</span>}</td>
                  <td>
                    {v.number === revision ? <span className="muted">current</span> : canEdit && (
                      <button type="button" onClick={() => setConfirming(v)}
                              aria-label={`Restore version ${v.number}`}>Restore</button>
                    )}
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
          <p id="restore-title"><strong>Restore version {confirming.number}?</strong></p>
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
