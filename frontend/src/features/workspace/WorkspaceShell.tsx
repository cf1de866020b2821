"use client";
/** The workspace layout: header (name, role, Import/Export/Share/History), Brief on the
 * left, arrangement and editor in the centre, Mixer | Theory | Notation on the right, the
 * transport at the bottom, toasts, and a read-only banner for viewers. */
import Link from "next/link";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";

import { ArrangementView } from "@/components/editor/ArrangementView";
import { Editor } from "@/components/editor/Editor";
import { useAuth } from "@/components/shell/useAuth";
import { BriefPanel } from "@/components/panels/BriefPanel";
import { ExportDialog } from "@/components/panels/ExportDialog";
import { HistoryDialog } from "@/components/panels/HistoryDialog";
import { ImportDialog } from "@/components/panels/ImportDialog";
import { Mixer } from "@/components/panels/Mixer";
import { NotationView } from "@/components/panels/NotationView";
import { ShareDialog } from "@/components/panels/ShareDialog";
import { TheoryPanel } from "@/components/panels/TheoryPanel";
import { Transport } from "@/components/panels/Transport";
import { useWorkspace } from "@/workspace/WorkspaceContext";

import styles from "./workspace.module.css";

type DialogName = "import" | "export" | "share" | "history" | null;
const TABS = [
  { id: "mixer", label: "Mixer" },
  { id: "theory", label: "Theory" },
  { id: "notation", label: "Notation" },
] as const;
type TabId = (typeof TABS)[number]["id"];

const ROLE_TEXT = { owner: "Owner", editor: "Editor", viewer: "Viewer" } as const;

export function WorkspaceShell() {
  const { project, loading, loadError, canEdit, reload } = useWorkspace();
  const [dialog, setDialog] = useState<DialogName>(null);
  const { me, signOut } = useAuth();

  useEffect(() => {
    if (project?.name) document.title = `${project.name} · AriaForge`;
  }, [project?.name]);

  if (loading && !project) {
    return <p className={styles.centered} role="status">Loading the project…</p>;
  }
  if (loadError && !project) {
    const missing = loadError.code === "NOT_FOUND" || loadError.code === "VALIDATION_ERROR";
    return (
      <main className={styles.centered}>
        <h1>{missing ? "Project not found" : "The project could not be loaded"}</h1>
        <p className="muted" role="alert">
          {missing ? "It does not exist, or it has not been shared with you."
            : loadError.message}
        </p>
        <div className="row">
          {!missing && <button type="button" onClick={() => void reload()}>Try again</button>}
          <Link href="/projects/">Go to your projects</Link>
        </div>
      </main>
    );
  }

  const role = project?.role ?? "viewer";
  const close = () => setDialog(null);

  return (
    <div className={styles.shell}>
      <a href="#editor" className={styles.skip}>Skip to the editor</a>
      <header className={styles.header}>
        <div className={styles.identity}>
          <Link href="/projects/" className={styles.brand}>AriaForge</Link>
          <h1 className={styles.title} title={project?.name}>{project?.name ?? "Project"}</h1>
          <span className={`badge ${styles.role} ${styles[role] ?? ""}`}
                data-testid="role-badge">{ROLE_TEXT[role]}</span>
        </div>
        <nav className={styles.actions} aria-label="Project">
          <button type="button" onClick={() => setDialog("import")} disabled={!canEdit}
                  title={canEdit ? "Import a MIDI, MusicXML or ABC file"
                    : "Viewers cannot import"}
                  data-testid="open-import">Import</button>
          <button type="button" onClick={() => setDialog("export")}
                  data-testid="open-export">Export</button>
          <button type="button" onClick={() => setDialog("share")}
                  data-testid="open-share">Share</button>
          <button type="button" onClick={() => setDialog("history")}
                  data-testid="open-history">History</button>
        </nav>
        <div className={styles.account}>
          {me && <span className={`muted ${styles.me}`}>{me.display_name || me.email}</span>}
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      {!canEdit && project && (
        <p className={styles.banner} data-testid="read-only-banner">
          <strong>Read only.</strong> You are a viewer of this project: you can listen, browse,
          validate and export, but not change the music. Ask the owner for edit access.
        </p>
      )}
      <div className={styles.main}>
        <aside className={`${styles.column} ${styles.left}`} aria-label="Brief">
          <BriefPanel />
        </aside>
        <main className={`${styles.column} ${styles.center}`} id="editor" tabIndex={-1}>
          <h2 className="sr-only">Arrangement and editor</h2>
          <div className={styles.arrangement}><ArrangementView /></div>
          <div className={styles.editor}><Editor /></div>
        </main>
        <aside className={`${styles.column} ${styles.right}`} aria-label="Mixer, theory and notation">
          <SideTabs />
        </aside>
      </div>
      <footer className={styles.footer} aria-label="Transport">
        <Transport />
      </footer>
      <Toasts />
      <ImportDialog open={dialog === "import"} onClose={close} />
      <ExportDialog open={dialog === "export"} onClose={close} />
      <ShareDialog open={dialog === "share"} onClose={close} />
      <HistoryDialog open={dialog === "history"} onClose={close} />
    </div>
  );
}

function SideTabs() {
  const [active, setActive] = useState<TabId>("mixer");
  // Panels stay mounted once opened (a validation report survives a tab switch).
  const [opened, setOpened] = useState<ReadonlySet<TabId>>(new Set(["mixer"]));
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  const open = (id: TabId, focus = false) => {
    setActive(id);
    setOpened((all) => (all.has(id) ? all : new Set([...all, id])));
    if (focus) buttons.current[id]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === active);
    let next: number | null = null;
    if (event.key === "ArrowRight") next = (index + 1) % TABS.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = TABS.length - 1;
    if (next === null) return;
    event.preventDefault();
    open(TABS[next]!.id, true);
  };

  return (
    <div className={styles.tabs}>
      <div role="tablist" aria-label="Panels" className={styles.tablist} onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button key={tab.id} type="button" role="tab" id={`tab-${tab.id}`}
                  ref={(el) => { buttons.current[tab.id] = el; }}
                  aria-selected={active === tab.id} aria-controls={`panel-${tab.id}`}
                  tabIndex={active === tab.id ? 0 : -1} className={styles.tab}
                  data-testid={`tab-${tab.id}`} onClick={() => open(tab.id)}>
            {tab.label}
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div key={tab.id} role="tabpanel" id={`panel-${tab.id}`} aria-labelledby={`tab-${tab.id}`}
             hidden={active !== tab.id} className={styles.tabpanel} tabIndex={0}>
          {opened.has(tab.id) && (tab.id === "mixer" ? <Mixer />
            : tab.id === "theory" ? <TheoryPanel /> : <NotationView />)}
        </div>
      ))}
    </div>
  );
}

function Toasts() {
  const { toasts, dismiss } = useWorkspace();
  return (
    <div className={styles.toasts}>
      {toasts.map((toast) => (
        <div key={toast.id} role={toast.kind === "error" ? "alert" : "status"}
             className={`${styles.toast} ${toast.kind === "error" ? styles.toastError : ""}`}>
          <span>{toast.message}</span>
          <button type="button" onClick={() => dismiss(toast.id)}
                  aria-label="Dismiss notification">✕</button>
        </div>
      ))}
    </div>
  );
}
