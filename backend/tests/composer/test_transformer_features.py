"""The transformer's training rows (training/transformer/, runnable without its training
environment): they carry what the n-gram's contexts carry, and evaluation scores every
held-out interval exactly once with a long history."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ariaforge.composer.model.corpus import Tune, melody_samples, read_tune
from ariaforge.composer.model.store import load_heldout

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "training"))
from transformer.features import pack, tune_rows
from transformer.inference import CONTEXT, FAMILIES, QUALITIES, START_TOKEN
from transformer.windows import SCORED_TAIL, evaluation_windows


def _tunes(count: int) -> list[Tune]:
    return [t for t in (read_tune(d) for d in load_heldout()[:count]) if t is not None]


def test_rows_carry_the_ngram_context() -> None:
    for tune in _tunes(5):
        rows, targets = tune_rows(tune)
        samples = list(melody_samples(tune))
        assert len(rows) == len(samples) == len(targets)
        for row, target, (context, token) in zip(rows, targets, samples, strict=True):
            family, beat, previous_pc, chord, last, _ = context
            degree, _, quality = chord.partition(":")
            assert int(target) - 12 == int(token)
            assert row[0] == (START_TOKEN if last == "^" else int(last) + 12)
            assert (row[1], row[2], row[3]) == (int(beat), int(previous_pc), int(degree))
            assert QUALITIES[row[4]] == quality and FAMILIES[row[5]] == family


def test_evaluation_scores_each_interval_once_with_a_long_history() -> None:
    packed = pack(_tunes(30))
    offsets = packed["offsets"]
    assert (np.diff(offsets) > CONTEXT).any()  # some tunes need sliding windows
    _, ys, weight = evaluation_windows(packed["x"], packed["y"], offsets, CONTEXT)
    assert int(weight.sum()) == len(packed["y"])
    scored = ys[weight > 0]
    assert (scored == packed["y"]).all()  # every target, in order, once
    # a window that is not a tune's first scores only its tail, after a long history
    later = weight[:, 0] == 0
    assert later.any()
    assert (weight[later][:, :CONTEXT - SCORED_TAIL] == 0).all()
