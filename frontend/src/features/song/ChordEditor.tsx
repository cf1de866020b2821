"use client";
/** Editing one chord: type a symbol (checked as the server reads it) or pick one of the
 * key's suggestions — diatonic, borrowed, secondary dominants — each heard on hover or
 * focus. Enter saves, Escape cancels. */
import { useId, useMemo, useState, type FormEvent } from "react";

import { useAudition } from "@/features/playback/api";
import { keyName } from "@/lib/keys";

import { chordPitches, MAX_SYMBOL_LENGTH, parseChordSymbol } from "./chordSymbols";
import { Popover } from "./Popover";
import styles from "./song.module.css";
import { chordSuggestions, type KeyLike, type Suggestion } from "./suggestions";

const GROUPS: { group: Suggestion["group"]; title: string }[] = [
  { group: "diatonic", title: "In the key" },
  { group: "borrowed", title: "Borrowed" },
  { group: "secondary", title: "Secondary dominants" },
];

/** Sounds a chord (its bass and tones) with the chords track's instrument. */
export function useChordAudition(program: number): (symbol: string) => void {
  const audition = useAudition();
  return (symbol) => {
    const parsed = parseChordSymbol(symbol);
    if (!parsed.ok) return;
    for (const pitch of chordPitches(parsed.chord)) {
      audition({ pitch, program, isDrum: false, velocity: 80, durationMs: 700 });
    }
  };
}

export function ChordEditor({ anchor, initial, where, keyInForce, program, onSave, onDelete,
                              onClose }: {
  anchor(): HTMLElement | null; initial: string; where: string; keyInForce: KeyLike;
  program: number; onSave(symbol: string): void; onDelete?(): void; onClose(): void;
}) {
  const [text, setText] = useState(initial);
  const [touched, setTouched] = useState(false);
  const id = useId();
  const parsed = parseChordSymbol(text);
  const problem = touched && !parsed.ok ? parsed.error : null;
  const suggestions = useMemo(() => chordSuggestions(keyInForce), [keyInForce]);
  const hear = useChordAudition(program);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (parsed.ok) onSave(parsed.symbol);
  };

  return (
    <Popover anchor={anchor} label={`Chord at ${where}`} onClose={onClose}>
      <form className={styles.fieldRow} onSubmit={submit}>
        <label className={styles.grow}>Chord at {where}
          <input value={text} autoFocus maxLength={MAX_SYMBOL_LENGTH} spellCheck={false}
                 aria-invalid={problem ? true : undefined}
                 aria-describedby={problem ? `${id}-error` : undefined}
                 data-testid="chord-input" placeholder="e.g. Am7, F/A, Bbmaj7"
                 onChange={(e) => { setText(e.target.value); setTouched(true); }} />
        </label>
        <button type="submit" className="primary">Set</button>
      </form>
      {problem ? <p id={`${id}-error`} className="error" role="alert">{problem}</p> : null}
      {GROUPS.map(({ group, title }) => {
        const list = suggestions.filter((s) => s.group === group);
        if (!list.length) return null;
        return (
          <div key={group} role="group" aria-label={`${title} (${keyName(keyInForce)})`}>
            <h4>{title}{group === "diatonic" ? ` · ${keyName(keyInForce)}` : ""}</h4>
            <div className={styles.suggestions}>
              {list.map((s) => (
                <button key={s.symbol} type="button" className={styles.suggestion}
                        aria-label={`${s.symbol} (${s.roman})`} data-chord={s.symbol}
                        onMouseEnter={() => hear(s.symbol)} onFocus={() => hear(s.symbol)}
                        onClick={() => onSave(s.symbol)}>
                  <span>{s.symbol}</span><span className={styles.roman}>{s.roman}</span>
                </button>
              ))}
            </div>
          </div>
        );
      })}
      <div className={styles.actions}>
        {onDelete ? <button type="button" className="danger" onClick={onDelete}>
          Delete chord</button> : null}
        <button type="button" onClick={() => { onClose(); anchor()?.focus(); }}>Cancel</button>
      </div>
    </Popover>
  );
}
