import { describe, expect, it } from "vitest";

import type { Score, Session } from "@/api/types";

import { describeTake, newestTake, songSections } from "./takes";

function session(fields: Partial<Session>): Session {
  return {
    id: "s1", project_id: "p", job_id: null, operation: "part", prompt: "", status: "succeeded",
    progress: 100, stage: "finalize", message: "", error: null, request: {}, warnings: [],
    version: 5, base_revision: 4, created_at: "2026-12-03T12:00:00Z", finished_at: null,
    ...fields,
  } as Session;
}

const SCORE = {
  bars: 8,
  sections: [{ name: "Verse", start_bar: 5, bars: 4 }, { name: "Intro", start_bar: 1, bars: 4 }],
  tracks: [{ id: "bass", name: "Bass", notes: [] }],
} as unknown as Score;

describe("newestTake", () => {
  it("offers the newest finished operation once, as before → after", () => {
    const sessions = [session({ id: "new", request: { track_id: "bass", section: 1 },
                                prompt: "busier" }),
                      session({ id: "old", version: 3, base_revision: 2 })];
    const take = newestTake(sessions, new Set(), SCORE);
    expect(take).toEqual({ sessionId: "new", operation: "part", before: 4, after: 5,
                           title: "New part for Bass in Verse (busier)" });
    expect(newestTake(sessions, new Set(["new"]), SCORE)).toBeNull();
  });

  it("skips running sessions and offers no take for a new composition", () => {
    const running = session({ id: "run", status: "running", version: null });
    expect(newestTake([running, session({ id: "done" })], new Set(), SCORE)?.sessionId)
      .toBe("done");
    expect(newestTake([session({ operation: "compose", base_revision: null })], new Set(),
                      SCORE)).toBeNull();
  });
});

describe("songSections", () => {
  it("numbers the sections in bar order when they cover the song", () => {
    expect(songSections(SCORE)).toEqual([{ index: 0, name: "Intro" },
                                         { index: 1, name: "Verse" }]);
  });

  it("offers none when the sections leave a gap (the composer then sees one section)", () => {
    const gap = { ...SCORE, bars: 12 } as Score;
    expect(songSections(gap)).toEqual([]);
    expect(songSections(null)).toEqual([]);
  });
});

describe("describeTake", () => {
  it("names the operation and its section", () => {
    expect(describeTake(session({ operation: "regenerate", request: { section: 0 } }), SCORE))
      .toBe("Regenerated Intro");
    expect(describeTake(session({ operation: "restyle", request: { style: "jazz" } }), SCORE))
      .toBe("Restyled as jazz");
  });
});
