/** Score edits written into the live document: each one transaction with this tab's origin
 * (so its undo history holds it), labelled for the undo buttons. No REST save: the server
 * persists the document's updates and saves the score after a pause. While offline the
 * edits stay in the document and merge when the connection returns. */
import { useMemo, useRef } from "react";

import type { Track } from "@/api/types";
import * as live from "@/features/collab/edits";
import type { LiveDocument } from "@/features/collab/useLiveDocument";

import type { EditResult } from "./contexts";
import type { RestEdits } from "./useRestEdits";

const TRACK_LABELS: Record<string, string> = {
  name: "Rename track", program: "Change instrument", volume: "Volume", pan: "Pan",
  role: "Change role", colour: "Track colour", is_drum: "Drum track",
};

const refused = (message: string): EditResult => ({
  ok: false, error: { code: "AUTHORIZATION_ERROR", message } });
const READ_ONLY = "You can only view this project.";

export function useLiveEdits(document: LiveDocument): RestEdits {
  const latest = useRef(document);
  latest.current = document;

  return useMemo<RestEdits>(() => {
    /** Runs `write` on the document when this tab may write, labelling the undo step. */
    const write = <T,>(label: string, separate: boolean, fallback: T,
                       work: (doc: NonNullable<LiveDocument["doc"]>,
                              origin: object) => T): Promise<T> => {
      const { doc, origin, history, writable } = latest.current;
      if (!doc || !writable) return Promise.resolve(fallback);
      history?.label(label, separate);
      return Promise.resolve(work(doc, origin));
    };
    return {
      editNotes: (operations, message) => {
        const { doc, writable } = latest.current;
        if (!doc || !writable) return Promise.resolve(refused(READ_ONLY));
        return write(message ?? "Edit notes", true, refused(READ_ONLY), (d, origin) => {
          const result = live.applyNoteOperations(d, operations, origin);
          if (!result.ok) {
            return { ok: false, error: { code: "NOT_FOUND",
                                         message: `Someone else changed these notes meanwhile (${result.error}).` } };
          }
          return { ok: true, addedIds: result.addedIds, revision: 0 } satisfies EditResult;
        });
      },
      updateTrack: (trackId, patch: Partial<Track>) => {
        // Mute and solo are each listener's own (DESIGN §1): never written live.
        const { mute: _mute, solo: _solo, id: _id, notes: _notes, ...fields } = patch;
        const first = Object.keys(fields)[0] ?? "";
        // Slider moves (volume, pan) within the capture time merge into one undo step.
        const separate = first !== "volume" && first !== "pan";
        return write(TRACK_LABELS[first] ?? "Change track", separate, false,
                     (d, origin) => live.updateTrack(d, trackId, fields as live.TrackPatch,
                                                     origin));
      },
      addTrack: (track) => write("Add track", true, null,
                                 (d, origin) => live.addTrack(d, track, origin)),
      deleteTrack: (trackId) => write("Delete track", true, false,
                                      (d, origin) => live.deleteTrack(d, trackId, origin)),
      moveTrack: (trackId, index) => write("Move track", true, false,
                                           (d, origin) => live.moveTrack(d, trackId, index,
                                                                         origin)),
      updateSettings: (patch) => write("Song settings", true, false, (d, origin) => {
        live.updateSettings(d, patch, origin);
        return true;
      }),
      setTempoChanges: (events) => write("Tempo changes", true, false, (d, origin) => {
        live.setTempoChanges(d, events, origin);
        return true;
      }),
      setMeterChanges: (events) => write("Meter changes", true, false, (d, origin) => {
        live.setMeterChanges(d, events, origin);
        return true;
      }),
      setSections: (sections) => write("Sections", true, false, (d, origin) => {
        live.setSections(d, sections, origin);
        return true;
      }),
      setChordSymbols: (chords) => write("Chord symbols", true, false, (d, origin) => {
        live.setChordSymbols(d, chords, origin);
        return true;
      }),
      updateMaster: (patch) => write("Master", false, false, (d, origin) => {
        live.updateMaster(d, patch, origin);
        return true;
      }),
      updateTrackMix: (trackId, patch) => write("Track effects", true, false,
        (d, origin) => live.updateTrackMix(d, trackId, patch, origin)),
    };
  }, []);
}
