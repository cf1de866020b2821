/** Instrument presets: search and filter by category, then apply one to the selected
 * track — its instrument, drum flag, volume and pan, the preset id (a SoundFont preset
 * replaces the GM program in renders) and, when it has one, its effects chain. */
import { useEffect, useMemo, useState } from "react";

import type { Track } from "@/api/types";
import { instrumentLabel } from "@/features/arrangement/tracks";
import type { Effect } from "@/features/collab/schema";
import { useNotify, useProject, useScore, useScoreEdits,
         useSelection } from "@/features/workspace/state";

import { listPresets, type Preset } from "./api";
import { isAudioTrack } from "./audioTracks";
import styles from "./Library.module.css";

/** The preset's effects as a track's fx list, or null when it defines none. */
export function presetEffects(preset: Preset): Effect[] | null {
  const effects = preset.effects;
  if (Array.isArray(effects)) return effects as Effect[];
  const fx = (effects as { fx?: unknown } | null | undefined)?.fx;
  return Array.isArray(fx) ? fx as Effect[] : null;
}

/** The track fields a preset sets. */
export function presetPatch(preset: Preset): Partial<Track> & { preset_id: string } {
  const patch: Partial<Track> & { preset_id: string } = {
    program: Math.max(0, Math.min(127, preset.program ?? 0)),
    is_drum: preset.is_drum ?? false,
    preset_id: preset.id,
  };
  if (typeof preset.mix?.volume === "number") patch.volume = Math.round(preset.mix.volume);
  if (typeof preset.mix?.pan === "number") patch.pan = Math.round(preset.mix.pan);
  return patch;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function PresetsSection() {
  const { canEdit } = useProject();
  const { score } = useScore();
  const { updateTrack, updateTrackMix } = useScoreEdits();
  const { selectedTrackId } = useSelection();
  const notify = useNotify();
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [presets, setPresets] = useState<Preset[] | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      void listPresets(search.trim(), category).then((answer) => {
        if (!live) return;
        if (!answer.ok) { setError(answer.error.message); setPresets([]); return; }
        setError(null);
        setPresets(answer.value.items);
        if (!search.trim() && !category) {
          setCategories([...new Set(answer.value.items.map((p) => p.category))].sort());
        }
      });
    }, search ? 250 : 0);
    return () => { live = false; window.clearTimeout(timer); };
  }, [search, category]);

  const track = useMemo(() => score?.tracks?.find((t) => t.id === selectedTrackId) ?? null,
                        [score, selectedTrackId]);
  const usable = track !== null && !isAudioTrack(track);
  const appliedId = track?.preset_id ?? null;

  const apply = async (preset: Preset) => {
    if (!track?.id) return;
    setBusy(preset.id);
    try {
      const ok = await updateTrack(track.id, presetPatch(preset));
      const fx = presetEffects(preset);
      if (ok && fx) await updateTrackMix(track.id, { fx });
      if (ok) notify(`${preset.name} applied to ${track.name ?? "the track"}.`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="stack">
      <div className={styles.filters}>
        <label className={styles.wide}>
          Search presets
          <input type="search" value={search} maxLength={100} placeholder="e.g. strings, warm"
                 onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className={styles.wide}>
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {categories.map((c) => <option key={c} value={c}>{capitalise(c)}</option>)}
          </select>
        </label>
      </div>
      <p className={styles.hint} aria-live="polite">
        {!canEdit ? "You can only view this project."
          : !track ? "Select a track in the arrangement to apply a preset to it."
          : !usable ? "Audio tracks play samples: select an instrument track."
          : <>Applies to <strong>{track.name ?? "Track"}</strong> ({instrumentLabel(track)}).</>}
      </p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {presets === null ? <p className={styles.empty}>Loading presets…</p>
        : presets.length === 0 ? <p className={styles.empty}>No presets match.</p> : (
          <ul className={styles.list} aria-label="Presets">
            {presets.map((preset) => (
              <li key={preset.id} className={styles.item} data-testid="preset-item">
                <div className={styles.itemHead}>
                  <span className={styles.itemName} title={preset.name}>{preset.name}</span>
                  {appliedId === preset.id ? <span className="badge">applied</span> : null}
                </div>
                <div className={styles.meta}>
                  <span>{capitalise(preset.category)}</span>
                  <span>{preset.is_drum ? "Drum kit"
                    : instrumentLabel({ program: preset.program, is_drum: false })}</span>
                  {preset.soundfont_id ? <span>SoundFont {preset.bank ?? 0}:{preset.preset ?? 0}</span>
                    : null}
                  {preset.shipped === false ? <span>yours</span> : null}
                  {presetEffects(preset)?.length ? (
                    <span>{presetEffects(preset)!.map((e) => e.type).join(" · ")}</span>
                  ) : null}
                </div>
                {canEdit ? (
                  <div className={styles.actions}>
                    <button type="button" disabled={!usable || busy !== null}
                            aria-label={`Apply ${preset.name} to the selected track`}
                            onClick={() => void apply(preset)}>
                      {busy === preset.id ? "Applying…" : "Apply to selected track"}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
