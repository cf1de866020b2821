"""Sevenths and extensions: how the jazz-family and lo-fi styles colour their chords.

A triad becomes the seventh chord the key gives it (Imaj7, ii7, V7, viiø7 in major; the
chromatic roots that act as dominants a dominant seventh), then, by the style's odds, an
extension (maj9, m9, 9, 6) when the added tone is in the key. One colour per chord in a
section, so a chord held over several cells stays one chord.
"""

from __future__ import annotations

import random
from typing import Final

from ariaforge.composer.harmony_chords import over, split_slash
from ariaforge.composer.harmony_styles import StyleHarmony
from ariaforge.composer.model.tokens import CHORD_TONES, chord_token, split_chord_token
from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.scales import functional_pitch_classes, tonic_pc

_TRIADS: Final = ("maj", "min")
# Chromatic roots that sound as dominants when coloured (V/x and the backdoor bVII7).
_DOMINANT_ROOTS: Final = frozenset({1, 2, 4, 9, 10, 11})


def with_sevenths(tokens: list[str], key: Key, style: StyleHarmony,
                  rng: random.Random) -> list[str]:
    sevenths = [_seventh(token, key, style.dominant_vamp) for token in tokens]
    chosen: dict[str, str] = {}  # one colour per chord, so a held chord stays held
    for token in dict.fromkeys(sevenths):
        chosen[token] = _extended(token, key, style, rng)
    return [chosen[token] for token in sevenths]


def _seventh(token: str, key: Key, vamp: bool = False) -> str:
    """A triad as its seventh chord: the key's own seventh above a diatonic root, a
    dominant seventh on the chromatic roots that act as dominants (and, in a funk
    `vamp`, on every major chord)."""
    base, bass = split_slash(token)
    degree, quality = split_chord_token(base)
    if quality not in (*_TRIADS, "dim"):
        return token
    scale = scale_degrees(key)
    options = {"maj": ((11, "maj7"), (10, "7")), "min": ((10, "m7"),),
               "dim": ((10, "m7b5"), (9, "dim7"))}[quality]
    coloured = next((name for interval, name in options if (degree + interval) % 12 in scale
                     and degree % 12 in scale), None)
    if coloured is None:  # a chromatic root
        coloured = {"maj": "7" if degree in _DOMINANT_ROOTS else "maj7",
                    "min": "m7", "dim": "m7b5"}[quality]
    if degree == 7 and quality == "maj" and key.mode in (Mode.MAJOR, Mode.MINOR):
        coloured = "7"  # V is a dominant seventh in every tonal key
    if vamp and quality == "maj":
        coloured = "7"
    new = chord_token(degree, coloured)
    return new if bass is None else over(new, bass)


def scale_degrees(key: Key) -> frozenset[int]:
    tonic = tonic_pc(key)
    return frozenset((pc - tonic) % 12 for pc in functional_pitch_classes(key))


def _extended(token: str, key: Key, style: StyleHarmony, rng: random.Random) -> str:
    base, bass = split_slash(token)
    degree, quality = split_chord_token(base)
    extension = style.extensions.get(quality)
    if extension is None or rng.random() >= extension[1]:
        return token
    new = chord_token(degree, extension[0])
    tones = {(degree + step) % 12 for step in CHORD_TONES[extension[0]]}
    added = tones - {(degree + step) % 12 for step in CHORD_TONES[quality]}
    if not added <= scale_degrees(key):
        return token  # an added tone outside the key would fight the melody
    return new if bass is None else over(new, bass)
