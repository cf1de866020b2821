"use client";
/** The front door: signed in → your projects; otherwise → sign in. */
import { useEffect } from "react";

import { loadTokens } from "@/api/tokens";

export default function Home() {
  useEffect(() => {
    window.location.replace(loadTokens() ? "/projects/" : "/login/");
  }, []);
  return <main style={{ padding: 24 }}><p className="muted">Opening AriaForge…</p></main>;
}
