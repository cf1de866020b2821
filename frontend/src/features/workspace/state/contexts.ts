/** The workspace's state, one context per concern, so that a component re-renders only when
 * what it reads changes: the project and its loading (rare), the score (every edit), the
 * score's edit calls (stable), the selection, notifications, and the playhead (many times a
 * second while playing). `WorkspaceProvider` fills them all. */
import { createContext, useContext, type Context } from "react";

import type { ApiError } from "@/api/client";
import type { MixSettings, NoteOperation, Project, Score, Track } from "@/api/types";
import type { LiveHistory } from "@/features/collab/history";
import type {
  ChordEvent, DocSettings, Effect, Master, MeterEvent, SectionEvent, TempoEvent,
} from "@/features/collab/schema";

export interface ProjectState {
  projectId: string;
  project: Project | null;
  loading: boolean;
  loadError: ApiError | null;
  /** Owners and editors edit; viewers see everything read-only. */
  canEdit: boolean;
  /** Loads the project and the score again (after a change made elsewhere). */
  reload(): Promise<void>;
}

export interface ScoreState {
  /** The score: from the live document once it has synced, else as loaded through REST. */
  score: Score | null;
  /** The shared mix (master and per-track effects) when the live document holds it; null
   * in the REST fallback (the mixer then loads it through GET /mix). */
  mix: MixSettings | null;
  /** The score's revision: sent with every edit, so a stale edit answers 409. Live, it
   * follows the server's saves of the document (a moment after the edits). */
  revision: number;
  /** Bumped whenever the server's copy of the score changes (for previews, notation and
   * checks, which the server computes, to re-fetch); live, once the server has saved the
   * document after a pause in editing. */
  scoreVersion: number;
  /** Bumped when the score was replaced by something other than this workspace's own note
   * and track edits (a composition, an import, a restore, a conflict reload): an undo
   * history of earlier edits no longer applies. */
  outsideChanges: number;
}

export type EditResult = { ok: true; addedIds: string[]; revision: number }
  | { ok: false; error: ApiError };

export type TrackMixPatch = { gain_db?: number; fx?: Effect[] };

/** The calls that change the score. Live, each is one transaction in the shared document
 * (resolved at once; the server may still refuse it and send the revert); otherwise each is
 * saved through the API with the revision check. */
export interface ScoreEdits {
  editNotes(operations: NoteOperation[], message?: string): Promise<EditResult>;
  /** Mute and solo are never written while live: they are each listener's own. */
  updateTrack(trackId: string, patch: Partial<Track>): Promise<boolean>;
  addTrack(track: Partial<Track>): Promise<string | null>;
  deleteTrack(trackId: string): Promise<boolean>;
  /** Moves a track to position `index` of the track list. */
  moveTrack(trackId: string, index: number): Promise<boolean>;
  updateSettings(patch: Partial<DocSettings>): Promise<boolean>;
  setTempoChanges(events: TempoEvent[]): Promise<boolean>;
  setMeterChanges(events: MeterEvent[]): Promise<boolean>;
  setSections(sections: SectionEvent[]): Promise<boolean>;
  setChordSymbols(chords: ChordEvent[]): Promise<boolean>;
  updateMaster(patch: Partial<Master>): Promise<boolean>;
  updateTrackMix(trackId: string, patch: TrackMixPatch): Promise<boolean>;
  /** Live: the undo history of this tab's own edits (every kind, not only notes); null in
   * the REST fallback, where the note editors keep their own. */
  liveHistory: LiveHistory | null;
  /** Bumped when `liveHistory`'s stacks change. */
  liveHistoryVersion: number;
}

export interface Selection {
  selectedTrackId: string | null;
  selectTrack(trackId: string | null): void;
  highlightedNoteIds: ReadonlySet<string>;
  /** Select the track, highlight notes and scroll the editors to `tick`. */
  highlight(noteIds: string[], trackId?: string | null, tick?: number): void;
  focusTick: number | null;
}

export interface Toast {
  id: number;
  kind: "info" | "error";
  message: string;
}

export type Notify = (message: string, kind?: Toast["kind"]) => void;

export interface Toasts {
  toasts: Toast[];
  dismiss(id: number): void;
}

export interface Playhead {
  /** Where playback is, in ticks (null when stopped and never placed). */
  playheadTick: number | null;
  setPlayheadTick(tick: number | null): void;
}

export const ProjectContext = createContext<ProjectState | null>(null);
export const ScoreContext = createContext<ScoreState | null>(null);
export const ScoreEditsContext = createContext<ScoreEdits | null>(null);
export const SelectionContext = createContext<Selection | null>(null);
export const NotifyContext = createContext<Notify | null>(null);
export const ToastsContext = createContext<Toasts | null>(null);
export const PlayheadContext = createContext<Playhead | null>(null);

function useRequired<T>(context: Context<T | null>, name: string): T {
  const value = useContext(context);
  if (value === null) throw new Error(`${name} outside <WorkspaceProvider>`);
  return value;
}

export const useProject = (): ProjectState => useRequired(ProjectContext, "useProject");
export const useScore = (): ScoreState => useRequired(ScoreContext, "useScore");
export const useScoreEdits = (): ScoreEdits => useRequired(ScoreEditsContext, "useScoreEdits");
export const useSelection = (): Selection => useRequired(SelectionContext, "useSelection");
export const useNotify = (): Notify => useRequired(NotifyContext, "useNotify");
export const useToasts = (): Toasts => useRequired(ToastsContext, "useToasts");
export const usePlayhead = (): Playhead => useRequired(PlayheadContext, "usePlayhead");
