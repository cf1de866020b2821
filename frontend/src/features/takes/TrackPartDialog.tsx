"use client";
/** "Write a part…" (empty track) / "Regenerate this track" from a track's header: where (the
 * whole song or one section) and an optional hint; the composer writes it over the song's
 * own chord track and leaves every other track as it is. */
import { useEffect, useState } from "react";

import type { Track } from "@/api/types";
import { useScore } from "@/features/workspace/state";
import { Modal } from "@/ui/Modal";

import styles from "./TakeBar.module.css";
import { useTakes } from "./TakesProvider";
import { PART_HINTS, songSections } from "./takes";

export function TrackPartDialog({ track, open, onClose }: {
  track: Track; open: boolean; onClose(): void;
}) {
  const { score } = useScore();
  const { writePart, run } = useTakes();
  const [where, setWhere] = useState("all");
  const [hint, setHint] = useState("");
  useEffect(() => { if (open) { setWhere("all"); setHint(""); } }, [open]);
  const sections = songSections(score);
  const name = track.name ?? "Track";
  const regenerate = Boolean(track.notes?.length);
  const working = run.phase === "starting" || run.phase === "running";

  const submit = () => {
    const section = where === "all" ? null : Number(where);
    const place = section === null ? "" : ` in ${sections[section]?.name ?? "a section"}`;
    onClose();
    void writePart({ trackId: track.id ?? "", section, hint },
                   `${regenerate ? "a new take of" : "a part for"} ${name}${place}`);
  };

  return (
    <Modal title={regenerate ? `Regenerate ${name}` : `Write a part for ${name}`} open={open}
           onClose={onClose}>
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <p className="muted">
          Written for this track&apos;s role and instrument over the song&apos;s chords;
          the other tracks stay as they are. You can keep or discard the take afterwards.
        </p>
        <label>
          Where
          <select value={where} onChange={(e) => setWhere(e.target.value)}
                  data-testid="part-where">
            <option value="all">The whole song</option>
            {sections.map((s) => (
              <option key={s.index} value={String(s.index)}>{`…in section ${s.name}`}</option>
            ))}
          </select>
        </label>
        <label>
          Hint (optional)
          <input value={hint} maxLength={200} placeholder="busier, simpler, walking…"
                 data-testid="part-hint" onChange={(e) => setHint(e.target.value)} />
        </label>
        <div className={styles.hints} role="group" aria-label="Hints the composer knows">
          {PART_HINTS.map((word) => (
            <button type="button" key={word} onClick={() => setHint(word)}>{word}</button>
          ))}
        </div>
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={working}
                  data-testid="part-submit">
            {regenerate ? "Regenerate" : "Write the part"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
