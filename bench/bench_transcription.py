"""Audio to notes (ADR 0033): basic-pitch's ONNX model + our note extraction against a
NumPy-only monophonic tracker (YIN with energy onsets), on corpus tunes rendered by the
project's synth with several instruments, in the same run.

Tunes: the shipped reference corpus (`music.similarity.reference.load_reference`) when
it is there, else the training cache it is built from; every STRIDE-th tune, its first
PHRASE_S seconds, at a tempo between 84 and 132 bpm chosen per tune (deterministic).
Each is rendered (TimGM6mb, 44.1 kHz, mono mix), written as 16-bit WAV bytes and fed to
the same decoder; both methods get the same samples. "piano+pad" puts soft sustained
strings a register below the piano melody (what the melody line must see through).

Figures, per method and instrument: note F-measure (onset within +-50 ms and same pitch,
each reference note matched once), the same ignoring octave (pitch class), and for the
shipped path the tempo estimate (share within 4% of the score's tempo; "x2" also
accepts double/half). Speed: seconds of CPU per minute of audio, import cost of each
method in a fresh interpreter, as a ratio against importing NumPy alone. A script, not a
test: nothing here fails.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

BACKEND = Path(__file__).resolve().parents[1] / "backend"
sys.path.insert(0, str(BACKEND))

from ariaforge.audio.synth import render_stems  # noqa: E402
from ariaforge.music.score import Note, Score, Track  # noqa: E402
from ariaforge.similarity import audio_decode, audio_model, audio_notes  # noqa: E402
from ariaforge.similarity.transcribe import transcribe  # noqa: E402

STRIDE = int(os.environ.get("BENCH_TRANSCRIPTION_STRIDE", "400"))
PHRASE_S = 20.0
RATE = 44100
INSTRUMENTS = {"piano": 0, "flute": 73, "violin": 40, "guitar": 24, "piano+pad": -1}
TOLERANCE_S = 0.05
SR = audio_decode.SAMPLE_RATE

Tune = tuple[str, list[tuple[int, int, int]]]
Event = tuple[int, float]  # (pitch, onset seconds)


def load_tunes() -> list[Tune]:
    try:
        from ariaforge.music.similarity.reference import load_reference
        tunes = [(tune.id, list(tune.notes)) for tune in load_reference()]
    except (ImportError, FileNotFoundError, OSError):
        cache = Path.home() / ".cache" / "ariaforge-training" / "tunes.jsonl.gz"
        tunes = []
        with gzip.open(cache, "rt") as lines:
            for line in lines:
                data = json.loads(line)
                if data.get("role") == "eval":
                    continue
                numerator, denominator = data["meter"]
                bar = numerator * 1920 // denominator
                # melody rows: (pitch, bar, tick in bar, duration)
                tunes.append((data["id"], [(m[0], m[1] * bar + m[2], m[3])
                                           for m in data["melody"]]))
    return [tune for tune in tunes[::STRIDE] if len(tune[1]) >= 12]


def tempo_for(index: int) -> float:
    return 84.0 + (index * 17) % 49


def phrase(notes: list[tuple[int, int, int]], bpm: float) -> list[tuple[int, int, int]]:
    """The notes in the first PHRASE_S seconds, starting at tick 0, monophonic."""
    notes = sorted(notes, key=lambda n: (n[1], -n[0]))
    first = notes[0][1]
    limit = PHRASE_S * bpm / 60 * 480
    kept = [(p, s - first, d) for p, s, d in notes if s - first < limit and 21 <= p <= 108]
    return [(p, s, d) for i, (p, s, d) in enumerate(kept) if i == 0 or s > kept[i - 1][1]]


def render(notes: list[tuple[int, int, int]], program: int, bpm: float) -> bytes:
    """Mono WAV bytes; program -1: piano melody over soft sustained strings (C3+G3,
    one chord a bar), a register below."""
    track = Track(id="m", program=max(0, program),
                  notes=[Note(pitch=p, start=s, duration=max(30, d - 20), velocity=96)
                         for p, s, d in notes])
    end = max(s + d for _, s, d in notes)
    tracks = [track]
    if program < 0:
        tracks.append(Track(id="pad", program=48, volume=60, notes=[
            Note(pitch=pitch, start=start, duration=1920, velocity=50)
            for start in range(0, end, 1920) for pitch in (48, 55)]))
    score = Score(tempo=bpm, bars=end // 1920 + 2, tracks=tracks)
    audio = sum(stem.mean(axis=1) for stem in render_stems(score, None, RATE).values())
    audio = audio / max(1e-6, float(np.abs(audio).max())) * 0.7
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((audio * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def f_measure(reference: Sequence[Event], found: Sequence[Event], *,
              octave_free: bool = False) -> float:
    used: set[int] = set()
    hits = 0
    for pitch, onset in reference:
        for index, (other, when) in enumerate(found):
            same = (other - pitch) % 12 == 0 if octave_free else other == pitch
            if index not in used and same and abs(when - onset) <= TOLERANCE_S:
                used.add(index)
                hits += 1
                break
    if not reference or not found:
        return 0.0
    precision, recall = hits / len(found), hits / len(reference)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


# The peer: YIN (de Cheveigne & Kawahara 2002) per frame, notes from runs of one pitch,
# split where the energy jumps (repeated notes).

YIN_FRAME = 1024
YIN_HOP = 256
YIN_THRESHOLD = 0.15


def yin_track(audio: npt.NDArray[np.float32],
              ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(midi pitch or nan, RMS dB) per hop."""
    count = max(0, (len(audio) - YIN_FRAME) // YIN_HOP)
    frames = np.lib.stride_tricks.sliding_window_view(audio, YIN_FRAME)[::YIN_HOP][:count]
    frames = frames.astype(np.float64)
    half = YIN_FRAME // 2  # integration window W; lags up to W
    size = 2 * YIN_FRAME
    correlation = np.fft.irfft(np.fft.rfft(frames, size, axis=1)
                               * np.conj(np.fft.rfft(frames[:, :half], size, axis=1)),
                               size, axis=1)[:, :half]
    energy = np.concatenate([np.zeros((count, 1)), np.cumsum(np.square(frames), axis=1)], axis=1)
    lags = np.arange(half)
    shifted_energy = energy[:, lags + half] - energy[:, lags]
    difference = energy[:, half][:, None] + shifted_energy - 2 * correlation
    difference[:, 0] = 0
    cumulative = np.cumsum(difference[:, 1:], axis=1)
    normalised = np.ones_like(difference)
    normalised[:, 1:] = difference[:, 1:] * lags[1:] / np.maximum(cumulative, 1e-12)
    pitches = np.full(count, np.nan)
    min_lag, max_lag = int(SR / 1500), half - 1
    for row in range(count):
        curve = normalised[row, min_lag:max_lag]
        below = np.flatnonzero(curve < YIN_THRESHOLD)
        if below.size == 0:
            continue
        lag = below[0]
        while lag + 1 < curve.size and curve[lag + 1] < curve[lag]:
            lag += 1
        if 0 < lag < curve.size - 1:
            a, b, c = curve[lag - 1], curve[lag], curve[lag + 1]
            shift = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c else 0.0
        else:
            shift = 0.0
        frequency = SR / (lag + min_lag + shift)
        pitches[row] = 69 + 12 * np.log2(frequency / 440)
    level = 10 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    return pitches, level


def yin_notes(audio: npt.NDArray[np.float32]) -> list[Event]:
    pitches, level = yin_track(audio)
    rounded = np.where(np.isnan(pitches) | (level < level.max() - 50), -1,
                       np.round(np.nan_to_num(pitches)))
    # median over 5 frames steadies the pitch through attacks
    padded = np.pad(rounded, 2, mode="edge")
    steady = np.median(np.lib.stride_tricks.sliding_window_view(padded, 5), axis=1)
    events: list[Event] = []
    start, current = 0, -1.0
    for index in range(len(steady) + 1):
        value = steady[index] if index < len(steady) else -1.0
        jump = index >= 3 and index < len(level) and level[index] - level[index - 3:index].min() > 6
        if value != current or (jump and value >= 0 and index - start >= 5):
            if current >= 0 and index - start >= 5:
                events.append((int(current), (start * YIN_HOP + YIN_FRAME / 4) / SR))
            start, current = index, value
    return events


def basic_pitch_notes(audio: npt.NDArray[np.float32], *,
                      ratio: float = audio_notes.LINE_RATIO,
                      min_frames: int = audio_notes.MIN_FRAMES,
                      onset_threshold: float = audio_notes.ONSET_THRESHOLD,
                      repeat_threshold: float = audio_notes.REPEAT_THRESHOLD,
                      threads: int = audio_model.THREADS) -> list[Event]:
    frames, onsets, times = audio_model.posteriorgrams(audio, threads=threads)
    events = audio_notes.note_events(frames, onsets, times, min_frames=min_frames,
                                     onset_threshold=onset_threshold,
                                     repeat_threshold=repeat_threshold)
    return [(e.pitch, e.start) for e in audio_notes.melody_line(events, ratio=ratio)]


def cell(values: list[tuple[float, float]]) -> str:
    exact = statistics.mean(value[0] for value in values)
    octave_free = statistics.mean(value[1] for value in values)
    return f"{exact:.3f} ({octave_free:.3f})"


def import_seconds(code: str, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=BACKEND, check=True)  # noqa: S603
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    tunes = load_tunes()
    print(f"{len(tunes)} tunes, first {PHRASE_S:.0f} s each, instruments {', '.join(INSTRUMENTS)}")
    methods: dict[str, Callable[[npt.NDArray[np.float32]], list[Event]]] = {
        "basic-pitch": basic_pitch_notes,
        "basic-pitch most salient": lambda a: basic_pitch_notes(a, ratio=1.0),
        "basic-pitch skyline": lambda a: basic_pitch_notes(a, ratio=0.0),
        "basic-pitch ratio 0.4": lambda a: basic_pitch_notes(a, ratio=0.4),
        "basic-pitch min 5 frames": lambda a: basic_pitch_notes(a, min_frames=5),
        "basic-pitch min 11 frames": lambda a: basic_pitch_notes(a, min_frames=11),
        "basic-pitch onset 0.4": lambda a: basic_pitch_notes(a, onset_threshold=0.4),
        "basic-pitch no repeat rule": lambda a: basic_pitch_notes(a, repeat_threshold=0.0),
        "yin": yin_notes,
    }
    scores: dict[tuple[str, str], list[tuple[float, float]]] = {}
    cpu: dict[str, float] = dict.fromkeys(methods, 0.0)
    audio_seconds = 0.0
    tempo_hits = tempo_octave_hits = tempo_total = 0
    basic_pitch_notes(np.zeros(SR, np.float32))  # session loaded outside the timing
    for index, (tune_id, notes) in enumerate(tunes):
        bpm = tempo_for(index)
        line = phrase(notes, bpm)
        reference = [(p, s / 480 * 60 / bpm) for p, s, _ in line]
        for instrument, program in INSTRUMENTS.items():
            data = render(line, program, bpm)
            audio = audio_decode.decode(data, 120)
            audio_seconds += len(audio) / SR
            for name, method in methods.items():
                began = time.process_time()
                found = method(audio)
                cpu[name] += time.process_time() - began
                scores.setdefault((name, instrument), []).append(
                    (f_measure(reference, found), f_measure(reference, found, octave_free=True)))
            estimate = transcribe(data, "bench.wav", 120).bpm
            tempo_total += 1
            ratio = estimate / bpm
            tempo_hits += abs(ratio - 1) <= 0.04
            tempo_octave_hits += min(abs(ratio - 1), abs(ratio - 2), abs(ratio - 0.5)) <= 0.04
        print(f"  {tune_id}: {len(line)} notes at {bpm:.0f} bpm", flush=True)
    print(f"\nnote F-measure (onset +-{TOLERANCE_S * 1000:.0f} ms, same pitch; "
          "in brackets: octave ignored), mean over tunes")
    print(f"{'method':28s}" + "".join(f"{name:>16s}" for name in INSTRUMENTS) + f"{'all':>16s}")
    for name in methods:
        cells = []
        every: list[tuple[float, float]] = []
        for instrument in INSTRUMENTS:
            values = scores[(name, instrument)]
            every += values
            cells.append(cell(values))
        cells.append(cell(every))
        print(f"{name:28s}" + "".join(f"{cell:>16s}" for cell in cells))
    print("\nfast 16ths (a scale up and down, 48 notes at 140 bpm: 107 ms each), F-measure")
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 72, 71, 69, 67, 65, 64, 62] * 3
    run = [(pitch, index * 120, 120) for index, pitch in enumerate(scale)]
    expected = [(pitch, start / 480 * 60 / 140) for pitch, start, _ in run]
    for instrument, program in INSTRUMENTS.items():
        audio = audio_decode.decode(render(run, program, 140.0), 120)
        figures = [f"{name.removeprefix('basic-pitch ') or 'shipped'} "
                   f"{f_measure(expected, method(audio)):.3f}"
                   for name, method in methods.items() if "frames" in name or name == "basic-pitch"]
        print(f"  {instrument:10s} " + ", ".join(figures))
    minutes = audio_seconds / 60
    print(f"\ntempo (shipped path): {tempo_hits}/{tempo_total} within 4%, "
          f"{tempo_octave_hits}/{tempo_total} allowing x2 / x0.5")
    print(f"\nCPU seconds per minute of audio ({audio_seconds:.0f} s of audio):")
    for name, seconds in cpu.items():
        print(f"  {name:28s}{seconds / minutes:7.2f}  ({seconds / cpu['yin']:.2f}x yin)")
    clip = audio_decode.decode(render(phrase(tunes[0][1], 100.0), 0, 100.0), 120)
    minute = np.concatenate([clip] * (60 * SR // len(clip) + 1))[:60 * SR]
    for threads in (1, 2):
        audio_model.posteriorgrams(minute[:SR], threads=threads)
        wall = []
        for _ in range(3):
            began = time.perf_counter()
            audio_model.posteriorgrams(minute, threads=threads)
            wall.append(time.perf_counter() - began)
        print(f"  model on 60 s of audio, {threads} onnxruntime thread(s): {min(wall):.2f} s wall")
    model = audio_model.model_path()
    ort_dir = Path(str(__import__("onnxruntime").__file__)).parent
    ort_size = sum(f.stat().st_size for f in ort_dir.rglob("*") if f.is_file())
    print(f"\nmodel file {model.stat().st_size / 1024:.0f} kB; onnxruntime package "
          f"{ort_size / 2**20:.0f} MiB (already in the lock)")
    numpy_s = import_seconds("import numpy")
    ort_s = import_seconds("import onnxruntime")
    first_s = import_seconds(
        "from ariaforge.similarity import audio_model; audio_model.session()")
    print(f"import in a fresh interpreter: numpy {numpy_s:.2f} s; onnxruntime "
          f"{ort_s:.2f} s ({ort_s / numpy_s:.1f}x numpy); + session load {first_s:.2f} s "
          f"({first_s / numpy_s:.1f}x numpy); yin needs numpy only")


if __name__ == "__main__":
    main()
