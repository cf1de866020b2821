"use client";
import Link from "next/link";
import type { ReactNode } from "react";

import styles from "./TopBar.module.css";
import { useAuth } from "./useAuth";

export function TopBar({ children }: { children?: ReactNode }) {
  const { me, signOut } = useAuth();
  return (
    <header className={styles.bar}>
      <Link href="/projects/" className={styles.brand}>AriaForge</Link>
      <div className={styles.middle}>{children}</div>
      {me ? (
        <div className="row">
          <span className="muted" data-testid="signed-in-as">{me.display_name || me.email}</span>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      ) : null}
    </header>
  );
}
