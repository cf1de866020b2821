/** The dialog that adds a track: role (which picks a fitting instrument), instrument, name. */
import { useEffect, useState } from "react";

import type { Track } from "@/api/types";
import { Modal } from "@/ui/Modal";

import { ProgramOptions, roleLabel, ROLES, type Role } from "./tracks";

export function AddTrackDialog({ open, onClose, onAdd, busy, count }: {
  open: boolean; onClose(): void; busy: boolean; count: number;
  onAdd(track: Partial<Track>): void;
}) {
  const [role, setRole] = useState<Role>("melody");
  const [program, setProgram] = useState(73);
  const [name, setName] = useState("");
  useEffect(() => {
    if (open) { setRole("melody"); setProgram(73); setName(""); }
  }, [open]);
  const isDrum = role === "drums";
  const fallbackName = `${roleLabel(role)} ${count + 1}`;
  return (
    <Modal title="Add a track" open={open} onClose={onClose}>
      <form className="stack" onSubmit={(e) => {
        e.preventDefault();
        onAdd({ name: name.trim() || fallbackName, role, is_drum: isDrum,
                program: isDrum ? 0 : program });
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
        <label>
          Instrument
          {isDrum ? (
            <select disabled aria-disabled value="drums">
              <option value="drums">Drum kit (GM, channel 10)</option>
            </select>
          ) : (
            <select value={program} onChange={(e) => setProgram(Number(e.target.value))}>
              <ProgramOptions />
            </select>
          )}
        </label>
        <label>
          Name
          <input value={name} maxLength={100} placeholder={fallbackName}
                 onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Add track</button>
        </div>
      </form>
    </Modal>
  );
}
