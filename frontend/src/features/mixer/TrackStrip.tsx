/** One track's strip in the mixer: volume and pan (the song's, debounced), mute and solo
 * (this listener's own), and who else has the track selected. Every control's name says
 * its track ("Volume, Piano"), as a screen reader moving between strips hears it. */
import { useEffect, useId, useRef, useState } from "react";

import type { Track } from "@/api/types";
import { Visitors } from "@/features/presence/Visitors";
import type { Avatar } from "@/features/presence/remote";
import { audible, type ListenerMix } from "@/features/transport/listenerMix";
import { trackColour } from "@/lib/trackColour";

import { DEBOUNCE_MS } from "./debounce";
import styles from "./Mixer.module.css";

export type IdTrack = Track & { id: string };
export type TrackPatch = Partial<Pick<Track, "volume" | "pan">>;

export function TrackStrip({ track, disabled, listen, onListen, visitors = [], selected,
                             onSelect, onChange }: {
  track: IdTrack; disabled: boolean; listen: ListenerMix; onListen(field: "mute" | "solo"): void;
  visitors?: readonly Avatar[]; selected: boolean; onSelect(): void;
  onChange(trackId: string, patch: TrackPatch): Promise<unknown>;
}) {
  const id = useId();
  const volume = track.volume ?? 100;
  const pan = track.pan ?? 0;
  const [draft, setDraft] = useState<{ volume: number; pan: number } | null>(null);
  const timer = useRef<number | null>(null);
  const pending = useRef<TrackPatch>({});

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
  // Mute and solo are what this listener hears, so viewers use them too.
  const muted = listen.mute.has(track.id);
  const soloed = listen.solo.has(track.id);
  const heard = audible(listen, track.id);
  const panText = shownPan === 0 ? "centre" : shownPan < 0 ? `${-shownPan} left`
    : `${shownPan} right`;

  return (
    <li className={`${styles.strip} ${selected ? styles.selected : ""}`}>
      <div className={styles.head}>
        <button type="button" className={styles.name} onClick={onSelect}
                aria-pressed={selected} title="Select this track in the editor">
          <span className={styles.swatch} style={{ background: trackColour(track) }}
                aria-hidden="true" />
          {track.name}
        </button>
        <Visitors people={visitors} />
        {!heard && <span className="badge" title="Silent in what you hear">silent</span>}
      </div>
      <div className={styles.controls}>
        <label htmlFor={`${id}-vol`} className={styles.slider}>
          <span>Volume <output htmlFor={`${id}-vol`}>{shownVolume}</output></span>
          <input id={`${id}-vol`} type="range" min={0} max={127} value={shownVolume}
                 disabled={disabled} onChange={(e) => slide({ volume: Number(e.target.value) })}
                 aria-label={`Volume, ${track.name}`}
                 aria-valuetext={`${shownVolume} of 127`} />
        </label>
        <label htmlFor={`${id}-pan`} className={styles.slider}>
          <span>Pan <output htmlFor={`${id}-pan`}>{panText}</output></span>
          <input id={`${id}-pan`} type="range" min={-64} max={63} value={shownPan}
                 disabled={disabled} onChange={(e) => slide({ pan: Number(e.target.value) })}
                 onDoubleClick={() => !disabled && slide({ pan: 0 })}
                 aria-label={`Pan, ${track.name}`}
                 aria-valuetext={panText} />
        </label>
        <div className={styles.toggles}>
          <button type="button" aria-pressed={muted}
                  className={muted ? styles.mute : undefined}
                  aria-label={`Mute ${track.name}`}
                  title="Mute for you: what others hear is theirs to choose"
                  onClick={() => onListen("mute")}>M</button>
          <button type="button" aria-pressed={soloed}
                  className={soloed ? styles.solo : undefined}
                  aria-label={`Solo ${track.name}`}
                  title="Solo for you: what others hear is theirs to choose"
                  onClick={() => onListen("solo")}>S</button>
        </div>
      </div>
    </li>
  );
}
