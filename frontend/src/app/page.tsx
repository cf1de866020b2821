"use client";
/** The front door: signed in → your projects; otherwise the landing page (what AriaForge
 * is, and the way in). The static export carries the landing page itself, so a visitor
 * sees it at once; a signed-in person is sent on before they read it. */
import { useEffect, useState } from "react";

import { loadTokens } from "@/api/tokens";
import { Landing } from "@/features/landing/Landing";

export default function Home() {
  const [signedIn, setSignedIn] = useState(false);
  useEffect(() => {
    if (loadTokens()) {
      setSignedIn(true);
      window.location.replace("/projects/");
    }
  }, []);
  if (signedIn) {
    return <main style={{ padding: 24 }}><p className="muted">Opening your projects…</p></main>;
  }
  return <Landing />;
}
