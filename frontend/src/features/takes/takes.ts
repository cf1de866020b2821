/** A take is what an AI operation (a track's part, a regenerated section, a variation…)
 * made of the score: version `after`, heard against version `before` (the one the session
 * started from) until the user keeps it or discards it (restores `before`). Pure helpers. */
import type { Score, Session } from "@/api/types";

export interface Take {
  sessionId: string;
  operation: string;
  /** The version the session started from (A). */
  before: number;
  /** The version it produced (B). */
  after: number;
  title: string;
}

/** Hints the composer understands in a part's prompt (backend composer/part_hints.py). */
export const PART_HINTS = ["busier", "simpler", "walking"] as const;

/** The newest finished operation on the score, unless it was already offered (`seen`).
 * `sessions` come newest first (GET /projects/{id}/sessions); a composition from a brief
 * (no `base_revision`) replaces the whole piece and is not a take. */
export function newestTake(sessions: readonly Session[], seen: ReadonlySet<string>,
                           score: Score | null): Take | null {
  const newest = sessions.find((s) => s.status === "succeeded" && s.version != null);
  if (!newest || seen.has(newest.id)) return null;
  if (newest.base_revision == null || newest.version == null
      || newest.version <= newest.base_revision) return null;
  return { sessionId: newest.id, operation: newest.operation, before: newest.base_revision,
           after: newest.version, title: describeTake(newest, score) };
}

/** The sections an operation can name by index: the score's sections when they cover the
 * piece bar by bar (as the composer reads the form), else none. */
export function songSections(score: Score | null): { index: number; name: string }[] {
  const sections = [...(score?.sections ?? [])].sort((a, b) => a.start_bar - b.start_bar);
  let next = 1;
  for (const section of sections) {
    if (section.start_bar !== next) return [];
    next += section.bars;
  }
  if (!sections.length || next !== (score?.bars ?? 0) + 1) return [];
  return sections.map((section, index) => ({ index, name: section.name }));
}

export function describeTake(session: Session, score: Score | null): string {
  const request = session.request as { track_id?: string; section?: number; style?: string };
  const section = typeof request.section === "number"
    ? songSections(score)[request.section]?.name ?? `section ${request.section + 1}` : null;
  const where = section ? ` in ${section}` : "";
  const hint = session.prompt.trim() ? ` (${session.prompt.trim().slice(0, 60)})` : "";
  switch (session.operation) {
    case "part": {
      const track = score?.tracks?.find((t) => t.id === request.track_id);
      return `New part for ${track?.name ?? "a track"}${where}${hint}`;
    }
    case "regenerate": return `Regenerated ${section ?? "the last section"}`;
    case "variation": return `Variation of ${section ?? "the last section"}`;
    case "continue": return "Continued the piece";
    case "reharmonize": return "New chords under the melody";
    case "restyle": return `Restyled${request.style ? ` as ${request.style}` : ""}`;
    default: return `${session.operation}${hint}`;
  }
}
