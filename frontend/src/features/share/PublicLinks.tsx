"use client";
/** Public links: a read-only listen-and-view page for people without an account. Owners
 * and editors create them (the address is shown once: only its hash is kept), every
 * member sees the list, the owner revokes any link and an editor their own. */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { components } from "@/api/schema";
import { useAuth } from "@/features/auth/useAuth";
import { useNotify, useProject } from "@/features/workspace/state";
import { formatDate } from "@/lib/format";
import styles from "@/ui/Dialogs.module.css";

import own from "./PublicLinks.module.css";

type ShareLink = components["schemas"]["ShareLinkOut"];

/** The page address on this site; the token goes after `#`, so it never reaches a server
 * log (browsers do not send the fragment). */
export function listenUrl(token: string): string {
  return `${window.location.origin}/listen/#${token}`;
}

export function PublicLinks() {
  const { projectId, project, canEdit } = useProject();
  const { me } = useAuth();
  const notify = useNotify();
  const id = useId();
  const isOwner = project?.role === "owner";
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const createdInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    const answer = await api.GET("/api/v1/projects/{project_id}/share-links", {
      params: { path: { project_id: projectId } },
    });
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    setLinks(answer.data);
  }, [projectId]);

  useEffect(() => { void load(); }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy("create");
    setError(null);
    const answer = await api.POST("/api/v1/projects/{project_id}/share-links", {
      params: { path: { project_id: projectId } }, body: { label: label.trim() },
    });
    setBusy(null);
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    setLabel("");
    setCreated(listenUrl(answer.data.token));
    await load();
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created);
      notify("Link copied. Anyone with it can listen and read the notation.");
    } catch {
      createdInput.current?.select();
      notify("Select and copy the link (the browser did not allow copying).", "error");
    }
  };

  const revoke = async (link: ShareLink) => {
    setBusy(link.id);
    setError(null);
    const answer = await api.DELETE("/api/v1/projects/{project_id}/share-links/{link_id}", {
      params: { path: { project_id: projectId, link_id: link.id } },
    });
    setBusy(null);
    if (answer.error || !answer.response.ok) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    notify(`The link ${link.label ? `“${link.label}” ` : ""}no longer opens the project.`);
    await load();
  };

  const mayRevoke = (link: ShareLink) => isOwner || (canEdit && !!me
                                                     && link.created_by === me.id);

  return (
    <section className="stack" aria-labelledby={`${id}-title`} data-testid="public-links">
      <h3 id={`${id}-title`} className={own.title}>Public link</h3>
      <p className="muted">Anyone with the link can listen and read the notation, without an
        account. They cannot edit or see anything else. Revoke it to close it at once.</p>
      {canEdit && (
        <form className={styles.form} onSubmit={(e) => void create(e)}>
          <div className="row" style={{ alignItems: "flex-end" }}>
            <label style={{ flex: "1 1 200px" }}>
              Label (who it is for)
              <input value={label} maxLength={80} onChange={(e) => setLabel(e.target.value)}
                     placeholder="e.g. for the band" />
            </label>
            <button type="submit" className="primary" disabled={busy === "create"}>
              {busy === "create" ? "Creating…" : "Create link"}
            </button>
          </div>
        </form>
      )}
      {created && (
        <div className={own.created} role="status">
          <label htmlFor={`${id}-url`}>New link (copy it now: it is shown only once)</label>
          <div className="row">
            <input id={`${id}-url`} ref={createdInput} readOnly value={created}
                   className={own.url} data-testid="public-link-url"
                   onFocus={(e) => e.target.select()} />
            <button type="button" onClick={() => void copy()}>Copy</button>
          </div>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {!links && !error && <p className="muted" role="status">Loading the links…</p>}
      {links && links.length === 0 && <p className="muted">No public links.</p>}
      {links && links.length > 0 && (
        <ul className={styles.members} aria-label="Public links">
          {links.map((link) => (
            <li key={link.id}>
              <span className={styles.who}>
                <strong>{link.label || "Untitled link"}</strong>
                <span className="muted">{link.created_by_name ?? "someone"}
                  {" · "}{formatDate(link.created_at)}</span>
              </span>
              {mayRevoke(link) && (
                <button type="button" className="danger" disabled={busy === link.id}
                        onClick={() => void revoke(link)}
                        aria-label={`Revoke ${link.label || "the untitled link"}`}>Revoke</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
