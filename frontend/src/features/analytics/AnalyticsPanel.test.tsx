// @vitest-environment jsdom
/** The Stats tab against a fake API at the network boundary: the numbers, the per-day
 * chart, the period selector, the empty and error states. */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import type { ProjectStats } from "./api";
import { AnalyticsPanel, formatSeconds } from "./AnalyticsPanel";

const day = (date: string, revisions: number, hours = 0) => ({
  date, revisions, exports: 0, compositions: 0, renders: 0, collaboration_hours: hours });

const STATS: ProjectStats = {
  project_id: "p1",
  render: { count: 3, total_seconds: 95.5, last_seconds: 12.25, last_at: "2026-12-02T10:00:00Z" },
  revisions: 42, versions: 17, collaboration_hours: 2.5, live_sessions: 4,
  exports: { count: 5, by_format: { mp3: 3, wav: 2, midi: 0 } },
  compositions: 6, ai_operations: { compose: 6, regenerate: 3, variation: 0 },
  contributors: [
    { user_id: "u2", name: "Bo", revisions: 2, ai_operations: 0, collaboration_hours: 0.5 },
    { user_id: "u1", name: "Ada", revisions: 40, ai_operations: 9, collaboration_hours: 2 },
  ],
  series: [day("2026-12-01", 10, 1), day("2026-12-02", 0), day("2026-12-03", 32, 1.5)],
};

function statsApi(answer: (days: number) => Response) {
  const server = fakeApi({ score: { bars: 4, tracks: [] } });
  const inner = server.fetch.bind(server);
  const asked: number[] = [];
  server.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname === "/api/v1/analytics/projects/p1") {
      const days = Number(url.searchParams.get("days"));
      asked.push(days);
      return answer(days);
    }
    return inner(request);
  };
  return { server, asked };
}

const ok = (body: unknown) => new Response(JSON.stringify(body), {
  status: 200, headers: { "Content-Type": "application/json" } });

describe("AnalyticsPanel", () => {
  it("shows the numbers, the top contributors and a chart of the period", async () => {
    const { server, asked } = statsApi(() => ok(STATS));
    renderWorkspace(<AnalyticsPanel />, server);
    expect((await screen.findByTestId("stats-revisions")).textContent).toBe("42");
    const tiles = screen.getByTestId("stats-tiles").textContent ?? "";
    expect(tiles).toContain("Versions17");
    expect(tiles).toContain("1 min 36 s");      // 95.5 s of rendering
    expect(tiles).toContain("3 renders · last 12 s");
    expect(tiles).toContain("2.5 h");
    expect(tiles).toContain("4 live sessions");
    expect(tiles).toContain("AI operations9");
    // Most first; formats with no exports are left out.
    expect(screen.getByRole("heading", { name: "Exports by format" }).parentElement
      ?.textContent).toBe("Exports by formatMP3 3WAV 2");
    expect(screen.getByRole("heading", { name: "AI operations" }).parentElement
      ?.textContent).toBe("AI operationsCompose 6Regenerate 3");
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows[1]?.textContent).toContain("Ada");   // most active first
    const chart = screen.getByRole("img");
    expect(chart.getAttribute("aria-label")).toBe(
      "Revisions: 42 in total over 3 days, most on Dec 3 (32).");
    expect(chart.querySelectorAll("rect")).toHaveLength(3);
    expect(new Set(asked)).toEqual(new Set([30]));

    fireEvent.change(screen.getByLabelText("Chart shows"),
                     { target: { value: "collaboration_hours" } });
    expect(screen.getByRole("img").querySelector("polyline")).not.toBeNull();
    expect(screen.getByRole("img").getAttribute("aria-label"))
      .toContain("Collaboration hours: 2.5 h in total");
  });

  it("asks for another period when one is chosen", async () => {
    const { server, asked } = statsApi((days) => ok({ ...STATS, revisions: days }));
    renderWorkspace(<AnalyticsPanel />, server);
    await screen.findByTestId("stats-revisions");
    fireEvent.click(screen.getByRole("button", { name: "90 days" }));
    await waitFor(() => expect(screen.getByTestId("stats-revisions").textContent).toBe("90"));
    expect(screen.getByRole("button", { name: "90 days" }).getAttribute("aria-pressed"))
      .toBe("true");
    expect(new Set(asked)).toEqual(new Set([30, 90]));
    expect(asked[asked.length - 1]).toBe(90);
  });

  it("says when there is nothing yet, and shows the server's error with a retry", async () => {
    let fail = true;
    const empty: ProjectStats = { ...STATS, revisions: 0, versions: 0, exports: { count: 0,
      by_format: {} }, ai_operations: {}, contributors: [], series: [] };
    const { server } = statsApi(() => (fail
      ? new Response(JSON.stringify({ error: { code: "FORBIDDEN", message: "Not a member." } }),
                     { status: 403, headers: { "Content-Type": "application/json" } })
      : ok(empty)));
    renderWorkspace(<AnalyticsPanel />, server);
    expect((await screen.findByRole("alert")).textContent).toContain("Not a member.");
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect((await screen.findByTestId("stats-revisions")).textContent).toBe("0");
    expect(screen.getByText("No exports in this period.")).toBeTruthy();
    expect(screen.getByText("Nobody yet in this period.")).toBeTruthy();
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("Revisions: no data");
  });

  it("formats durations as a person reads them", () => {
    expect(formatSeconds(4.25)).toBe("4.3 s");
    expect(formatSeconds(59)).toBe("59 s");
    expect(formatSeconds(3600 + 120)).toBe("1 h 2 min");
    expect(formatSeconds(null)).toBe("–");
  });
});
