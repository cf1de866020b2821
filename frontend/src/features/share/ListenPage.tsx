"use client";
/** The public listen page, `/listen/#<token>`: a shared project's name, its notation (the
 * same viewer as the workspace's full score), a read-only overview of the arrangement and
 * Play through the in-browser player. No account, no editing, no way into the workspace. */
import { useCallback, useEffect, useMemo, useState } from "react";

import type { Score } from "@/api/types";
import { usePlayer } from "@/features/playback/api";
import { ScoreSheet, sheetTracks } from "@/features/notation/ScoreSheet";
import type { PageSource } from "@/features/notation/usePageImage";

import { ArrangementOverview } from "./ArrangementOverview";
import styles from "./ListenPage.module.css";
import { ListenPlayerScope } from "./ListenPlayerScope";
import { loadShared, sharedFetch, tokenFromHash, type SharedLoad } from "./sharedApi";

type State = { kind: "loading" } | { kind: "no-token" } | SharedLoad;

export function ListenPage() {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    const read = () => setToken(tokenFromHash(window.location.hash));
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);

  useEffect(() => {
    if (token === undefined) return;
    if (token === null) {
      setState({ kind: "no-token" });
      return;
    }
    const controller = new AbortController();
    setState({ kind: "loading" });
    loadShared(token, controller.signal).then(setState, () => {});
    return () => controller.abort();
  }, [token]);

  useEffect(() => {
    document.title = state.kind === "ready" ? `${state.shared.project.name} · AriaForge`
      : "Shared song · AriaForge";
  }, [state]);

  return (
    <main className={styles.page}>
      <p className={styles.brand}>AriaForge <span className="muted">· shared song, read only</span></p>
      {state.kind === "loading" && <p role="status" className="muted">Opening the shared song…</p>}
      {state.kind === "no-token" && (
        <Gone title="This address is incomplete"
              text="A share link ends with # and a long code. Copy the whole link and try again." />
      )}
      {state.kind === "gone" && (
        <Gone title="This link is no longer valid"
              text="The link was revoked by the project's owner, or it never existed. Ask for a new one." />
      )}
      {state.kind === "error" && <p role="alert" className="error">{state.message}</p>}
      {state.kind === "ready" && token && (
        <ListenPlayerScope score={state.shared.score} mix={state.shared.mix}>
          <SharedSong token={token} name={state.shared.project.name}
                      score={state.shared.score} />
        </ListenPlayerScope>
      )}
    </main>
  );
}

function Gone({ title, text }: { title: string; text: string }) {
  return (
    <section role="alert" className={styles.gone} data-testid="share-gone">
      <h1>{title}</h1>
      <p className="muted">{text}</p>
    </section>
  );
}

function SharedSong({ token, name, score }: { token: string; name: string; score: Score }) {
  const source = useCallback<PageSource>(({ page, track }, signal) => {
    const query = new URLSearchParams({ page: String(page) });
    if (track) query.set("track", track);
    return sharedFetch(`/notation.svg?${query.toString()}`, token, signal);
  }, [token]);
  const tracks = useMemo(() => sheetTracks(score), [score]);
  return (
    <article className={styles.song}>
      <header className={styles.header}>
        <h1 data-testid="shared-name">{name}</h1>
        <PlayButton score={score} />
      </header>
      <section aria-labelledby="shared-arrangement">
        <h2 id="shared-arrangement" className={styles.h2}>Arrangement</h2>
        <ArrangementOverview score={score} />
      </section>
      <section aria-labelledby="shared-notation" className={styles.notation}>
        <h2 id="shared-notation" className={styles.h2}>Notation</h2>
        {tracks.length ? (
          <ScoreSheet source={source} tracks={tracks} contentKey={token} score={score}
                      globalKeys />
        ) : <p className="muted">This song has no tracks yet.</p>}
      </section>
    </article>
  );
}

function PlayButton({ score }: { score: Score }) {
  const player = usePlayer();
  const loading = player.status === "loading";
  // The messages come before the button: the header pushes this row to the right, so a
  // message after the button would move it left between the press (which starts loading
  // the instruments) and the release, and the first click would be lost.
  return (
    <div className="row">
      {loading && <span className="muted" role="status">Loading the instruments…</span>}
      {player.status === "error" && <span className="error" role="alert">{player.error}</span>}
      <button type="button" className="primary" data-testid="shared-play"
              onClick={() => (player.playing ? player.stop()
                : void player.play({ fromTick: 0 }, score))}>
        {player.playing ? "Stop" : "Play"}
      </button>
    </div>
  );
}
