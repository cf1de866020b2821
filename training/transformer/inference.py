"""The melody transformer at inference time: ONNX Runtime gives the next-interval
distribution for a melody so far, in the same role and token order as
`Models.melody.distribution` (see docs/adr/0019-melody-model-ngram-vs-transformer.md).

Unlike the n-gram, which sees the last two intervals, the transformer reads the whole
history (its most recent 64 steps), so the caller passes every note so far with, for each
note after the first and for the note being chosen, its metric strength and the chord
under it. Training, export and the model card: training/transformer/, training/MODEL_CARD.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from ariaforge.composer.model.tokens import (
    INTERVALS,
    MAX_INTERVAL,
    clip_interval,
    melody_chord,
    split_chord_token,
)

MODEL_FILE: Final = "melody_transformer.onnx"
# The input layout this code builds; the model carries the layout it was trained with
# (metadata "ariaforge_layout") and loading refuses a model whose layout differs.
COLUMNS: Final = ("previous", "strength", "previous_pc", "chord_degree", "chord_quality",
                  "family")
START_TOKEN: Final = len(INTERVALS)
SIZES: Final = (START_TOKEN + 1, 3, 12, 12, 4, 4)
QUALITIES: Final = ("maj", "min", "dim", "aug")
FAMILIES: Final = ("maj", "min", "dor", "mix")
CONTEXT: Final = 64
_MEMO_LIMIT: Final = 4096  # distributions kept; a redrawn bar asks the same question again


def feature_row(previous_step: int | None, beat: str, previous_pc: int, chord: str,
                family: str) -> list[int]:
    """The input row for one interval: the interval before it (None before the first),
    the metric strength of the new note ("0"/"1"/"2", `tokens.strength`), the previous
    note's pitch class above the tonic, the chord under the new note (a chord token
    relative to the tonic) and the mode family (`tokens.mode_family`)."""
    degree, quality = split_chord_token(melody_chord(chord))
    previous = START_TOKEN if previous_step is None else \
        clip_interval(previous_step) + MAX_INTERVAL
    return [previous, int(beat), previous_pc % 12, degree % 12, QUALITIES.index(quality),
            FAMILIES.index(family)]


def melody_rows(family: str, tonic: int, pitches: Sequence[int], beats: Sequence[str],
                chords: Sequence[str]) -> np.ndarray:
    """Rows [steps, 6] for a melody `pitches` (at least one note) whose next note is being
    chosen. `beats[i]` and `chords[i]` describe note i + 1: the notes after the first and,
    last, the note being chosen, so both hold len(pitches) entries."""
    if not pitches or len(beats) != len(pitches) or len(chords) != len(pitches):
        raise ValueError("need one beat and one chord per note after the first, plus the "
                         "new note's")
    start = max(0, len(pitches) - CONTEXT)
    rows = [feature_row(pitches[i] - pitches[i - 1] if i else None, beats[i],
                        pitches[i] - tonic, chords[i], family)
            for i in range(start, len(pitches))]
    return np.asarray(rows, dtype=np.int64)


@dataclass(frozen=True)
class MelodyTransformer:
    """An ONNX Runtime session on one thread (decoding is one call per note) plus the
    figures the model was exported with."""

    session: Any
    layout: dict[str, Any]
    _memo: dict[bytes, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def distribution(self, family: str, tonic: int, pitches: Sequence[int],
                     beats: Sequence[str], chords: Sequence[str],
                     allowed: Sequence[bool] | None = None) -> tuple[float, ...]:
        """P(next interval) over `INTERVALS` (-12..+12), given the melody so far (see
        `melody_rows`). `allowed` is the decoding mask, one flag per interval (e.g. False
        where the note would leave the register): masked intervals get 0 and the rest are
        renormalised; if nothing is allowed every probability is 0."""
        rows = melody_rows(family, tonic, pitches, beats, chords)
        probs = self._probabilities(rows)
        if allowed is not None:
            if len(allowed) != len(INTERVALS):
                raise ValueError(f"the mask needs {len(INTERVALS)} flags")
            probs = probs * np.asarray(allowed, dtype=np.float64)
        total = probs.sum()
        return tuple(float(p) for p in (probs / total if total > 0 else probs))

    def after_notes(self, family: str, tonic: int, pitches: Sequence[int],
                    starts: Sequence[int], onset: int, beat: Callable[[int], str],
                    chord: Callable[[int], str], allowed: Sequence[bool] | None = None
                    ) -> tuple[float, ...]:
        """`distribution` for a decoder that knows its notes' pitches and start ticks, the
        new note's `onset`, and `beat(tick)` / `chord(tick)` (metric strength, chord token
        relative to the tonic), e.g. `Decoder.beat` and `Decoder.chord_feature`."""
        keep = min(len(pitches), CONTEXT + 1)  # one more note than rows: the first's pitch
        recent = list(pitches[-keep:])
        ticks = [*starts[len(starts) - keep + 1:], onset]
        return self.distribution(family, tonic, recent, [beat(t) for t in ticks],
                                 [chord(t) for t in ticks], allowed)

    def _probabilities(self, rows: np.ndarray) -> np.ndarray:
        key = rows.tobytes()
        cached = self._memo.get(key)
        if cached is None:
            logits = self.session.run(None, {"features": rows[None]})[0][0, -1]
            logits = logits.astype(np.float64)
            cached = np.exp(logits - logits.max())
            cached /= cached.sum()
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = cached
        return cached


def load_transformer(path: Path) -> MelodyTransformer:
    # Imported here, not at module level: onnxruntime takes ~0.4 s to import, paid on the
    # first melody rather than by every process that imports the composer.
    try:
        import onnxruntime
    except ImportError as error:
        raise RuntimeError("the melody transformer needs the onnxruntime package") from error
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options,
                                           providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    layout = json.loads(meta.get("ariaforge_layout", "{}"))
    expected = {"columns": list(COLUMNS), "sizes": list(SIZES), "context": CONTEXT,
                "vocab": len(INTERVALS), "start_token": START_TOKEN,
                "families": list(FAMILIES), "qualities": list(QUALITIES)}
    if layout != expected:
        raise ValueError(f"{path.name} was trained with another input layout: {layout}")
    return MelodyTransformer(session, layout)


@cache
def load_shipped_transformer() -> MelodyTransformer:
    """The shipped model, loaded on first use and kept."""
    return load_transformer(Path(__file__).resolve().parent / MODEL_FILE)
