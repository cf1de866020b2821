/** The similarity API's JSON shapes (DESIGN §2), as the Originality tab reads them. */

export type Scope = "all" | "reference" | "projects";

export interface MatchNote {
  pitch: number;
  /** Ticks (480 per quarter note) from the window's start. */
  start: number;
  duration: number;
}

export interface MatchBars {
  /** 1-based; 0 for a phrase without bars (a search by phrase, an audio file). */
  start_bar: number;
  bars: number;
  track_id?: string | null;
  track_name?: string;
}

export interface MatchSource {
  type: "reference" | "project";
  id: string;
  title: string;
  licence?: string | null;
  project_id?: string | null;
  version?: number | null;
}

export interface Match {
  score: number;
  kind: "melody" | "harmony";
  source: MatchSource;
  query_bars: MatchBars;
  match_bars: MatchBars;
  query_notes: MatchNote[];
  match_notes: MatchNote[];
  /** Semitones from their notes to yours. */
  transposition: number;
  /** Aligned note indexes (yours, theirs), when the server sends them. */
  pairs?: [number, number][] | null;
  /** Harmony: the matched chord symbols (of your bars). */
  labels?: string[];
}

export interface Recommendation {
  start_bar: number;
  bars: number;
  track_id?: string | null;
  section?: string | null;
  message: string;
}

export interface CheckResult {
  is_safe: boolean;
  threshold: number;
  score: number;
  query: { kind: string; project_id?: string | null; version?: number | null;
           filename?: string | null; notes?: number };
  matches: Match[];
  recommendations: Recommendation[];
  reference: { tunes: number; ready: boolean };
}

export interface SimilarProject {
  project_id: string;
  name: string;
  score: number;
  version?: number | null;
  matches: Match[];
}

export interface SimilarityStatus {
  reference: { tunes: number; windows: number; version: string | null; ready: boolean };
  threshold: number;
  indexed_versions: number;
}
