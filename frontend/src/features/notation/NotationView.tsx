"use client";
/** Notation: one track's page as SVG from GET /notation.svg?track=&page=, fetched with the
 * token and shown as an image; re-fetched when the score changes. */
import { useEffect, useId, useState } from "react";

import { authorizedFetch } from "@/api/client";
import { describeError, errorFromResponse } from "@/api/errors";
import { useProject, useScore, useSelection } from "@/features/workspace/state";

import styles from "./NotationView.module.css";

type State =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "ready"; url: string; pages: number | null }
  | { kind: "error"; message: string; status: number | null };

function pageCount(headers: Headers): number | null {
  for (const name of ["X-Page-Count", "X-Total-Pages", "X-Pages"]) {
    const value = Number(headers.get(name));
    if (Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

export function NotationView() {
  const { projectId } = useProject();
  const { score, scoreVersion } = useScore();
  const { selectedTrackId } = useSelection();
  const id = useId();
  const tracks = score?.tracks ?? [];
  const [trackId, setTrackId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [state, setState] = useState<State>({ kind: "idle" });

  // Follow the editor's track until one is chosen here; drop a track that is gone.
  const chosen = trackId && tracks.some((t) => t.id === trackId) ? trackId
    : selectedTrackId && tracks.some((t) => t.id === selectedTrackId) ? selectedTrackId
    : tracks[0]?.id ?? null;
  const trackName = tracks.find((t) => t.id === chosen)?.name ?? "";

  useEffect(() => {
    if (!chosen || scoreVersion === 0) {
      setState({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    let url: string | null = null;
    setState({ kind: "loading" });
    (async () => {
      try {
        const query = new URLSearchParams({ track: chosen, page: String(page) });
        const response = await authorizedFetch(
          `/api/v1/projects/${projectId}/notation.svg?${query.toString()}`,
          { signal: controller.signal });
        if (controller.signal.aborted) return;
        if (!response.ok) {
          const error = await errorFromResponse(response);
          if (controller.signal.aborted) return;
          const specific = error.message && !/^not found\.?$/i.test(error.message)
            && !error.message.startsWith("The server answered");
          const message = response.status === 404
            ? `Notation is not available for this track and page${specific
                ? ` (${error.message})` : ""}.`
            : response.status === 422 ? `This can't be drawn as notation: ${describeError(error)}`
            : describeError(error);
          setState({ kind: "error", message, status: response.status });
          return;
        }
        const blob = await response.blob();
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: "image/svg+xml" }));
        setState({ kind: "ready", url, pages: pageCount(response.headers) });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({ kind: "error", status: null, message: error instanceof Error
          ? `The notation could not be loaded: ${error.message}` : "The notation could not be loaded." });
      }
    })();
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [projectId, chosen, page, scoreVersion]);

  const pages = state.kind === "ready" ? state.pages : null;
  const lastPage = pages !== null && page >= pages;
  const pageMissing = state.kind === "error" && page > 1 && (state.status === 404
                                                             || state.status === 422);

  return (
    <div className={styles.view}>
      <div className={styles.toolbar}>
        <label htmlFor={`${id}-track`}>
          Track
          <select id={`${id}-track`} value={chosen ?? ""} disabled={!tracks.length}
                  onChange={(e) => { setTrackId(e.target.value); setPage(1); }}>
            {tracks.length === 0 && <option value="">No tracks</option>}
            {tracks.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <div className={styles.pager} role="group" aria-label="Page">
          <button type="button" onClick={() => setPage((p) => Math.max(1, p - 1))}
                  disabled={page <= 1} aria-label="Previous page">‹</button>
          <label htmlFor={`${id}-page`} className={styles.pageLabel}>
            <span className="sr-only">Page number</span>
            <input id={`${id}-page`} type="number" min={1} max={pages ?? undefined} value={page}
                   className={styles.page}
                   onChange={(e) => {
                     const value = Math.floor(Number(e.target.value));
                     if (Number.isFinite(value) && value >= 1) setPage(value);
                   }} />
          </label>
          <span className="muted">{pages ? `of ${pages}` : ""}</span>
          <button type="button" onClick={() => setPage((p) => p + 1)}
                  disabled={lastPage || pageMissing || state.kind === "loading"}
                  aria-label="Next page">›</button>
        </div>
      </div>
      <div className={styles.sheet} aria-busy={state.kind === "loading"}>
        {state.kind === "loading" && <p className="muted" role="status">Drawing the notation…</p>}
        {state.kind === "idle" && <p className="muted">No tracks to show.</p>}
        {state.kind === "error" && (
          <div role="alert" className={styles.message}>
            <p className="error">{state.message}</p>
            {page > 1 && <button type="button" onClick={() => setPage(1)}>Back to page 1</button>}
          </div>
        )}
        {state.kind === "ready" && (
          <img src={state.url} className={styles.image}
               alt={`Notation of ${trackName || "the track"}, page ${page}`} />
        )}
      </div>
    </div>
  );
}
