/** The brief the project keeps (its newest composition session's request) as form
 * values, and whether Generate would replace edited music. */
import { api } from "@/api/client";

export interface BriefForm {
  prompt: string; style: string; mood: string; key: string; tempo: string; meter: string;
  bars: string; instruments: string;
}

const text = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

/** The seed is left out on purpose: Generate again means another take, not the same one. */
export function formFromRequest(prompt: string, request: Record<string, unknown>): BriefForm {
  const meter = request.meter as { numerator?: number; denominator?: number } | undefined;
  const instruments = Array.isArray(request.instruments)
    ? request.instruments.map((i) => typeof i === "string" ? i
      : text((i as { name?: unknown }).name)).filter(Boolean).join(", ") : "";
  return {
    prompt, style: text(request.style), mood: text(request.mood), key: text(request.key),
    tempo: text(request.tempo), bars: text(request.bars), instruments,
    meter: meter?.numerator && meter.denominator ? `${meter.numerator}/${meter.denominator}` : "",
  };
}

/** Reasons whose version is music nobody has changed by hand since. */
const UNTOUCHED = new Set(["generated", "created"]);

/** True when the newest version is an edit, an import or a restore: the score holds music
 * a new composition would replace. (Unreadable history counts as edited: asking once too
 * often costs a click, replacing someone's work without asking costs the work.) */
export async function editedSinceGeneration(projectId: string): Promise<boolean> {
  try {
    const answer = await api.GET("/api/v1/projects/{project_id}/versions", {
      params: { path: { project_id: projectId }, query: { page: 1, limit: 1 } },
    });
    const latest = answer.data?.items[0];
    return latest ? !UNTOUCHED.has(latest.reason) : true;
  } catch {
    return true;
  }
}
