"use client";
/** A version's name, renamed in place (owners and editors): Enter saves, Escape cancels,
 * an empty name clears it. */
import { type FormEvent, useState } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Version } from "@/api/types";
import { useProject } from "@/features/workspace/state";

import styles from "./History.module.css";

export const MAX_NAME = 80;

/** The API refuses control characters (a pasted line break, a tab): leave them out. */
function withoutControls(text: string): string {
  return [...text].filter((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code >= 0x20 && code !== 0x7f;
  }).join("");
}

export function VersionName({ version, onRenamed }: {
  version: Version; onRenamed(version: Version): void;
}) {
  const { projectId, canEdit } = useProject();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(version.name);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const answer = await api.PATCH("/api/v1/projects/{project_id}/versions/{number}", {
      params: { path: { project_id: projectId, number: version.number } },
      body: { name: draft.trim() },
    });
    setSaving(false);
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    setError(null);
    setEditing(false);
    onRenamed(answer.data);
  };

  if (!editing) {
    return (
      <div className={styles.nameForm}>
        {version.name ? <strong data-testid="version-name">{version.name}</strong>
          : <span className="muted">—</span>}
        {canEdit && (
          <button type="button" onClick={() => { setDraft(version.name); setEditing(true); }}
                  aria-label={`Name version ${version.number}`}>
            {version.name ? "Rename" : "Name"}</button>
        )}
      </div>
    );
  }
  return (
    <form className={styles.nameForm} onSubmit={(e) => void save(e)}>
      <input value={draft} maxLength={MAX_NAME} autoFocus disabled={saving}
             aria-label={`Name of version ${version.number}`} placeholder="e.g. verse idea 2"
             onChange={(e) => setDraft(withoutControls(e.target.value))}
             onKeyDown={(e) => { if (e.key === "Escape") { e.stopPropagation(); e.preventDefault(); setEditing(false); } }} />
      <button type="submit" className="primary" disabled={saving}>Save</button>
      <button type="button" onClick={() => setEditing(false)} disabled={saving}>Cancel</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}
