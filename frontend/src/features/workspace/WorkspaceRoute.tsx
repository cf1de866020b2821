"use client";
/** Reads `?project=`, sends visitors without tokens to the login, and opens the project. */
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

import { loadTokens, onTokensChange } from "@/api/tokens";
import { WorkspaceProvider } from "@/features/workspace/state";

import styles from "./workspace.module.css";
import { WorkspaceShell } from "./WorkspaceShell";

export function WorkspaceRoute() {
  const params = useSearchParams();
  const router = useRouter();
  const projectId = params.get("project")?.trim() || null;
  const [signedIn, setSignedIn] = useState<boolean | null>(null);

  useEffect(() => {
    const toLogin = () => {
      router.replace("/login/");
    };
    if (loadTokens()) setSignedIn(true);
    else {
      setSignedIn(false);
      toLogin();
    }
    return onTokensChange((tokens) => {
      if (!tokens) {
        setSignedIn(false);
        toLogin();
      }
    });
  }, [router]);

  if (signedIn === null) {
    return <p className={styles.centered} role="status">Loading the workspace…</p>;
  }
  if (!signedIn) {
    return <p className={styles.centered} role="status">Redirecting to the sign-in page…</p>;
  }
  if (!projectId) {
    return (
      <main className={styles.centered}>
        <h1>No project chosen</h1>
        <p className="muted">Open a project from your list to start composing.</p>
        <Link href="/projects/">Go to your projects</Link>
      </main>
    );
  }
  return (
    <WorkspaceProvider key={projectId} projectId={projectId}>
      <WorkspaceShell />
    </WorkspaceProvider>
  );
}
