"use client";
/** The mixer: per track volume and pan (the song's: saved on the tracks through
 * `updateTrack`, one change at a time, sliders debounced), mute and solo (this listener's
 * own: kept in this browser and applied to the preview they hear, never to the song), and
 * the master gain and limiter (GET/PUT /mix, per-track effects left untouched, 409 →
 * reload the mix). */
import { useCallback, useEffect, useMemo, useRef } from "react";

import { useCollab } from "@/features/collab/useCollab";
import { avatarsOf } from "@/features/presence/remote";
import { useListenerMix } from "@/features/transport/listenerMix";
import { useProject, useScore, useScoreEdits, useSelection } from "@/features/workspace/state";

import { MasterSection } from "./MasterSection";
import styles from "./Mixer.module.css";
import { TrackStrip, type IdTrack, type TrackPatch } from "./TrackStrip";

export function Mixer() {
  const { canEdit, projectId } = useProject();
  const { score } = useScore();
  const { remoteUsers } = useCollab();
  const avatars = useMemo(() => avatarsOf(remoteUsers), [remoteUsers]);
  const { updateTrack } = useScoreEdits();
  const { selectedTrackId, selectTrack } = useSelection();
  const tracks = useMemo(() => (score?.tracks ?? []).filter(
    (t): t is IdTrack => typeof t.id === "string"), [score?.tracks]);
  const { mix, toggle } = useListenerMix(projectId, tracks);

  // Track changes run one after another; each is sent with the revision the previous one
  // produced (the workspace keeps it current as soon as a change is saved).
  const latest = useRef(updateTrack);
  useEffect(() => { latest.current = updateTrack; }, [updateTrack]);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = useCallback((trackId: string, patch: TrackPatch) => {
    // One change that throws (network failure) must not break the queue for all later ones.
    const work = () => latest.current(trackId, patch);
    queue.current = queue.current.catch(() => undefined).then(work);
    return queue.current.catch(() => false);
  }, []);

  return (
    <div className={styles.mixer}>
      {tracks.length === 0 ? <p className="muted">No tracks yet.</p> : (
        <ul className={styles.strips} aria-label="Tracks">
          {tracks.map((track) => (
            <TrackStrip key={track.id} track={track} disabled={!canEdit} listen={mix}
                        onListen={(field) => toggle(track.id, field)}
                        visitors={avatars.filter((a) => a.trackIds.includes(track.id))}
                        selected={track.id === selectedTrackId}
                        onSelect={() => selectTrack(track.id)} onChange={enqueue} />
          ))}
        </ul>
      )}
      <MasterSection />
    </div>
  );
}
