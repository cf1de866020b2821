"""The composer's key check: a church mode is judged by its own profile, so the mode's
characteristic degree counts for the asked tonic instead of for a rival key."""

from __future__ import annotations

import pytest

from ariaforge.composer.tonality import key_margin, modal_profile
from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.keyfinding import profile_named, rank_keys


def tonic_heavy(tonic: int, scale: tuple[int, ...]) -> list[float]:
    """A passage on `scale` above `tonic`: the tonic triad long, the other degrees short."""
    weights = [0.0] * 12
    for degree in scale:
        weights[(tonic + degree) % 12] += 1.0
    for degree in (0, scale[2], scale[4]):
        weights[(tonic + degree) % 12] += 2.5
    weights[tonic] += 1.5
    return weights


@pytest.mark.parametrize(("mode", "scale", "key_of_collection"), [
    (Mode.LYDIAN, (0, 2, 4, 6, 7, 9, 11), "C"),
    (Mode.MIXOLYDIAN, (0, 2, 4, 5, 7, 9, 10), "Bb"),
    (Mode.DORIAN, (0, 2, 3, 5, 7, 9, 10), "Eb"),
    (Mode.PHRYGIAN, (0, 1, 3, 5, 7, 8, 10), "Db"),
])
def test_a_modal_passage_is_heard_on_its_tonic(mode: Mode, scale: tuple[int, ...],
                                                key_of_collection: str) -> None:
    weights = tonic_heavy(5, scale)  # on F
    assert key_margin(weights, Key(tonic="F", mode=mode)) > 0
    # The same notes do not pass for a key on another tonic, such as the major key whose
    # scale they share.
    assert key_margin(weights, Key(tonic=key_of_collection, mode=Mode.MAJOR)) < 0


def test_the_modal_profile_moves_only_the_characteristic_degree() -> None:
    major = profile_named("aarden").major
    lydian = modal_profile(Mode.LYDIAN)
    assert lydian[6] == major[5] and lydian[5] == major[6]
    assert [v for i, v in enumerate(lydian) if i not in (5, 6)] == \
        [v for i, v in enumerate(major) if i not in (5, 6)]
    assert modal_profile(Mode.MAJOR) == major


def test_major_and_minor_keep_the_plain_estimator() -> None:
    weights = tonic_heavy(7, (0, 2, 4, 5, 7, 9, 11))  # G major
    best, _ = rank_keys(tuple(weights))[0]
    assert (best.tonic, best.mode) == ("G", Mode.MAJOR)
    assert key_margin(weights, Key(tonic="G", mode=Mode.MAJOR)) > 0
    assert key_margin(weights, Key(tonic="G", mode=Mode.MINOR)) < 0
