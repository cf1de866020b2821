/** Words and small computations for the Originality tab. Pure. */
import type { Score } from "@/api/types";
import { songSections } from "@/features/takes/takes";

import type { CheckResult, Match, MatchBars, MatchNote, Scope } from "./types";

export const SCOPES: { value: Scope; label: string }[] = [
  { value: "all", label: "Reference tunes and my projects" },
  { value: "reference", label: "Reference tunes only" },
  { value: "projects", label: "My other projects only" },
];

export function percent(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

function span(bars: MatchBars): string {
  if (bars.start_bar <= 0 || bars.bars <= 0) return "";
  const last = bars.start_bar + bars.bars - 1;
  return last === bars.start_bar ? `bar ${bars.start_bar}` : `bars ${bars.start_bar}–${last}`;
}

/** The titles of what the song is too close to (melody, 4 bars or more, at or over the
 * threshold), one per source: reference tunes first, then the closest. */
export function tooClose(result: CheckResult): string[] {
  const deciding = result.matches
    .filter((m) => m.kind === "melody" && m.query_bars.bars >= 4 && m.score >= result.threshold)
    .sort((a, b) => Number(b.source.type === "reference") - Number(a.source.type === "reference")
      || b.score - a.score);
  const titles: string[] = [];
  const seen = new Set<string>();
  for (const match of deciding) {
    const key = `${match.source.type}:${match.source.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    titles.push(sourceText(match).title);
  }
  return titles;
}

/** "your bars 5–8 ↔ their bars 1–4" (a phrase without bars: "your phrase"). */
export function barsText(match: Match): string {
  const mine = span(match.query_bars);
  const theirs = span(match.match_bars);
  return `${mine ? `your ${mine}` : "your phrase"} ↔ ${theirs ? `their ${theirs}` : "their phrase"}`;
}

/** `transposition`: semitones from their notes to yours. */
export function transpositionText(semitones: number): string {
  if (semitones === 0) return "same pitch";
  const size = Math.abs(semitones);
  return `yours is ${size} semitone${size === 1 ? "" : "s"} ${semitones > 0 ? "higher" : "lower"}`;
}

export function sourceText(match: Match): { title: string; detail: string } {
  const { source } = match;
  if (source.type === "reference") {
    return { title: source.title || "A reference tune",
             detail: source.licence ? `Reference tune · ${source.licence}` : "Reference tune" };
  }
  const version = source.version != null ? ` · version ${source.version}` : "";
  return { title: source.title || "One of your projects", detail: `Your project${version}` };
}

/** The section a variation names for bar `bar`: its index among the song's sections (as
 * the composer counts them), or the whole piece (index 0) when the sections do not cover
 * the song bar by bar. */
export function sectionForBar(score: Score | null, bar: number):
    { index: number; name: string | null } {
  const sections = songSections(score);
  if (!sections.length || !score) return { index: 0, name: null };
  const ordered = [...(score.sections ?? [])].sort((a, b) => a.start_bar - b.start_bar);
  const found = ordered.findIndex((s) => bar >= s.start_bar && bar < s.start_bar + s.bars);
  const index = found >= 0 ? found : ordered.length - 1;
  return { index, name: ordered[index]?.name ?? null };
}

/** The notes of each side that the match aligns: the server's pairs when it sends them,
 * else the longest common run of melodic steps (intervals) in order, as the check does. */
export function alignedNotes(match: Pick<Match, "query_notes" | "match_notes" | "pairs">):
    { query: Set<number>; match: Set<number> } {
  const query = new Set<number>();
  const other = new Set<number>();
  if (match.pairs && match.pairs.length) {
    for (const [q, m] of match.pairs) {
      query.add(q);
      other.add(m);
    }
    return { query, match: other };
  }
  const a = melodicOrder(match.query_notes);
  const b = melodicOrder(match.match_notes);
  const stepsA = a.slice(1).map((n, i) => n.note.pitch - a[i]!.note.pitch);
  const stepsB = b.slice(1).map((n, i) => n.note.pitch - b[i]!.note.pitch);
  // Longest common subsequence of the steps.
  const rows = stepsA.length + 1;
  const cols = stepsB.length + 1;
  const table = new Uint16Array(rows * cols);
  for (let i = stepsA.length - 1; i >= 0; i--) {
    for (let j = stepsB.length - 1; j >= 0; j--) {
      table[i * cols + j] = stepsA[i] === stepsB[j] ? table[(i + 1) * cols + j + 1]! + 1
        : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < stepsA.length && j < stepsB.length) {
    if (stepsA[i] === stepsB[j]) {
      query.add(a[i]!.index).add(a[i + 1]!.index);
      other.add(b[j]!.index).add(b[j + 1]!.index);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return { query, match: other };
}

/** The notes in time order, the top one of notes starting together (the line heard). */
function melodicOrder(notes: readonly MatchNote[]): { note: MatchNote; index: number }[] {
  const sorted = notes.map((note, index) => ({ note, index }))
    .sort((x, y) => x.note.start - y.note.start || y.note.pitch - x.note.pitch);
  return sorted.filter((n, k) => k === 0 || n.note.start !== sorted[k - 1]!.note.start);
}
