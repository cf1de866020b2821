"use client";
/** Sharing: the members; the owner invites by e-mail (editor or viewer), changes roles and
 * removes members. Everyone else sees the list read-only. Below, public links for people
 * without an account (PublicLinks). */
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";

import { api, errorOf } from "@/api/client";
import { describeError } from "@/api/errors";
import type { Member, ProjectRole } from "@/api/types";
import { useNotify, useProject } from "@/features/workspace/state";
import styles from "@/ui/Dialogs.module.css";
import { Modal } from "@/ui/Modal";

import { PublicLinks } from "./PublicLinks";

export function ShareDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal title="Share" open={open} onClose={onClose}>
      <ShareBody />
      <PublicLinks />
    </Modal>
  );
}

function ShareBody() {
  const { projectId, project, reload } = useProject();
  const notify = useNotify();
  const id = useId();
  const isOwner = project?.role === "owner";
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"editor" | "viewer">("editor");
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [transferring, setTransferring] = useState<Member | null>(null);

  const load = useCallback(async () => {
    const answer = await api.GET("/api/v1/projects/{project_id}/members", {
      params: { path: { project_id: projectId } },
    });
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    setMembers(answer.data);
  }, [projectId]);

  useEffect(() => { void load(); }, [load]);

  const invite = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setError("Enter the e-mail address of a registered account.");
      return;
    }
    setBusy("invite");
    setError(null);
    const answer = await api.POST("/api/v1/projects/{project_id}/members", {
      params: { path: { project_id: projectId } }, body: { email: address, role },
    });
    setBusy(null);
    if (!answer.data) {
      const problem = errorOf(answer.error, answer.response.status);
      const noAccount = Array.isArray(problem.details) && problem.details.some(
        (detail) => (detail as { type?: string } | null)?.type === "unknown_account");
      setError(noAccount
        ? `No account uses ${address}; they need to register first.` : describeError(problem));
      return;
    }
    setEmail("");
    notify(`${answer.data.display_name || address} can now ${role === "editor" ? "edit"
      : "view"} the project.`);
    await load();
  };

  const changeRole = async (member: Member, next: ProjectRole) => {
    setTransferring(null);
    setBusy(member.user_id);
    setError(null);
    const answer = await api.PATCH("/api/v1/projects/{project_id}/members/{member_id}", {
      params: { path: { project_id: projectId, member_id: member.user_id } },
      body: { role: next },
    });
    setBusy(null);
    if (!answer.data) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
    } else if (next === "owner") {
      await reload();  // ownership moved: this user's role changed
    }
    await load();
  };

  const remove = async (member: Member) => {
    setBusy(member.user_id);
    setError(null);
    const answer = await api.DELETE("/api/v1/projects/{project_id}/members/{member_id}", {
      params: { path: { project_id: projectId, member_id: member.user_id } },
    });
    setBusy(null);
    setRemoving(null);
    if (answer.error || !answer.response.ok) {
      setError(describeError(errorOf(answer.error, answer.response.status)));
      return;
    }
    notify(`${member.display_name || member.email} no longer has access.`);
    await load();
  };

  return (
    <div className="stack">
      {!isOwner && <p className="muted">Only the owner can invite people or change roles.</p>}
      {isOwner && (
        <form className={styles.form} onSubmit={(e) => void invite(e)}>
          <div className="row" style={{ alignItems: "flex-end" }}>
            <label style={{ flex: "1 1 200px" }}>
              E-mail of a registered account
              <input type="email" value={email} required autoComplete="email"
                     onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value as "editor" | "viewer")}>
                <option value="editor">Editor (can edit)</option>
                <option value="viewer">Viewer (read only)</option>
              </select>
            </label>
            <button type="submit" className="primary" disabled={busy === "invite"}>
              {busy === "invite" ? "Inviting…" : "Invite"}
            </button>
          </div>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {!members && !error && <p className="muted" role="status">Loading the members…</p>}
      {members && (
        <ul className={styles.members} aria-label="Members">
          {members.map((m) => {
            const owner = m.role === "owner";
            return (
              <li key={m.user_id}>
                <span className={styles.who}>
                  <strong>{m.display_name || m.email}</strong>
                  <span className="muted">{m.email}</span>
                </span>
                {isOwner && !owner ? (
                  <span className="row">
                    <label htmlFor={`${id}-${m.user_id}`} className="sr-only">
                      Role of {m.display_name || m.email}
                    </label>
                    <select id={`${id}-${m.user_id}`} value={m.role}
                            disabled={busy === m.user_id}
                            onChange={(e) => {
                              const next = e.target.value as ProjectRole;
                              if (next === "owner") setTransferring(m);
                              else void changeRole(m, next);
                            }}>
                      <option value="editor">Editor</option>
                      <option value="viewer">Viewer</option>
                      <option value="owner">Owner (transfer)</option>
                    </select>
                    <button type="button" className="danger" disabled={busy === m.user_id}
                            onClick={() => setRemoving(m)}
                            aria-label={`Remove ${m.display_name || m.email}`}>Remove</button>
                  </span>
                ) : <span className="badge">{m.role}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {transferring && (
        <div className={styles.confirm} role="alertdialog" aria-labelledby={`${id}-transfer`}>
          <p id={`${id}-transfer`}>Make <strong>{transferring.display_name
            || transferring.email}</strong> the owner? Ownership moves to them and you become
            an editor.</p>
          <div className="row">
            <button type="button" className="danger" autoFocus
                    onClick={() => void changeRole(transferring, "owner")}>Transfer ownership</button>
            <button type="button" onClick={() => setTransferring(null)}>Cancel</button>
          </div>
        </div>
      )}
      {removing && (
        <div className={styles.confirm} role="alertdialog" aria-labelledby={`${id}-remove`}>
          <p id={`${id}-remove`}>Remove <strong>{removing.display_name || removing.email}</strong>{" "}
            from this project?</p>
          <div className="row">
            <button type="button" className="danger" autoFocus
                    onClick={() => void remove(removing)}>Remove</button>
            <button type="button" onClick={() => setRemoving(null)}>Cancel</button>
          </div>
        </div>
      )}
    </div>
  );
}
