/** `/workspace/?project=<id>`: one project's workspace. The id is read on the client
 * (static export), inside a Suspense boundary as useSearchParams requires. */
import type { Metadata } from "next";
import { Suspense } from "react";

import { WorkspaceRoute } from "@/features/workspace/WorkspaceRoute";
import styles from "@/features/workspace/workspace.module.css";

export const metadata: Metadata = { title: "Workspace · AriaForge" };

export default function WorkspacePage() {
  return (
    <Suspense fallback={<p className={styles.centered} role="status">Loading the workspace…</p>}>
      <WorkspaceRoute />
    </Suspense>
  );
}
