"""The key a brief asks for is the key heard: briefs whose band sounds fifths without thirds
(rock, metal), whose loops borrow bVI-bIII-bVII (cinematic), whose tune could sit on V (a
reel) or whose mode shares its notes with a major key (D dorian) still name their tonic."""

from __future__ import annotations

import pytest

from ariaforge.composer.harmony_loops import loop_token
from ariaforge.composer.harmony_styles import style_harmony
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.plan import ChordEvent
from ariaforge.composer.run import compose
from ariaforge.composer.tonality import key_margin, note_histogram, rests_on_tonic
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.chords import Chord, ChordQuality

BRIEFS = [
    ("a rock song in A major for electric guitar, bass and drums", 1, 16,
     Key(tonic="A", mode=Mode.MAJOR)),
    ("a heavy metal song in E minor", 0, 16, Key(tonic="E", mode=Mode.MINOR)),
    ("a heavy metal song in E minor", 1, 16, Key(tonic="E", mode=Mode.MINOR)),
    ("a dark metal track in D minor for distorted guitar, bass and drums", 0, 16,
     Key(tonic="D", mode=Mode.MINOR)),
    ("a dark metal track in D minor for distorted guitar, bass and drums", 1, 16,
     Key(tonic="D", mode=Mode.MINOR)),
    ("a reel in D major", 0, 16, Key(tonic="D", mode=Mode.MAJOR)),
    ("a reel in G major for fiddle and guitar", 0, 16, Key(tonic="G", mode=Mode.MAJOR)),
    ("a reel in G major for fiddle and guitar", 1, 16, Key(tonic="G", mode=Mode.MAJOR)),
    ("a cinematic theme in C minor for strings, french horn and timpani", 0, 16,
     Key(tonic="C", mode=Mode.MINOR)),
    ("deep house in D dorian for piano, electric piano, bass and drums", 0, 32,
     Key(tonic="D", mode=Mode.DORIAN)),
]


@pytest.mark.parametrize(("prompt", "seed", "bars", "key"), BRIEFS)
def test_the_asked_key_is_heard(prompt: str, seed: int, bars: int, key: Key) -> None:
    score = compose(ComposeRequest(prompt=prompt, seed=seed, bars=bars)).score
    assert score.key.mode is key.mode
    assert key_margin(note_histogram(score.pitched_notes()), key) > 0


def test_metal_riffs_stay_on_the_tonic_most_of_the_time() -> None:
    # Power chords sound no third: only a riff that keeps returning to i names the key.
    for loop in style_harmony(Style.METAL).minor_loops:
        tokens = [loop_token(numeral) for numeral in loop.split()]
        on_tonic = sum(token == loop_token("i") for token in tokens)
        assert 2 * on_tonic >= len(tokens), loop


def _bars(*roots: str, bar: int = 1920) -> list[ChordEvent]:
    return [ChordEvent(i * bar, bar, Chord.of(root, ChordQuality.MAJOR), "") for i, root
            in enumerate(roots)]


def test_a_harmony_parked_on_the_dominant_does_not_rest_on_the_tonic() -> None:
    key = Key(tonic="D", mode=Mode.MAJOR)
    assert not rests_on_tonic(_bars("D", "D", *["A"] * 6, "D", "D", *["A"] * 5, "D"), key)
    assert rests_on_tonic(_bars("D", "D", "D", "D", "D", "G", "D", "A"), key)
