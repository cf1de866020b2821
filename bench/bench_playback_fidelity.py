"""How close the browser's playback sounds to the server's render of the same score.

Renders the playback benchmark's song (8 bars, flute, pad, bass, drums) three ways at
44.1 kHz, all from the same SoundFont:

* **browser**: spessasynth_core offline in Node (bench/playback/render_spessa.mjs), set up
  as the browser player sets up spessasynth_lib (CC7 volume, CC10 pan, effects off, master
  gain 0.7);
* **server dry**: the worker's synth (TinySoundFont, `audio.synth.render_stems`) with the
  mixer's fader and pan (`audio.mix.process_stems`), no master chain;
* **server preview**: the full pipeline (`render_score`: role balance, loudness
  normalisation to -14 LUFS, true-peak limiter), what "Hi-fi preview" plays.

Prints, browser against each: the correlation of the 50 ms RMS envelopes, the level
difference (RMS, dB) and the spectral centroids. Needs node and frontend/node_modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_browser_playback import song

from ariaforge.audio.mix import process_stems, sum_stems
from ariaforge.audio.options import MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_score
from ariaforge.audio.soundfont import default_soundfont_path
from ariaforge.audio.synth import render_stems
from ariaforge.music.score import Score

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "frontend" / "node_modules" / "spessasynth_core" / "dist" / "index.js"
RATE = 44100
WINDOW = RATE // 20  # 50 ms


def browser_render(score: dict[str, object], folder: Path) -> np.ndarray:
    score_path, out = folder / "score.json", folder / "browser.f32"
    score_path.write_text(json.dumps(score))
    script = Path(__file__).parent / "playback" / "render_spessa.mjs"
    subprocess.run(["node", str(script), str(default_soundfont_path()),  # noqa: S603, S607
                    str(score_path), str(out), str(RATE)], check=True, timeout=300,
                   env={**os.environ, "SPESSA_CORE": str(CORE)})
    return np.fromfile(out, dtype=np.float32).reshape(-1, 2)


def server_dry(score: Score) -> np.ndarray:
    stems = render_stems(score, None, RATE)
    processed = process_stems(score, stems, MixSettings(), RATE)
    return sum_stems(processed)


def server_preview(score: Score, folder: Path) -> np.ndarray:
    result = render_score(score, MixSettings(), RenderOptions(format="wav", sample_rate=RATE),
                          folder / "preview")
    path = next(f.path for f in result.files if f.kind == "mix")
    with wave.open(str(path)) as handle:
        raw = handle.readframes(handle.getnframes())
        width = handle.getsampwidth()
    dtype: type[np.signedinteger[Any]] = np.int16 if width == 2 else np.int32
    samples = np.frombuffer(raw, dtype=dtype).astype(np.float64)
    full_scale = float(np.iinfo(np.int16).max if width == 2 else np.iinfo(np.int32).max)
    return np.asarray(samples / full_scale).reshape(-1, 2)


def envelope(audio: np.ndarray, frames: int) -> np.ndarray:
    mono = audio[:frames].mean(axis=1)
    blocks = len(mono) // WINDOW
    return np.asarray(np.sqrt((mono[:blocks * WINDOW].reshape(blocks, WINDOW) ** 2)
                              .mean(axis=1)))


def centroid(audio: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(audio.mean(axis=1)))
    freqs = np.fft.rfftfreq(len(audio), 1 / RATE)
    return float((spectrum * freqs).sum() / spectrum.sum())


def db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


def compare(name: str, browser: np.ndarray, other: np.ndarray) -> None:
    frames = min(len(browser), len(other))
    a, b = envelope(browser, frames), envelope(other, frames)
    correlation = float(np.corrcoef(a, b)[0, 1])
    rms_a = float(np.sqrt((browser[:frames] ** 2).mean()))
    rms_b = float(np.sqrt((other[:frames] ** 2).mean()))
    ca, cb = centroid(browser[:frames]), centroid(other[:frames])
    print(f"  browser vs {name:15s} envelope r = {correlation:.3f}   level "
          f"{db(rms_a) - db(rms_b):+6.1f} dB (browser {db(rms_a):6.1f} dBFS, "
          f"{name} {db(rms_b):6.1f})   centroid {ca:6.0f} Hz vs {cb:6.0f} Hz "
          f"({(ca - cb) / cb * 100:+.0f}%)")


def main() -> None:
    if not CORE.exists():
        print("skipped: frontend/node_modules is not installed")
        return
    data = song()
    score = Score.model_validate(data)
    with tempfile.TemporaryDirectory(prefix="bench-fidelity-") as folder:
        browser = browser_render(data, Path(folder))
        dry = server_dry(score)
        preview = server_preview(score, Path(folder))
    print(f"song: {len(score.tracks)} tracks, {score.bars} bars at {score.tempo} bpm, "
          f"{len(dry) / RATE:.1f} s")
    compare("server dry", browser, dry)
    compare("server preview", browser, preview)


if __name__ == "__main__":
    main()
