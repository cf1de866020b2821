/** A small score and mix with every part of the schema, for the document tests. */
import type { MixSettings, Score } from "@/api/types";

export const SCORE: Score = {
  tempo: 96, key: { tonic: "D", mode: "minor" }, meter: { numerator: 3, denominator: 4 },
  bars: 16, ppq: 480,
  tempo_changes: [{ tick: 5760, bpm: 110 }],
  meter_changes: [{ bar: 9, meter: { numerator: 4, denominator: 4 } }],
  sections: [{ name: "A", start_bar: 1, bars: 8, key: null },
             { name: "B", start_bar: 9, bars: 8, key: { tonic: "F", mode: "major" } }],
  chord_symbols: [{ tick: 0, symbol: "Dm" }, { tick: 1440, symbol: "A7" }],
  tracks: [
    { id: "mel", name: "Melody", role: "melody", program: 73, is_drum: false, volume: 110,
      pan: -10, mute: false, solo: true, colour: "#ff0000",
      notes: [{ id: "n1", pitch: 62, start: 0, duration: 480, velocity: 90 },
              { id: "n2", pitch: 65, start: 480, duration: 240, velocity: 70 }] },
    { id: "drm", name: "Drums", role: "drums", program: 0, is_drum: true, volume: 100,
      pan: 0, mute: true, solo: false, colour: null,
      notes: [{ id: "k1", pitch: 36, start: 0, duration: 120, velocity: 100 }] },
  ],
};

export const MIX: MixSettings = {
  master: { gain_db: -3, limiter: false, ceiling_dbtp: -2 },
  tracks: { drm: { gain_db: 2, fx: [{ type: "reverb", room_size: 0.5 }] } },
};
