/** The project's statistics (DESIGN §6): GET /api/v1/analytics/projects/{id}?days=. */
import { api, errorOf, type ApiError } from "@/api/client";
import type { components } from "@/api/schema";

type Schemas = components["schemas"];
export type ProjectStats = Schemas["ProjectAnalytics"];
export type SeriesPoint = Schemas["DayStats"];
export type Contributor = Schemas["Contributor"];

export const DAY_CHOICES = [7, 30, 90] as const;

export async function loadStats(projectId: string, days: number)
  : Promise<{ ok: true; value: ProjectStats } | { ok: false; error: ApiError }> {
  const answer = await api.GET("/api/v1/analytics/projects/{project_id}", {
    params: { path: { project_id: projectId }, query: { days } } });
  if (!answer.data) return { ok: false, error: errorOf(answer.error, answer.response.status) };
  return { ok: true, value: answer.data };
}
