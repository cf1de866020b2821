import { describe, expect, it } from "vitest";

import type { Score, Track } from "@/api/types";
import { tempoMap } from "@/lib/timing";

import {
  advance, AUDITION_CHANNEL, beatTicks, clicksIn, countIn, DRUM_CHANNEL, indexNotes, notesIn,
  planChannels, scoreEndTick, tickAt, tickFromAnchors, timeOf, volumeController,
} from "./schedule";

const track = (id: string, extra: Partial<Track> = {}): Track => ({ id, name: id, ...extra });
const none = { mute: new Set<string>(), solo: new Set<string>() };

describe("the tempo map as the audio clock walks it", () => {
  // 120 bpm for two bars (3840 ticks = 4 s), then 60 bpm.
  const score: Score = { tempo: 120, tempo_changes: [{ tick: 3840, bpm: 60 }] };
  const map = tempoMap(score);
  const start = { time: 10, tick: 0 };

  it("turns ticks into audio times across a tempo change", () => {
    expect(timeOf(map, start, 480)).toBeCloseTo(10.5);
    expect(timeOf(map, start, 3840)).toBeCloseTo(14);
    expect(timeOf(map, start, 3840 + 480)).toBeCloseTo(15);
  });

  it("turns audio times back into the same ticks, fractions kept", () => {
    expect(tickAt(map, start, 14)).toBeCloseTo(3840);
    expect(tickAt(map, start, 15.25)).toBeCloseTo(3840 + 600);
    expect(tickAt(map, start, 10.0005)).toBeCloseTo(0.48);
  });

  it("does not drift when the cursor moves forward in many small steps", () => {
    let cursor = start;
    for (let i = 1; i <= 2000; i++) cursor = advance(map, cursor, 10 + i * 0.0037, null, 1e9).cursor;
    expect(cursor.tick).toBeCloseTo(tickAt(map, start, 10 + 2000 * 0.0037), 6);
  });

  it("schedules a window as one span that starts where the last one ended", () => {
    const first = advance(map, start, 10.5, null, 1e9);
    expect(first.spans).toEqual([{ from: 0, to: 480, time: 10, restart: false }]);
    const second = advance(map, first.cursor, 11, null, 1e9);
    expect(second.spans[0]).toMatchObject({ from: 480, time: 10.5 });
  });

  it("stops at the end of the piece without a loop", () => {
    const done = advance(map, start, 20, null, 1920);
    expect(done.ended).toBe(true);
    expect(done.cursor).toEqual({ time: 12, tick: 1920 });
    expect(done.spans).toEqual([{ from: 0, to: 1920, time: 10, restart: false }]);
  });
});

describe("looping a region", () => {
  const score: Score = { tempo: 120 };
  const map = tempoMap(score);
  const loop = { startTick: 1920, endTick: 3840 };  // bar 2, 2 s long

  it("wraps from the loop's end to its start and keeps going", () => {
    const result = advance(map, { time: 0, tick: 3600 }, 1.0, loop, 1e9);
    // 240 ticks (0.25 s) to the loop's end, then a restart at its start, then 0.75 s more.
    expect(result.spans).toEqual([
      { from: 3600, to: 3840, time: 0, restart: false },
      { from: 1920, to: 1920, time: 0.25, restart: true },
      { from: 1920, to: 1920 + 720, time: 0.25, restart: false },
    ]);
    expect(result.ended).toBe(false);
    expect(result.cursor.tick).toBeCloseTo(2640);
  });

  it("wraps several times within one long window", () => {
    const result = advance(map, { time: 0, tick: 1920 }, 5, loop, 1e9);
    expect(result.spans.filter((s) => s.restart).map((s) => s.time)).toEqual([2, 4]);
    expect(result.cursor.tick).toBeCloseTo(1920 + 960);
  });

  it("leaves a region that playback has not entered alone", () => {
    const result = advance(map, { time: 0, tick: 0 }, 1, loop, 1e9);
    expect(result.spans).toEqual([{ from: 0, to: 960, time: 0, restart: false }]);
  });

  it("reads the playhead from the anchors the scheduler passed", () => {
    const anchors = [{ time: 0, tick: 3600 }, { time: 0.25, tick: 1920 }];
    expect(tickFromAnchors(map, anchors, 0.1)).toBeCloseTo(3696);
    expect(tickFromAnchors(map, anchors, 0.5)).toBeCloseTo(2160);
    expect(tickFromAnchors(map, [], 0.5)).toBeNull();
  });
});

describe("which notes sound", () => {
  const tracks = [track("a", { notes: [
    { id: "1", pitch: 60, start: 0, duration: 960, velocity: 100 },
    { id: "2", pitch: 64, start: 480, duration: 240 },
    { id: "3", pitch: 67, start: 960, duration: 480, velocity: 0 },
    { id: "4", pitch: 72, start: 480, duration: 0 },
  ] })];
  const notes = indexNotes(tracks).get("a")!;

  it("finds the notes starting in a window, sorted, without empty ones", () => {
    expect(notesIn(notes, 480, 961).map((n) => n.pitch)).toEqual([64, 67]);
    expect(notesIn(notes, 0, 480).map((n) => n.pitch)).toEqual([60]);
    expect(notesIn(notes, 1000, 2000)).toEqual([]);
  });

  it("strikes a note already sounding where playback starts", () => {
    const struck = notesIn(notes, 600, 700, true);
    expect(struck).toEqual([{ pitch: 60, velocity: 100, start: 600, end: 960 },
                            { pitch: 64, velocity: 90, start: 600, end: 720 }]);
  });

  it("gives a silent velocity the quietest audible one", () => {
    expect(notesIn(notes, 960, 961)[0]!.velocity).toBe(1);
  });

  it("ends the piece at its last bar or its last note", () => {
    expect(scoreEndTick({ bars: 2, tracks })).toBe(3840);
    expect(scoreEndTick({ bars: 1, tracks: [track("b", { notes: [
      { pitch: 60, start: 1800, duration: 480 }] })] })).toBe(2280);
  });
});

describe("channels, volume, pan and the listener's mute/solo", () => {
  const tracks = [track("lead", { program: 73, volume: 100, pan: -64 }),
                  track("kit", { is_drum: true, program: 25 }),
                  track("bass", { program: 33, volume: 127, pan: 63 }),
                  track("perc", { is_drum: true })];

  it("puts the first drum track on channel 10 and the others after the audition pair", () => {
    const plan = planChannels(tracks, none);
    expect(plan.map((p) => [p.trackId, p.channel, p.isDrum])).toEqual([
      ["lead", 0, false], ["kit", DRUM_CHANNEL, true], ["bass", 1, false], ["perc", 18, true],
    ]);
    expect(plan.every((p) => p.channel !== AUDITION_CHANNEL)).toBe(true);
    expect(plan[0]).toMatchObject({ program: 73, volume: 100, pan: 0 });
    expect(plan[2]).toMatchObject({ volume: 127, pan: 127 });
  });

  it("runs past fifteen melodic tracks onto added channels", () => {
    const many = Array.from({ length: 17 }, (_, i) => track(`t${i}`));
    const channels = planChannels(many, none).map((p) => p.channel);
    expect(new Set(channels).size).toBe(17);
    expect(channels).not.toContain(DRUM_CHANNEL);
    expect(channels.slice(15)).toEqual([18, 19]);
  });

  it("silences what the listener muted, and with a solo everything else", () => {
    const muted = planChannels(tracks, { mute: new Set(["lead"]), solo: new Set() });
    expect(muted.filter((p) => p.audible).map((p) => p.trackId)).toEqual(["kit", "bass", "perc"]);
    expect(muted[0]!.volume).toBe(0);
    const solo = planChannels(tracks, { mute: new Set(["bass"]), solo: new Set(["bass", "kit"]) });
    expect(solo.filter((p) => p.audible).map((p) => p.trackId)).toEqual(["kit"]);
  });

  it("folds the mix's trim into CC7 on GM's 40·log10 curve", () => {
    expect(volumeController(100)).toBe(100);
    expect(volumeController(100, -6)).toBe(Math.round(100 * 10 ** (-6 / 40)));
    expect(volumeController(120, 6)).toBe(127);
    expect(volumeController(0, 6)).toBe(0);
    const plan = planChannels([track("x", { volume: 80 })], none,
                              { tracks: { x: { gain_db: -12 } } });
    expect(plan[0]!.volume).toBe(Math.round(80 * 10 ** (-12 / 40)));
  });
});

describe("the metronome", () => {
  it("clicks every quarter in 4/4 with the downbeat accented", () => {
    const clicks = clicksIn({ meter: { numerator: 4, denominator: 4 } }, 0, 1920 * 2);
    expect(clicks.map((c) => c.tick)).toEqual([0, 480, 960, 1440, 1920, 2400, 2880, 3360]);
    expect(clicks.map((c) => c.accent)).toEqual([true, false, false, false,
                                                 true, false, false, false]);
  });

  it("counts 6/8 in two dotted quarters and 3/8 in eighths", () => {
    expect(beatTicks(6, 8)).toBe(720);
    expect(beatTicks(3, 8)).toBe(240);
    expect(beatTicks(12, 8)).toBe(720);
    const clicks = clicksIn({ meter: { numerator: 6, denominator: 8 } }, 0, 2880);
    expect(clicks.map((c) => [c.tick, c.accent])).toEqual([[0, true], [720, false],
                                                           [1440, true], [2160, false]]);
  });

  it("follows a meter change at a bar", () => {
    // Bar 1 in 4/4 (1920 ticks), bars 2–3 in 3/4 (1440 each), then 4/4 again.
    const score: Score = { meter: { numerator: 4, denominator: 4 }, meter_changes: [
      { bar: 2, meter: { numerator: 3, denominator: 4 } },
      { bar: 4, meter: { numerator: 4, denominator: 4 } }] };
    const accents = clicksIn(score, 0, 1920 + 2880 + 1920).filter((c) => c.accent)
      .map((c) => c.tick);
    expect(accents).toEqual([0, 1920, 3360, 4800]);
    expect(clicksIn(score, 1920, 3360)).toHaveLength(3);
  });

  it("starts a window mid-bar on the next beat", () => {
    const clicks = clicksIn({}, 500, 1500);
    expect(clicks).toEqual([{ tick: 960, accent: false }, { tick: 1440, accent: false }]);
  });

  it("counts in whole bars of the meter and tempo where playback starts", () => {
    const score: Score = { tempo: 120, tempo_changes: [{ tick: 1920, bpm: 60 }],
                           meter_changes: [{ bar: 2, meter: { numerator: 3, denominator: 4 } }] };
    const map = tempoMap(score);
    const atStart = countIn(score, map, 0, 1);
    expect(atStart.seconds).toBeCloseTo(2);
    expect(atStart.clicks.map((c) => c.accent)).toEqual([true, false, false, false]);
    const later = countIn(score, map, 1920, 2);
    expect(later.seconds).toBeCloseTo(6);  // 2 bars of 3 beats at 60 bpm
    expect(later.clicks).toHaveLength(6);
    expect(later.clicks[3]).toEqual({ offset: 3, accent: true });
    expect(countIn(score, map, 0, 0)).toEqual({ clicks: [], seconds: 0 });
  });
});
