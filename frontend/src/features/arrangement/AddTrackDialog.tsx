/** The dialog that adds a track: role (which picks a fitting instrument), instrument (the
 * searchable picker, with audition), name, and whether AriaForge writes a part for it at
 * once (over the song's chords, in the track's role and instrument). */
import { useEffect, useState } from "react";

import type { Track } from "@/api/types";
import { InstrumentPicker } from "@/features/instruments/InstrumentPicker";
import partStyles from "@/features/takes/TakeBar.module.css";
import { useTakes } from "@/features/takes/TakesProvider";
import { Modal } from "@/ui/Modal";

import { roleLabel, ROLES, type Role } from "./tracks";

/** A fresh track id, so the part can be asked for the track the dialog is adding. */
function newTrackId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `t-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function AddTrackDialog({ open, onClose, onAdd, busy, count }: {
  open: boolean; onClose(): void; busy: boolean; count: number;
  onAdd(track: Partial<Track>): void;
}) {
  const takes = useTakes();
  const [role, setRole] = useState<Role>("melody");
  const [program, setProgram] = useState(73);
  const [name, setName] = useState("");
  const [writePart, setWritePart] = useState(true);
  useEffect(() => {
    if (open) { setRole("melody"); setProgram(73); setName(""); setWritePart(true); }
  }, [open]);
  const isDrum = role === "drums";
  const fallbackName = `${roleLabel(role)} ${count + 1}`;
  return (
    <Modal title="Add a track" open={open} onClose={onClose}>
      <form className="stack" onSubmit={(e) => {
        e.preventDefault();
        const id = newTrackId();
        const trackName = name.trim() || fallbackName;
        onAdd({ id, name: trackName, role, is_drum: isDrum, program: isDrum ? 0 : program });
        if (writePart && takes.enabled) {
          void takes.writePart({ trackId: id }, `a part for ${trackName}`);
        }
      }}>
        <label>
          Role
          <select value={role} onChange={(e) => {
            const next = e.target.value as Role;
            setRole(next);
            setProgram(ROLES.find((r) => r.value === next)?.program ?? 0);
          }}>
            {ROLES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </select>
        </label>
        <InstrumentPicker value={isDrum ? 0 : program} isDrum={isDrum} label="Instrument"
                          onChange={(next) => setProgram(next)} />
        <label>
          Name
          <input value={name} maxLength={100} placeholder={fallbackName}
                 onChange={(e) => setName(e.target.value)} />
        </label>
        {takes.enabled ? (
          <label className={partStyles.check}>
            <input type="checkbox" checked={writePart} data-testid="add-track-write-part"
                   onChange={(e) => setWritePart(e.target.checked)} />
            Write a part for it
          </label>
        ) : null}
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Add track</button>
        </div>
      </form>
    </Modal>
  );
}
