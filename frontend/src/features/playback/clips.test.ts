import { describe, expect, it } from "vitest";

import type { Score, Track } from "@/api/types";
import { tempoMap } from "@/lib/timing";

import {
  clipGain, clipRate, clipsIn, collectClips, planAudioTracks, sampleIds, type SampleInfo,
} from "./clips";

const none = { mute: new Set<string>(), solo: new Set<string>() };
const audio = (id: string, clips: Track["clips"], extra: Partial<Track> = {}): Track =>
  ({ id, name: id, role: "audio", clips, ...extra });

describe("audio-track clips in the player", () => {
  // 120 bpm for two bars (3840 ticks = 4 s), then 60 bpm.
  const score: Score = { tempo: 120, tempo_changes: [{ tick: 3840, bpm: 60 }], tracks: [
    { id: "piano", name: "piano", notes: [] },
    audio("a", [{ id: "c1", sample_id: "s1", start: 0, gain_db: -6 },
                { id: "c2", sample_id: "s2", start: 1920, stretch: true },
                { id: "c3", sample_id: "s1", start: 3840 }]),
  ] };
  const map = tempoMap(score);
  const infos: Record<string, SampleInfo> = { s1: { duration: 2, bpm: null },
                                              s2: { duration: 4, bpm: 60 } };
  const info = (id: string) => infos[id];
  const clips = collectClips(score.tracks ?? []);

  it("collects the audio tracks' clips and their samples once", () => {
    expect(clips.map((c) => c.clipId)).toEqual(["c1", "c2", "c3"]);
    expect(sampleIds(score.tracks ?? [])).toEqual(["s1", "s2"]);
  });

  it("starts the clips beginning in a window at their start tick's audio time", () => {
    const found = clipsIn(clips, map, { time: 10, tick: 0 }, 960, info);
    expect(found.map((f) => [f.clip.clipId, f.time, f.offset])).toEqual([["c1", 10, 0]]);
    // c3 after the tempo change: 3840 ticks = 4 s.
    const later = clipsIn(clips, map, { time: 10, tick: 3800 }, 4000, info);
    expect(later.find((f) => f.clip.clipId === "c3")?.time).toBeCloseTo(10 + (40 / 480) * 0.5);
  });

  it("starts a clip already under way with an offset into the sample", () => {
    // From tick 480 (0.25 s): c1 (2 s long) is under way.
    const [first] = clipsIn(clips, map, { time: 5, tick: 480 }, 600, info);
    expect(first?.clip.clipId).toBe("c1");
    expect(first?.time).toBeCloseTo(5);
    expect(first?.offset).toBeCloseTo(0.5);
  });

  it("scales a stretched clip's rate and offset by song tempo over sample tempo", () => {
    // c2 starts at 2 s, s2 is 4 s at 60 bpm: rate 2, so it sounds 2 s (until 4 s).
    const found = clipsIn(clips, map, { time: 0, tick: 2880 }, 2900, info);
    const c2 = found.find((f) => f.clip.clipId === "c2");
    expect(c2?.rate).toBe(2);
    expect(c2?.offset).toBeCloseTo(2);  // 1 s into the clip, 2 s into the sample
    expect(clipsIn(clips, map, { time: 0, tick: 3840 }, 3900, info)
      .some((f) => f.clip.clipId === "c2")).toBe(false);
    // After the tempo change (60 bpm) the same sample stretches at rate 1.
    const after = collectClips([audio("b", [{ id: "d", sample_id: "s2", start: 3840,
                                              stretch: true }])]);
    expect(clipsIn(after, map, { time: 0, tick: 3840 }, 3900, info)[0]?.rate).toBe(1);
    expect(clipRate({ stretch: true }, 120, null)).toBe(1);
    expect(clipRate({ stretch: false }, 120, 60)).toBe(1);
  });

  it("skips clips already started and samples not decoded yet", () => {
    expect(clipsIn(clips, map, { time: 0, tick: 0 }, 960, info, new Set(["a/c1"]))).toEqual([]);
    expect(clipsIn(clips, map, { time: 0, tick: 0 }, 960, () => undefined)).toEqual([]);
  });

  it("takes gain from gain_db and the track's fader, and honours mute and solo", () => {
    expect(clipGain(-6, 1)).toBeCloseTo(0.501, 3);
    expect(clipGain(0, 0.5)).toBeCloseTo(0.5);
    const tracks = [audio("a", [], { volume: 127, pan: -64 }), audio("b", [], { volume: 64 })];
    const plan = planAudioTracks(tracks, none);
    expect(plan.get("a")).toEqual({ gain: 1, pan: -1 });
    expect(plan.get("b")?.gain).toBeCloseTo((64 / 127) ** 2);
    expect(planAudioTracks(tracks, { mute: new Set(["a"]), solo: new Set() }).get("a")?.gain)
      .toBe(0);
    expect(planAudioTracks(tracks, { mute: new Set(), solo: new Set(["b"]) }).get("a")?.gain)
      .toBe(0);
  });
});
