/** "Search by phrase": the notes selected in the piano roll, or a phrase played on a MIDI
 * keyboard, searched among your projects and the reference tunes (POST /similarity/search). */
import { useId, useState } from "react";

import { useScore } from "@/features/workspace/state";

import { searchPhrase } from "./api";
import { SCOPES } from "./describe";
import { MatchList } from "./MatchList";
import styles from "./Originality.module.css";
import { usePhrase } from "./phrase";
import type { CheckResult, MatchNote, Scope } from "./types";
import { usePhraseKeyboard } from "./usePhraseKeyboard";

const MIN_NOTES = 4;  // fewer have no melodic motion to compare
const MAX_NOTES = 256;

export function PhraseSearch() {
  const { score } = useScore();
  const phrase = usePhrase();
  const id = useId();
  const keyboard = usePhraseKeyboard(score?.tempo ?? 120);
  const [played, setPlayed] = useState<MatchNote[] | null>(null);
  const [source, setSource] = useState<"selection" | "keyboard">("selection");
  const [scope, setScope] = useState<Scope>("all");
  const [result, setResult] = useState<CheckResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const notes = source === "selection" ? (phrase?.notes ?? []) : (played ?? []);
  const tooFew = notes.length < MIN_NOTES;
  const tooMany = notes.length > MAX_NOTES;

  const search = async () => {
    if (tooFew || tooMany) return;
    setSearching(true);
    setError(null);
    try {
      const answer = await searchPhrase(notes, scope);
      if (answer.ok) setResult(answer.data);
      else setError(answer.error);
    } finally {
      setSearching(false);
    }
  };

  const selectionText = phrase
    ? `${phrase.notes.length} note${phrase.notes.length === 1 ? "" : "s"} selected in ${phrase.trackName || "the piano roll"}`
    : "no notes selected in the piano roll";

  return (
    <section className={styles.block} aria-labelledby={`${id}-phrase`}>
      <h3 id={`${id}-phrase`} className={styles.heading}>Search by phrase</h3>
      <fieldset className={styles.sources}>
        <legend className="sr-only">Phrase to search</legend>
        <label className={styles.radio}>
          <input type="radio" name={`${id}-source`} checked={source === "selection"}
                 onChange={() => setSource("selection")} data-testid="phrase-from-selection" />
          <span>Selected notes: <span data-testid="phrase-selection">{selectionText}</span></span>
        </label>
        <label className={styles.radio}>
          <input type="radio" name={`${id}-source`} checked={source === "keyboard"}
                 onChange={() => setSource("keyboard")} disabled={keyboard.state === "unsupported"}
                 data-testid="phrase-from-keyboard" />
          <span>
            Played on a MIDI keyboard
            {keyboard.state === "unsupported" ? " (this browser has no MIDI)"
              : played ? `: ${played.length} notes` : ""}
          </span>
        </label>
      </fieldset>
      {source === "keyboard" && keyboard.state !== "unsupported" && (
        <div className={styles.toolbar}>
          {keyboard.state === "listening" ? (
            <button type="button" onClick={() => setPlayed(keyboard.stop())}>
              Stop ({keyboard.played} played)
            </button>
          ) : (
            <button type="button" disabled={keyboard.state === "asking"}
                    onClick={() => { setPlayed(null); void keyboard.listen(); }}>
              {played ? "Play it again" : "Listen to my keyboard"}
            </button>
          )}
          {keyboard.state === "listening" && <span role="status">Play the phrase, then Stop.</span>}
          {keyboard.state === "denied" && (
            <span className="error" role="alert">The browser refused MIDI access.</span>
          )}
        </div>
      )}
      <div className={styles.toolbar}>
        <label>
          Search in
          <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            {SCOPES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void search()} data-testid="search-phrase"
                disabled={searching || tooFew || tooMany || keyboard.state === "listening"}>
          {searching ? "Searching…" : "Search"}
        </button>
      </div>
      {tooFew && (
        <p className="muted">
          {source === "selection"
            ? `Select at least ${MIN_NOTES} notes in the piano roll (drag a box around them).`
            : `Play at least ${MIN_NOTES} notes.`}
        </p>
      )}
      {tooMany && <p className="error">At most {MAX_NOTES} notes: select a shorter phrase.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <MatchList matches={result.matches} threshold={result.threshold}
                   label="Matches of the phrase" />
      )}
    </section>
  );
}
