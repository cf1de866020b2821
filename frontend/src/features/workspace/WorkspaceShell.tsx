"use client";
/** The workspace layout: header (name, role, who else is here, Import/Export/Share/History),
 * Brief on the
 * left, arrangement and editor in the centre, Mixer | Theory | Notation on the right, the
 * transport at the bottom, toasts, and a read-only banner for viewers. */
import Link from "next/link";
import { useEffect, useState } from "react";

import { ArrangementView } from "@/features/arrangement/ArrangementView";
import { useAuth } from "@/features/auth/useAuth";
import { BriefPanel } from "@/features/brief/BriefPanel";
import { Editor } from "@/features/editor/Editor";
import { ExportDialog } from "@/features/export/ExportDialog";
import { HistoryDialog } from "@/features/history/HistoryDialog";
import { ImportDialog } from "@/features/import/ImportDialog";
import { FullScoreButton } from "@/features/notation/FullScoreDialog";
import { PlayerProvider } from "@/features/playback/PlayerProvider";
import { PresenceProvider } from "@/features/presence/LocalPresence";
import { PresenceBar } from "@/features/presence/PresenceBar";
import { ShareDialog } from "@/features/share/ShareDialog";
import { TakeBar } from "@/features/takes/TakeBar";
import { TakesProvider } from "@/features/takes/TakesProvider";
import { Transport } from "@/features/transport/Transport";
import { useProject } from "@/features/workspace/state";

import { SideTabs } from "./SideTabs";
import { Toasts } from "./Toasts";
import styles from "./workspace.module.css";

type DialogName = "import" | "export" | "share" | "history" | null;

const ROLE_TEXT = { owner: "Owner", editor: "Editor", viewer: "Viewer" } as const;
// Not `styles[role]`: `.editor` is also the editor pane's class, which made an editor's
// role badge as tall as the pane.
const ROLE_CLASS = { owner: styles.roleOwner, editor: styles.roleEditor,
                     viewer: styles.roleViewer } as const;

export function WorkspaceShell() {
  const { project, loading, loadError, canEdit, reload } = useProject();
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
    <PresenceProvider>
      <PlayerProvider>
      <div className={styles.shell}>
        <a href="#editor" className={styles.skip}>Skip to the editor</a>
        <header className={styles.header}>
          <div className={styles.identity}>
            <Link href="/projects/" className={styles.brand}>AriaForge</Link>
            <h1 className={styles.title} title={project?.name}>{project?.name ?? "Project"}</h1>
            <span className={`badge ${styles.role} ${ROLE_CLASS[role] ?? ""}`}
                  data-testid="role-badge">{ROLE_TEXT[role]}</span>
          </div>
          <PresenceBar />
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
            <FullScoreButton />
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
            <TakesProvider>
              <TakeBar />
              <div className={styles.arrangement}><ArrangementView /></div>
              <div className={styles.editor}><Editor /></div>
            </TakesProvider>
          </main>
          <aside className={`${styles.column} ${styles.right}`}
                 aria-label="Mixer, theory and notation">
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
      </PlayerProvider>
    </PresenceProvider>
  );
}
