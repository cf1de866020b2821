"""Rendering speed: our synth stage and whole pipeline against the FluidSynth command line.

Builds a deterministic 3-minute, 4-track score (melody, chords, bass, drums), writes it as
MIDI with `write_midi`, and renders it in the same run, at the same sample rate and with
the same SoundFont, with:

* `fluidsynth -ni -F out.wav -r RATE SOUNDFONT MIDI` (Debian package `fluidsynth`;
  installed with apt-get when missing and running as root);
* our synth stage (`render_stems`);
* our whole pipeline (`render_score`: stems + mix + loudness + MP3).

Each is timed several times and the best run is kept (the machine may be shared).
Real-time factor (RTF) = seconds of audio per second of wall time. Goals: synth >= 2x the
CLI, whole pipeline >= 1x the CLI's synth alone. A script, not a test: nothing here fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ariaforge.audio.options import MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_score
from ariaforge.audio.soundfont import default_soundfont_path
from ariaforge.audio.synth import render_stems
from ariaforge.music.interchange import write_midi
from ariaforge.music.score import Note, Role, Score, Track

SAMPLE_RATE = 44100
TEMPO = 120.0
BARS = 90  # 90 bars of 4/4 at 120 bpm = 180 s
REPEATS = 5  # the machine may be shared: best of several runs
BAR = 1920
Q = 480


def build_score() -> Score:
    """A deterministic 3-minute arrangement: i-VI-III-VII in A minor."""
    roots = [57, 53, 48, 55]  # A, F, C, G
    chord_shapes = [(0, 3, 7), (0, 4, 7), (0, 4, 7), (0, 4, 7)]
    scale = [57, 59, 60, 62, 64, 65, 67, 69, 71, 72]
    melody: list[Note] = []
    chords: list[Note] = []
    bass: list[Note] = []
    drums: list[Note] = []
    for bar in range(BARS):
        start = bar * BAR
        root, shape = roots[bar % 4], chord_shapes[bar % 4]
        for step in range(8):
            index = (bar * 3 + step * 5 + (step * step) % 7) % len(scale)
            if (bar + step) % 7 != 6:  # a rest now and then
                melody.append(Note(pitch=scale[index] + 12, start=start + step * Q // 2,
                                   duration=Q // 2 - 20, velocity=80 + (step % 3) * 10))
        for interval in shape:
            chords.append(Note(pitch=root + interval, start=start, duration=BAR - 40,
                               velocity=70))
        for beat in range(4):
            bass.append(Note(pitch=root - 24 + (7 if beat == 2 else 0), start=start + beat * Q,
                             duration=Q - 40, velocity=100))
        for eighth in range(8):
            tick = start + eighth * Q // 2
            accent = 20 if eighth % 2 == 0 else 0
            drums.append(Note(pitch=42, start=tick, duration=60, velocity=70 + accent))
            if eighth in (0, 4):
                drums.append(Note(pitch=36, start=tick, duration=120, velocity=110))
            if eighth in (2, 6):
                drums.append(Note(pitch=38, start=tick, duration=120, velocity=100))
    return Score(tempo=TEMPO, bars=BARS, tracks=[
        Track(id="melody", name="Melody", role=Role.MELODY, program=73, notes=melody),
        Track(id="chords", name="Chords", role=Role.CHORDS, program=0, volume=90, notes=chords),
        Track(id="bass", name="Bass", role=Role.BASS, program=33, notes=bass),
        Track(id="drums", name="Drums", role=Role.DRUMS, is_drum=True, notes=drums),
    ])


def ensure_fluidsynth() -> str | None:
    found = shutil.which("fluidsynth")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        print("fluidsynth not found; installing it with apt-get ...")
        for command in (["apt-get", "install", "-y", "-qq", "fluidsynth"],
                        ["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "fluidsynth"]):
            subprocess.run(command, check=False, capture_output=True)  # noqa: S603
            found = shutil.which("fluidsynth")
            if found:
                return found
    print("fluidsynth is not installed: run `sudo apt-get install -y fluidsynth` "
          "(Debian/Ubuntu) and re-run this benchmark")
    return None


def best_of(label: str, run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    print(f"  {label}: " + ", ".join(f"{t:.2f}s" for t in times) + f"  (best {min(times):.2f}s)")
    return min(times)


def main() -> int:
    score = build_score()
    audio_seconds = score.seconds_at(score.end_tick)
    soundfont = default_soundfont_path()
    print(f"score: {len(score.tracks)} tracks, {sum(len(t.notes) for t in score.tracks)} "
          f"notes, {audio_seconds:.0f} s at {SAMPLE_RATE} Hz; SoundFont {soundfont.name}; "
          f"{os.cpu_count()} CPUs")
    fluidsynth = ensure_fluidsynth()
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        work = Path(folder)
        midi = work / "bench.mid"
        midi.write_bytes(write_midi(score))
        fluid_time = None
        if fluidsynth:
            command = [fluidsynth, "-ni", "-F", str(work / "fluid.wav"), "-r", str(SAMPLE_RATE),
                       str(soundfont), str(midi)]
            fluid_time = best_of("fluidsynth CLI", lambda: subprocess.run(  # noqa: S603
                command, check=True, capture_output=True))
        render_stems(score, None, SAMPLE_RATE)  # warm-up: SoundFont load, imports
        synth_time = best_of("our synth (render_stems)",
                             lambda: render_stems(score, None, SAMPLE_RATE))
        options = RenderOptions(format="mp3", sample_rate=SAMPLE_RATE)
        best_stages: dict[str, float] = {}
        best_total = [float("inf")]

        def run_pipeline() -> None:
            stages: dict[str, float] = {}
            began = time.perf_counter()

            def progress(_percent: float, stage: str, _message: str) -> None:
                stages[stage] = time.perf_counter() - began  # last report of each stage

            render_score(score, MixSettings(), options, work / "out", progress=progress)
            if time.perf_counter() - began < best_total[0]:
                best_total[0] = time.perf_counter() - began
                best_stages.clear()
                best_stages.update(stages)

        pipeline_time = best_of("our pipeline (stems+mix+loudness+mp3)", run_pipeline)
        previous = 0.0
        breakdown = []
        for stage, end in best_stages.items():
            breakdown.append(f"{stage} {end - previous:.2f}s")
            previous = end
        print("    best run by stage: " + ", ".join(breakdown))
    print()
    print(f"RTF = seconds of audio / seconds of wall time ({audio_seconds:.0f} s of audio)")
    synth_rtf, pipeline_rtf = audio_seconds / synth_time, audio_seconds / pipeline_time
    print(f"  our synth      RTF {synth_rtf:7.1f}")
    print(f"  our pipeline   RTF {pipeline_rtf:7.1f}")
    if fluid_time is None:
        print("  fluidsynth     (not run)")
        return 0
    fluid_rtf = audio_seconds / fluid_time
    print(f"  fluidsynth CLI RTF {fluid_rtf:7.1f}")
    synth_ratio, pipeline_ratio = synth_rtf / fluid_rtf, pipeline_rtf / fluid_rtf
    print(f"  synth / CLI           = {synth_ratio:5.2f}x  (goal >= 2x: "
          f"{'met' if synth_ratio >= 2 else 'NOT met'})")
    print(f"  pipeline / CLI synth  = {pipeline_ratio:5.2f}x  (goal >= 1x: "
          f"{'met' if pipeline_ratio >= 1 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
