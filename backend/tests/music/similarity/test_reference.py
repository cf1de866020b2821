"""The shipped reference corpus, and retrieval of disguised copies from all of it."""

from __future__ import annotations

import gzip
import hashlib
import json

import numpy as np
import pytest

from ariaforge.music.similarity import Window, align, line_windows
from ariaforge.music.similarity.reference import (
    DATA_FILE,
    ReferenceTune,
    load_reference,
    reference_version,
    reference_windows,
)
from ariaforge.music.similarity.variants import mutate, retime, transpose

CANDIDATES = 30


@pytest.fixture(scope="module")
def tunes() -> list[ReferenceTune]:
    return load_reference()


@pytest.fixture(scope="module")
def four_bar_index(tunes: list[ReferenceTune]) -> tuple[list[str], list[Window], np.ndarray]:
    ids, windows = [], []
    for tune in tunes:
        for window in line_windows(tune.notes, tune.bar_ticks, (4,)):
            ids.append(tune.id)
            windows.append(window)
    return ids, windows, np.stack([w.embedding for w in windows])


def test_the_corpus_is_every_training_tune_with_its_licence(tunes: list[ReferenceTune]) -> None:
    assert len(tunes) > 4000
    sources = {t.source for t in tunes}
    assert sources == {"oneills1850", "ryansMammoth", "airdsAirs", "miscFolk", "bachChorales"}
    assert "nottingham" not in sources  # evaluation-only source
    assert all(t.licence for t in tunes)
    assert len({t.id for t in tunes}) == len(tunes)
    for tune in tunes[:200]:
        starts = [s for _, s, _ in tune.notes]
        assert starts == sorted(starts) and starts[0] >= 0
        assert all(0 <= p <= 127 and d > 0 for p, _, d in tune.notes)
    chorales = [t for t in tunes if t.source == "bachChorales"]
    assert sum(1 for t in chorales if t.chords) > 0.9 * len(chorales)


def test_load_is_deterministic_and_limited(tunes: list[ReferenceTune]) -> None:
    assert [t.id for t in load_reference(10)] == [t.id for t in tunes[:10]]
    assert load_reference(0) == []


def test_version_is_the_sha256_of_the_shipped_file() -> None:
    assert reference_version() == hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        assert json.load(handle)["format"] == 1
    assert DATA_FILE.stat().st_size < 3_000_000


def test_reference_windows_include_harmony_for_chorales(tunes: list[ReferenceTune]) -> None:
    chorale = next(t for t in tunes if t.source == "bachChorales" and t.chords)
    windows = reference_windows(chorale)
    harmony = [w for w in windows if w.kind == "harmony"]
    assert harmony and all(len(w.labels) >= 2 and w.track_id is None for w in harmony)
    assert {w.bars for w in windows if w.kind == "melody"} == {2, 4, 8}


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4, 5])
def test_a_disguised_copy_is_top_one_among_all_reference_windows(
        tunes: list[ReferenceTune], four_bar_index: tuple[list[str], list[Window], np.ndarray],
        position: int) -> None:
    ids, windows, matrix = four_bar_index
    tune = tunes[(position * 811 + 97) % len(tunes)]
    own = [i for i, tune_id in enumerate(ids) if tune_id == tune.id]
    original_index = own[len(own) // 2]
    original = windows[original_index]
    # transposed, twice as slow (the bar with it), one note in ten moved by a step or two
    disguised = mutate(retime(transpose(tune.notes, 5 - position), 2.0), 0.1, seed=position)
    query = next(w for w in line_windows(disguised, tune.bar_ticks * 2, (4,))
                 if w.start_bar == original.start_bar)
    assert query.notes != original.notes
    cosines = matrix @ query.embedding
    top = np.argsort(-cosines)[:CANDIDATES]
    assert original_index in top
    scores = {int(i): align(query.notes, windows[i].notes).score for i in top}
    best = max(scores.values())
    assert scores[original_index] == best  # an identical duplicate tune may tie
    assert best >= 0.75
