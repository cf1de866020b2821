// Renders a score offline through spessasynth_core the way the browser player plays it
// (playback/schedule.ts: one channel per track, CC7 = volume, CC10 = pan + 64, effects
// off, drums on channel 10, master gain 0.7), for bench_playback_fidelity.py.
// Usage: node render_spessa.mjs <soundfont> <score.json> <out.f32> <sampleRate>
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [font, scorePath, outPath, rateText] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const core = await import(pathToFileURL(process.env.SPESSA_CORE).href);
const { SpessaSynthProcessor, SoundBankLoader } = core;
void require;

const rate = Number(rateText);
const score = JSON.parse(readFileSync(scorePath, "utf8"));
const MASTER_GAIN = 0.7;
const synth = new SpessaSynthProcessor(rate, { effectsEnabled: false, maxBufferSize: 128 });
synth.soundBankManager.addSoundBank(SoundBankLoader.fromArrayBuffer(readFileSync(font).buffer), "main");
await synth.processorInitialized;
synth.setSystemParameter("effectsEnabled", false);

const bpm = score.tempo ?? 120;
const secondsPerTick = 60 / (bpm * 480);
const events = [];
let melodic = 0;
const melodicChannels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];
for (const track of score.tracks) {
  const channel = track.is_drum ? 9 : melodicChannels[melodic++];
  synth.controllerChange(channel, 7, track.volume ?? 100);
  synth.controllerChange(channel, 10, Math.min(127, (track.pan ?? 0) + 64));
  synth.programChange(channel, track.program ?? 0);
  for (const n of track.notes) {
    events.push([Math.round(n.start * secondsPerTick * rate), 1, channel, n.pitch, n.velocity ?? 90]);
    events.push([Math.round((n.start + n.duration) * secondsPerTick * rate), 0, channel, n.pitch, 0]);
  }
}
events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
const last = events[events.length - 1][0];
const total = last + rate * 2;
const left = new Float32Array(total);
const right = new Float32Array(total);
let pos = 0;
let index = 0;
while (pos < total) {
  while (index < events.length && events[index][0] <= pos) {
    const [, on, channel, pitch, velocity] = events[index++];
    if (on) synth.noteOn(channel, pitch, velocity); else synth.noteOff(channel, pitch);
  }
  const size = Math.min(128, total - pos);
  synth.process(left, right, pos, size);
  pos += size;
}
const out = new Float32Array(total * 2);
for (let i = 0; i < total; i++) { out[2 * i] = left[i] * MASTER_GAIN; out[2 * i + 1] = right[i] * MASTER_GAIN; }
writeFileSync(outPath, Buffer.from(out.buffer));
