/** The similarity API's shapes (docs/similarity.md), named for the Originality tab; from the
 * generated schema. */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type Scope = Schemas["Scope"];
/** Ticks (480 per quarter note) from the window's start. */
export type MatchNote = Schemas["NoteOut"];
/** `start_bar` is 1-based; 0 for a phrase without bars (a searched phrase, an audio file). */
export type MatchBars = Schemas["Bars"];
export type MatchSource = Schemas["Source"];
/** `transposition`: semitones from their notes to yours. `pairs`: aligned note indexes
 * (yours, theirs), read when an answer carries them. */
export type Match = Schemas["Match"] & { pairs?: [number, number][] | null };
export type Recommendation = Schemas["Recommendation"];
export type CheckResult = Schemas["CheckResult"];
export type SimilarProject = Schemas["SimilarProject"];
export type SimilarityStatus = Schemas["SimilarityStatus"];
