import { describe, expect, it } from "vitest";

import type { Track } from "@/api/types";

import { audible, effectiveMix, listenerQuery, parseListenerMix } from "./listenerMix";

const TRACKS: Track[] = [
  { id: "lead", name: "Lead", mute: true }, { id: "bass", name: "Bass", solo: true },
  { id: "kit", name: "Kit" },
];

describe("listener mix", () => {
  it("uses the score's flags until this browser set its own", () => {
    const mix = effectiveMix(null, TRACKS);
    expect([...mix.mute]).toEqual(["lead"]);
    expect([...mix.solo]).toEqual(["bass"]);
    expect(listenerQuery(null, TRACKS)).toBe("");
  });

  it("replaces the flags with its own and forgets deleted tracks", () => {
    const stored = parseListenerMix(JSON.stringify({ mute: ["kit", "gone"], solo: [] }));
    const mix = effectiveMix(stored, TRACKS);
    expect([...mix.mute]).toEqual(["kit"]);
    expect(mix.solo.size).toBe(0);
    expect(listenerQuery(stored, TRACKS)).toBe("mute=kit&solo=");
    const both = parseListenerMix(JSON.stringify({ mute: ["lead", "kit"], solo: ["bass"] }));
    expect(listenerQuery(both, TRACKS)).toBe("mute=kit%2Clead&solo=bass");
  });

  it("reads damaged storage as no choice", () => {
    expect(parseListenerMix("{not json")).toBeNull();
    expect(parseListenerMix(null)).toBeNull();
    const odd = parseListenerMix(JSON.stringify({ mute: [1, "kit"], solo: "x" }));
    expect([...(odd?.mute ?? [])]).toEqual(["kit"]);
    expect(odd?.solo.size).toBe(0);
  });

  it("hears a track unless muted, or another is soloed", () => {
    const mix = { mute: new Set(["lead"]), solo: new Set(["bass"]) };
    expect(audible(mix, "lead")).toBe(false);
    expect(audible(mix, "bass")).toBe(true);
    expect(audible(mix, "kit")).toBe(false);
    expect(audible({ mute: new Set(), solo: new Set() }, "kit")).toBe(true);
  });
});
