import { describe, expect, it } from "vitest";

import { MidiParser, NoteAssembler, notesToTicks, tempoClock } from "./messages";

describe("MidiParser", () => {
  it("reads note on and off on any channel", () => {
    const parser = new MidiParser();
    expect(parser.feed([0x93, 60, 100, 0x83, 60, 0])).toEqual([
      { kind: "on", channel: 3, pitch: 60, velocity: 100 },
      { kind: "off", channel: 3, pitch: 60 },
    ]);
  });

  it("treats a note-on with velocity 0 as a note-off", () => {
    expect(new MidiParser().feed([0x90, 64, 0])).toEqual([{ kind: "off", channel: 0, pitch: 64 }]);
  });

  it("follows running status, also across chunks, and skips real-time bytes", () => {
    const parser = new MidiParser();
    const first = parser.feed([0x90, 60, 90, 62]);
    const second = parser.feed([0xf8, 80, 60, 0, 62, 0]);
    expect(first).toEqual([{ kind: "on", channel: 0, pitch: 60, velocity: 90 }]);
    expect(second).toEqual([
      { kind: "on", channel: 0, pitch: 62, velocity: 80 },
      { kind: "off", channel: 0, pitch: 60 },
      { kind: "off", channel: 0, pitch: 62 },
    ]);
  });

  it("skips other messages and SysEx without losing the next note", () => {
    const parser = new MidiParser();
    expect(parser.feed([0xb0, 64, 127, 0xc0, 5, 0xf0, 0x7e, 0x01, 0xf7, 0x90, 67, 70]))
      .toEqual([{ kind: "on", channel: 0, pitch: 67, velocity: 70 }]);
    // A data byte with no status before it is ignored.
    expect(new MidiParser().feed([60, 100])).toEqual([]);
  });
});

describe("NoteAssembler", () => {
  it("pairs ons with offs and ends held notes on finish", () => {
    const notes = new NoteAssembler();
    notes.handle({ kind: "on", channel: 0, pitch: 60, velocity: 100 }, 0);
    notes.handle({ kind: "on", channel: 0, pitch: 64, velocity: 80 }, 10);
    notes.handle({ kind: "off", channel: 0, pitch: 60 }, 500);
    notes.handle({ kind: "off", channel: 0, pitch: 99 }, 510);    // never pressed
    expect(notes.finish(1000)).toEqual([
      { pitch: 60, velocity: 100, startMs: 0, endMs: 500 },
      { pitch: 64, velocity: 80, startMs: 10, endMs: 1000 },
    ]);
  });

  it("ends a sounding key when it is struck again", () => {
    const notes = new NoteAssembler();
    notes.handle({ kind: "on", channel: 0, pitch: 60, velocity: 100 }, 0);
    notes.handle({ kind: "on", channel: 0, pitch: 60, velocity: 50 }, 200);
    notes.handle({ kind: "off", channel: 0, pitch: 60 }, 300);
    expect(notes.finish(400).map((n) => [n.startMs, n.endMs, n.velocity]))
      .toEqual([[0, 200, 100], [200, 300, 50]]);
  });
});

describe("notesToTicks", () => {
  it("converts milliseconds at the tempo from the record start", () => {
    // 120 bpm: 500 ms = one quarter = 480 ticks.
    expect(notesToTicks([{ pitch: 60, velocity: 100, startMs: 500, endMs: 750 }],
                        tempoClock(1920, 120), 10_000)).toEqual([{ pitch: 60, velocity: 100, start: 2400,
                                            duration: 240 }]);
  });

  it("drops notes past the end and cuts the last one there", () => {
    const out = notesToTicks([{ pitch: 60, velocity: 90, startMs: 0, endMs: 2000 },
                              { pitch: 62, velocity: 90, startMs: 3000, endMs: 3100 }],
                             tempoClock(0, 60), 800);
    expect(out).toEqual([{ pitch: 60, velocity: 90, start: 0, duration: 800 }]);
  });
});

describe("tempoClock", () => {
  it("follows tempo changes after the start", () => {
    // 60 bpm until tick 480 (one second), then 120 bpm: 1.5 s → 480 + 480.
    const clock = tempoClock(0, 60, [{ tick: 480, bpm: 120 }]);
    expect(clock(1000)).toBe(480);
    expect(clock(1500)).toBe(960);
    // Starting past the change uses the new tempo from the start.
    expect(tempoClock(960, 60, [{ tick: 480, bpm: 120 }])(500)).toBe(1440);
  });
});
