"use client";
/** Your projects: search, filter by status, create, rename, archive, delete, open. */
import Link from "next/link";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";

import { api, errorOf } from "@/api/client";
import { loadTokens } from "@/api/tokens";
import type { Project } from "@/api/types";
import { TopBar } from "@/features/auth/TopBar";
import { Modal } from "@/ui/Modal";

import styles from "./ProjectsPage.module.css";

type Status = "" | "draft" | "active" | "archived";
const PAGE_SIZE = 20;

export function ProjectsPage() {
  const [items, setItems] = useState<Project[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<Status>("");
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [newName, setNewName] = useState("");
  const [doomed, setDoomed] = useState<Project | null>(null);
  // A name typed before the page hydrated stays in the box (React keeps the DOM's value)
  // while the state starts empty, which would leave Create disabled: take it over.
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const typed = nameInput.current?.value;
    if (typed) setNewName(typed);
  }, []);

  // Answers can arrive out of order: only the newest request's answer is shown.
  const requests = useRef(0);
  const load = useCallback(async () => {
    const request = ++requests.current;
    const answer = await api.GET("/api/v1/projects", { params: { query: {
      page, limit: PAGE_SIZE, search: search.trim() || undefined, status: status || undefined,
    } } });
    if (request !== requests.current) return;
    if (!answer.data) {
      setError(errorOf(answer.error, answer.response.status).message);
      if (answer.response.status === 401) window.location.assign("/login/");
      return;
    }
    setItems(answer.data.items);
    setTotal(answer.data.total);
    setError(null);
    setLoaded(true);
  }, [page, search, status]);
  // A rename, archive or delete reloads with the filters shown when its answer arrives,
  // not the ones in force when its button was pressed (the status may have changed since).
  const latestLoad = useRef(load);
  latestLoad.current = load;

  useEffect(() => {
    if (!loadTokens()) {
      window.location.replace("/login/");
      return;
    }
    const timer = setTimeout(() => void load(), 200);  // debounce typing in the search box
    return () => clearTimeout(timer);
  }, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    const name = newName.trim();
    if (!name) return;
    const answer = await api.POST("/api/v1/projects", { body: { name } });
    if (!answer.data) {
      setError(errorOf(answer.error, answer.response.status).message);
      return;
    }
    window.location.assign(`/workspace/?project=${answer.data.id}`);
  }

  async function update(project: Project, body: { name?: string; status?: Status }) {
    // A 409 means someone changed the project since this list was loaded (opening or
    // editing its music does not count): the message says so and the reload shows theirs.
    const answer = await api.PATCH("/api/v1/projects/{project_id}", {
      params: { path: { project_id: project.id } },
      body: { ...body, status: body.status || undefined, revision: project.revision },
    });
    setError(answer.data ? null : errorOf(answer.error, answer.response.status).message);
    await latestLoad.current();
  }

  async function remove(project: Project) {
    const answer = await api.DELETE("/api/v1/projects/{project_id}", {
      params: { path: { project_id: project.id } } });
    if (!answer.response.ok) setError(errorOf(answer.error, answer.response.status).message);
    setDoomed(null);
    await latestLoad.current();
  }

  return (
    <>
      <TopBar />
      <main className={styles.main}>
        <div className={styles.head}>
          <h1>Projects</h1>
          <form className="row" onSubmit={(e) => void create(e)}>
            <label className="sr-only" htmlFor="new-project">New project name</label>
            <input id="new-project" ref={nameInput} placeholder="New project name" value={newName}
                   onChange={(e) => setNewName(e.target.value)} maxLength={200} />
            <button type="submit" className="primary" disabled={!newName.trim()}>Create</button>
          </form>
        </div>
        <div className="row" role="search">
          <label className="sr-only" htmlFor="search">Search projects</label>
          <input id="search" type="search" placeholder="Search…" value={search}
                 onChange={(e) => { setSearch(e.target.value); setPage(1); }} maxLength={200} />
          <label className="sr-only" htmlFor="status">Status</label>
          <select id="status" value={status}
                  onChange={(e) => { setStatus(e.target.value as Status); setPage(1); }}>
            <option value="">All statuses</option>
            <option value="draft">Draft</option>
            <option value="active">Active</option>
            <option value="archived">Archived</option>
          </select>
          <span className="muted">{total} project{total === 1 ? "" : "s"}</span>
        </div>
        {error ? <p role="alert" className="error">{error}</p> : null}
        {loaded && items.length === 0 ? (
          <p className="muted">No projects yet. Name one above and press Create.</p>
        ) : null}
        <ul className={styles.list}>
          {items.map((project) => (
            <ProjectRow key={project.id} project={project} onRename={(name) => void update(project, { name })}
                        onStatus={(s) => void update(project, { status: s })}
                        onDelete={() => setDoomed(project)} />
          ))}
        </ul>
        {total > PAGE_SIZE ? (
          <nav className="row" aria-label="Pages">
            <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>Previous</button>
            <span className="muted">Page {page} of {Math.ceil(total / PAGE_SIZE)}</span>
            <button type="button" disabled={page * PAGE_SIZE >= total}
                    onClick={() => setPage(page + 1)}>Next</button>
          </nav>
        ) : null}
      </main>
      <Modal title="Delete project?" open={doomed !== null} onClose={() => setDoomed(null)}>
        <p>“{doomed?.name}” and its whole history will be deleted. This cannot be undone.</p>
        <div className="row">
          <button type="button" className="danger" data-testid="confirm-delete"
                  onClick={() => doomed && void remove(doomed)}>Delete</button>
          <button type="button" onClick={() => setDoomed(null)}>Cancel</button>
        </div>
      </Modal>
    </>
  );
}

function ProjectRow({ project, onRename, onStatus, onDelete }: {
  project: Project; onRename(name: string): void; onStatus(status: Status): void;
  onDelete(): void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const owner = project.role === "owner";
  const writer = owner || project.role === "editor";
  return (
    <li className={styles.item} data-testid="project-row">
      <div className={styles.title}>
        {editing ? (
          <form className="row" onSubmit={(e) => { e.preventDefault(); setEditing(false);
                                                    if (name.trim()) onRename(name.trim()); }}>
            <label className="sr-only" htmlFor={`name-${project.id}`}>Project name</label>
            <input id={`name-${project.id}`} value={name} autoFocus maxLength={200}
                   onChange={(e) => setName(e.target.value)} />
            <button type="submit">Save</button>
            <button type="button" onClick={() => { setEditing(false); setName(project.name); }}>
              Cancel</button>
          </form>
        ) : (
          <Link href={`/workspace/?project=${project.id}`} className={styles.name}>{project.name}</Link>
        )}
        <span className="badge">{project.role}</span>
        <span className="badge">{project.status}</span>
      </div>
      <div className={styles.meta}>
        {project.key} {project.mode}, {project.tempo} bpm, {project.meter} · changed{" "}
        <time dateTime={project.updated_at}>{new Date(project.updated_at).toLocaleString()}</time>
      </div>
      <div className="row">
        <button type="button" disabled={!writer || editing} onClick={() => setEditing(true)}>Rename</button>
        {project.status === "archived" ? (
          <button type="button" disabled={!writer} onClick={() => onStatus("active")}>Unarchive</button>
        ) : (
          <button type="button" disabled={!writer} onClick={() => onStatus("archived")}>Archive</button>
        )}
        <button type="button" className="danger" disabled={!owner} onClick={onDelete}>Delete</button>
      </div>
    </li>
  );
}
