"use client";
/** Sign in and sign up share one form: e-mail, password (and a name to sign up). */
import Link from "next/link";
import { useState, type FormEvent } from "react";

import { api, errorOf } from "@/api/client";
import { saveTokens, tokensFromPair } from "@/api/tokens";

import styles from "./AuthForm.module.css";

export function AuthForm({ mode }: { mode: "login" | "signup" }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [demo, setDemo] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "signup") {
        const created = await api.POST("/api/v1/auth/register", {
          body: { email, password, display_name: name.trim() || null },
        });
        if (!created.data) {
          setError(explain(created.error, created.response.status));
          return;
        }
      }
      const login = await api.POST("/api/v1/auth/login", { body: { email, password } });
      if (!login.data) {
        setError(explain(login.error, login.response.status));
        return;
      }
      saveTokens(tokensFromPair(login.data));
      if (mode === "signup" && demo) await startDemo();
      window.location.assign("/projects/");
    } catch {
      setError("The server could not be reached. Is AriaForge running?");
    } finally {
      setBusy(false);
    }
  }

  const title = mode === "login" ? "Sign in" : "Create your account";
  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
        <h1 id="auth-title">AriaForge</h1>
        <h2 className={styles.subtitle}>{title}</h2>
        {mode === "signup" ? (
          <label>Name (optional)
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100}
                   autoComplete="name" />
          </label>
        ) : null}
        <label>E-mail
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)}
                 autoComplete="email" />
        </label>
        <label>Password
          <input type="password" required value={password}
                 onChange={(e) => setPassword(e.target.value)} minLength={mode === "signup" ? 10 : 1}
                 autoComplete={mode === "signup" ? "new-password" : "current-password"} />
        </label>
        {mode === "signup" ? (
          <p className="muted" style={{ margin: 0, fontSize: 13 }}>
            10 to 128 characters, not a common password and not your e-mail name.
          </p>
        ) : null}
        {mode === "signup" ? (
          <label className={styles.check}>
            <input type="checkbox" checked={demo} onChange={(e) => setDemo(e.target.checked)}
                   data-testid="demo-project" />
            Start with a demo song (AriaForge composes one for you to explore)
          </label>
        ) : null}
        {error ? <p role="alert" className="error" data-testid="auth-error">{error}</p> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Please wait…" : title}
        </button>
        <p className="muted" style={{ margin: 0 }}>
          {mode === "login"
            ? <>New here? <Link href="/signup/">Create an account</Link></>
            : <>Have an account? <Link href="/login/">Sign in</Link></>}
        </p>
      </form>
    </main>
  );
}

/** The demo project of a first sign-in (the server makes it once, and only when the
 * deployment allows it). The account exists already: a failure here is not the sign-up's. */
async function startDemo(): Promise<void> {
  try {
    await api.POST("/api/v1/onboarding/demo-project", {});
  } catch {
    /* the projects page works without it */
  }
}

function explain(body: unknown, status: number): string {
  const error = errorOf(body, status);
  if (error.code === "RATE_LIMIT_EXCEEDED") {
    return "Too many attempts. Wait a few minutes and try again.";
  }
  if (status === 401) return "Wrong e-mail or password.";
  if (error.code === "CONFLICT") return "An account with this e-mail already exists. Sign in instead?";
  const details = (error.details as { msg?: string }[] | undefined) ?? [];
  return details.length && details[0]?.msg ? `${error.message}: ${details[0].msg}` : error.message;
}
