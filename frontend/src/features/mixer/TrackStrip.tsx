/** One track's strip in the mixer: volume and pan (debounced), mute and solo. */
import { useEffect, useId, useRef, useState } from "react";

import type { Track } from "@/api/types";

import { DEBOUNCE_MS } from "./debounce";
import styles from "./Mixer.module.css";

export type IdTrack = Track & { id: string };
export type TrackPatch = Partial<Pick<Track, "volume" | "pan" | "mute" | "solo">>;

export function TrackStrip({ track, disabled, anySolo, selected, onSelect, onChange }: {
  track: IdTrack; disabled: boolean; anySolo: boolean; selected: boolean; onSelect(): void;
  onChange(trackId: string, patch: TrackPatch): Promise<unknown>;
}) {
  const id = useId();
  const volume = track.volume ?? 100;
  const pan = track.pan ?? 0;
  const [draft, setDraft] = useState<{ volume: number; pan: number } | null>(null);
  const timer = useRef<number | null>(null);
  const pending = useRef<TrackPatch>({});
  // Mute/solo toggle from the props, which update only once the save (and reload) is done:
  // the button stays disabled meanwhile, so a quick double click cannot send the same value
  // twice.
  const [toggling, setToggling] = useState<{ mute?: boolean; solo?: boolean }>({});
  const toggle = (field: "mute" | "solo") => {
    if (toggling[field]) return;
    setToggling((t) => ({ ...t, [field]: true }));
    void onChange(track.id, { [field]: !track[field] }).finally(() => {
      setToggling((t) => ({ ...t, [field]: false }));
    });
  };

  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);

  const slide = (patch: { volume?: number; pan?: number }) => {
    setDraft((d) => ({ volume: d?.volume ?? volume, pan: d?.pan ?? pan, ...patch }));
    pending.current = { ...pending.current, ...patch };
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      const send = pending.current;
      pending.current = {};
      void onChange(track.id, send).finally(() => {
        if (timer.current === null) setDraft(null);  // the score now holds the value
      });
    }, DEBOUNCE_MS);
  };

  const shownVolume = draft?.volume ?? volume;
  const shownPan = draft?.pan ?? pan;
  const audible = !track.mute && (!anySolo || track.solo);
  const panText = shownPan === 0 ? "centre" : shownPan < 0 ? `${-shownPan} left`
    : `${shownPan} right`;

  return (
    <li className={`${styles.strip} ${selected ? styles.selected : ""}`}>
      <div className={styles.head}>
        <button type="button" className={styles.name} onClick={onSelect}
                aria-pressed={selected} title="Select this track in the editor">
          <span className={styles.swatch} style={{ background: track.colour ?? "var(--accent)" }}
                aria-hidden="true" />
          {track.name}
        </button>
        {!audible && <span className="badge">silent</span>}
      </div>
      <div className={styles.controls}>
        <label htmlFor={`${id}-vol`} className={styles.slider}>
          <span>Volume <output htmlFor={`${id}-vol`}>{shownVolume}</output></span>
          <input id={`${id}-vol`} type="range" min={0} max={127} value={shownVolume}
                 disabled={disabled} onChange={(e) => slide({ volume: Number(e.target.value) })}
                 aria-valuetext={`${shownVolume} of 127`} />
        </label>
        <label htmlFor={`${id}-pan`} className={styles.slider}>
          <span>Pan <output htmlFor={`${id}-pan`}>{panText}</output></span>
          <input id={`${id}-pan`} type="range" min={-64} max={63} value={shownPan}
                 disabled={disabled} onChange={(e) => slide({ pan: Number(e.target.value) })}
                 onDoubleClick={() => !disabled && slide({ pan: 0 })}
                 aria-valuetext={panText} />
        </label>
        <div className={styles.toggles}>
          <button type="button" aria-pressed={Boolean(track.mute)}
                  disabled={disabled || toggling.mute}
                  className={track.mute ? styles.mute : undefined}
                  aria-label={`Mute ${track.name}`}
                  onClick={() => toggle("mute")}>M</button>
          <button type="button" aria-pressed={Boolean(track.solo)}
                  disabled={disabled || toggling.solo}
                  className={track.solo ? styles.solo : undefined}
                  aria-label={`Solo ${track.name}`}
                  onClick={() => toggle("solo")}>S</button>
        </div>
      </div>
    </li>
  );
}
