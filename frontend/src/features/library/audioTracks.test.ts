/** Placing samples on audio tracks: the bar of the playhead, reuse of an audio track, the
 * clip limit, and a clip's length at the song's tempo. */
import { describe, expect, it } from "vitest";

import type { Score, Track } from "@/api/types";
import { snapToBeat } from "@/features/arrangement/ClipLane";
import { barLayout } from "@/lib/geometry";

import { uploadErrorMessage } from "./api";
import { barStartAt, clipLengthTicks, placeSample, type AudioClip } from "./audioTracks";

const audio = (id: string, clips: AudioClip[]): Track =>
  ({ id, name: id, role: "audio", notes: [], clips });
const SAMPLE = { id: "s1", name: "Loop", bpm: 90 };

describe("placeSample", () => {
  const score: Score = { bars: 4, meter: { numerator: 3, denominator: 4 },
                         meter_changes: [{ bar: 3, meter: { numerator: 4, denominator: 4 } }],
                         tracks: [{ id: "m", role: "melody", notes: [] }] };

  it("starts the clip at the bar the playhead is in, following meter changes", () => {
    expect(barStartAt(score, null)).toBe(0);
    expect(barStartAt(score, 1439)).toBe(0);
    expect(barStartAt(score, 1440)).toBe(1440);
    // Bars 1-2 are 3/4 (1440 ticks), bar 3 starts at 2880 and is 4/4.
    expect(barStartAt(score, 2880 + 1919)).toBe(2880);
    expect(barStartAt(score, 99_999)).toBe(2880 + 1920);
  });

  it("creates an audio track when there is none, named after the sample", () => {
    const plan = placeSample(score, SAMPLE, 1500, null);
    expect(plan.kind).toBe("new-track");
    if (plan.kind !== "new-track") return;
    expect(plan.track).toEqual(expect.objectContaining({ name: "Loop", role: "audio",
                                                         is_drum: false, notes: [] }));
    expect(plan.track.clips).toEqual([plan.clip]);
    expect(plan.clip).toEqual(expect.objectContaining({ sample_id: "s1", start: 1440,
                                                        stretch: true }));
    expect(plan.clip.id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
  });

  it("prefers the selected audio track, else the first, and respects the clip limit", () => {
    const withAudio: Score = { ...score, tracks: [audio("a1", []), audio("a2", [])] };
    const first = placeSample(withAudio, { ...SAMPLE, bpm: null }, null, "m");
    expect(first).toEqual(expect.objectContaining({ kind: "existing", trackId: "a1" }));
    if (first.kind === "existing") expect(first.clip.stretch).toBe(false);
    expect(placeSample(withAudio, SAMPLE, null, "a2"))
      .toEqual(expect.objectContaining({ kind: "existing", trackId: "a2" }));
    const full = Array.from({ length: 256 }, (_, i) => ({ id: `c${i}`, sample_id: "s1",
                                                          start: 0 }));
    expect(placeSample({ ...score, tracks: [audio("a1", full)] }, SAMPLE, null, null))
      .toEqual({ kind: "full", trackId: "a1" });
  });
});

describe("clip geometry", () => {
  it("measures a clip at the song's tempo, stretched or not", () => {
    // 2 s at 120 bpm = 4 beats; a 90-bpm loop of 2 s stretched to 120 bpm lasts 3 beats.
    expect(clipLengthTicks(2, 120, 90, false)).toBe(4 * 480);
    expect(clipLengthTicks(2, 120, 90, true)).toBe(3 * 480);
    expect(clipLengthTicks(2, 120, null, true)).toBe(4 * 480);
  });

  it("snaps to the nearest beat of the bar", () => {
    const bars = barLayout({ bars: 2, meter: { numerator: 6, denominator: 8 } });
    expect(snapToBeat(bars, 250)).toBe(240);
    expect(snapToBeat(bars, -40)).toBe(0);
    expect(snapToBeat(bars, 1440 + 100)).toBe(1440);
    expect(snapToBeat(bars, 1440 + 150)).toBe(1440 + 240);
  });
});

describe("uploadErrorMessage", () => {
  const error = (message: string) => ({ code: "VALIDATION_ERROR", message });
  it("turns the server's refusals into sentences", () => {
    const refused = (msg: string, type: string) => ({ code: "VALIDATION_ERROR",
      message: `cannot accept x: ${msg}`, details: [{ loc: ["body", "file"], msg, type }] });
    expect(uploadErrorMessage(422, refused("the WAV file is truncated", "truncated_or_corrupt"),
                              null, "a.wav"))
      .toBe("That file isn't a valid WAV: the WAV file is truncated.");
    expect(uploadErrorMessage(422, refused("a RIFF chunk declares more bytes than the file",
                                           "invalid_soundfont"), null, "f.sf2"))
      .toBe("That file isn't a valid SoundFont (SF2): a RIFF chunk declares more bytes than "
            + "the file.");
    expect(uploadErrorMessage(422, refused("the audio is longer than 120 s", "too_long"),
                              null, "a.wav"))
      .toBe("Cannot accept x: the audio is longer than 120 s");
    expect(uploadErrorMessage(429, error("Slow down."), "61", "a.wav"))
      .toBe("Upload limit reached, try again in 2 min.");
    expect(uploadErrorMessage(413, { ...error("cannot accept a.wav: too big"), details: [
      { msg: "the file is larger than 16 MiB", type: "file_too_large" }] }, null, "a.wav"))
      .toBe("It is larger than the 16 MB limit.");
    expect(uploadErrorMessage(409, error("Your library is full (512 MB)."), null, "a.wav"))
      .toBe("Your library is full (512 MB).");
  });
});
