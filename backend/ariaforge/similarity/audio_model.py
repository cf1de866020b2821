"""basic-pitch's ONNX model (ICASSP 2022, ~230 kB) run with onnxruntime (ADR 0033).

The model file ships inside the basic-pitch package, which is found without being
imported (its `__init__` probes for TensorFlow and logs warnings). The framing follows
basic-pitch's own inference: 22050 Hz mono, windows of 2 s less one hop (43844 samples)
that overlap by 30 frames of 256 samples; half the overlap is dropped from each side
of every window's output, and a frame's time is where its samples start (window start
plus frame index times the hop), which keeps windows aligned without a correction.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import onnxruntime

from ariaforge.similarity.audio_decode import SAMPLE_RATE

FFT_HOP: Final = 256
WINDOW_SAMPLES: Final = SAMPLE_RATE * 2 - FFT_HOP  # 43844
WINDOW_FRAMES: Final = 172
OVERLAP_FRAMES: Final = 30
OVERLAP_SAMPLES: Final = OVERLAP_FRAMES * FFT_HOP
HOP_SAMPLES: Final = WINDOW_SAMPLES - OVERLAP_SAMPLES
KEPT_FRAMES: Final = WINDOW_FRAMES - OVERLAP_FRAMES
LOWEST_PITCH: Final = 21  # the model's 88 note bins are the piano's keys, A0 up
BATCH: Final = 8  # windows per run: bounds memory on a 60 s clip (~31 windows)
THREADS: Final = 1
_INPUT: Final = "serving_default_input_2:0"
_OUTPUTS: Final = ["StatefulPartitionedCall:1", "StatefulPartitionedCall:2"]  # note, onset

Matrix = npt.NDArray[np.float32]
_lock = threading.Lock()


def model_path() -> Path:
    spec = importlib.util.find_spec("basic_pitch")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("basic-pitch is not installed: its model file is needed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "saved_models" / "icassp_2022" / "nmp.onnx"


@functools.cache
def _session_unlocked(threads: int) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(model_path()), sess_options=options,
                                        providers=["CPUExecutionProvider"])


def session(threads: int = THREADS) -> onnxruntime.InferenceSession:
    """The process's one session (onnxruntime's `run` is thread-safe; the lock only
    stops two first calls from loading it twice)."""
    with _lock:
        return _session_unlocked(threads)


def posteriorgrams(audio: npt.NDArray[np.float32], *, threads: int = THREADS,
                   ) -> tuple[Matrix, Matrix, npt.NDArray[np.float64]]:
    """(note, onset, times): the model's frame activations, shape (frames, 88), pitch
    index 0 = MIDI 21, and each frame's time in seconds."""
    padded = np.concatenate([np.zeros(OVERLAP_SAMPLES // 2, np.float32), audio])
    starts = list(range(0, len(padded), HOP_SAMPLES))
    runner = session(threads)
    notes: list[Matrix] = []
    onsets: list[Matrix] = []
    for first in range(0, len(starts), BATCH):
        batch = np.zeros((len(starts[first:first + BATCH]), WINDOW_SAMPLES, 1), np.float32)
        for row, start in enumerate(starts[first:first + BATCH]):
            chunk = padded[start:start + WINDOW_SAMPLES]
            batch[row, :len(chunk), 0] = chunk
        note, onset = runner.run(_OUTPUTS, {_INPUT: batch})
        half = OVERLAP_FRAMES // 2
        notes.append(np.asarray(note, np.float32)[:, half:-half].reshape(-1, 88))
        onsets.append(np.asarray(onset, np.float32)[:, half:-half].reshape(-1, 88))
    total = int(len(audio) * (SAMPLE_RATE // FFT_HOP) / SAMPLE_RATE)
    index = np.arange(total)
    times = ((index // KEPT_FRAMES) * HOP_SAMPLES + (index % KEPT_FRAMES) * FFT_HOP) / SAMPLE_RATE
    return np.concatenate(notes)[:total], np.concatenate(onsets)[:total], times
