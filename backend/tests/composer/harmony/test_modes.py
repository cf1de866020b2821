"""Modal harmony makes the mode audible: the characteristic chord (bII phrygian, II
lydian, bVII mixolydian, IV dorian) in most phrases, and never a chord with a note the
mode lacks (no Bb chord in F lydian, no major V in dorian, phrygian or mixolydian)."""

from __future__ import annotations

import pytest

from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Mode
from ariaforge.music.theory.chords import ChordQuality
from ariaforge.music.theory.scales import scale_pitch_classes, tonic_pc
from tests.composer.harmony.pieces import (
    CHARACTERISTIC_PC,
    CHARACTERISTIC_ROOT,
    degree,
    pieces,
)

MAJOR_LIKE = frozenset({ChordQuality.MAJOR, ChordQuality.DOMINANT_7, ChordQuality.MAJOR_7,
                        ChordQuality.DOMINANT_9, ChordQuality.MAJOR_9, ChordQuality.MAJOR_6})
STYLES = ("ambient piece", "folk song", "pop song", "rock song", "house track",
          "jazz tune", "lo-fi beat", "EDM track", "bossa nova")
KEYS = {Mode.PHRYGIAN: "E phrygian", Mode.LYDIAN: "F lydian", Mode.MIXOLYDIAN: "A mixolydian",
        Mode.DORIAN: "D dorian"}


@pytest.mark.parametrize("mode", list(KEYS), ids=str)
def test_the_characteristic_chord_sounds_in_most_phrases(mode: Mode) -> None:
    found = pieces(tuple(f"a {style} in {KEYS[mode]}" for style in STYLES))
    for plan, events in found:
        assert plan.key.mode is mode
        phrases = with_chord = 0
        for section in plan.sections:
            if section.bars < 4:
                continue
            inside = [e for e in events if plan.bar_start(section.start_bar) <= e.start
                      < plan.bar_start(section.end_bar)]
            phrases += 1
            with_chord += any(degree(plan, e.chord) == CHARACTERISTIC_ROOT[mode]
                              and e.chord.quality in MAJOR_LIKE for e in inside)
        assert with_chord >= 0.75 * phrases, (plan.style, [e.chord.symbol for e in events])
        # The mode's own degree is heard, not just written: in a good share of the chords.
        share = sum(CHARACTERISTIC_PC[mode] in {(pc - tonic_pc(plan.key)) % 12
                                                for pc in e.chord.pitch_classes}
                    for e in events) / len(events)
        assert share >= 0.2, (plan.style, share)


@pytest.mark.parametrize("mode", list(KEYS), ids=str)
def test_no_chord_contradicts_the_mode(mode: Mode) -> None:
    for plan, events in pieces(tuple(f"a {style} in {KEYS[mode]}" for style in STYLES)):
        scale = set(scale_pitch_classes(plan.key))
        for event in events:
            assert event.chord.pitch_classes <= scale, (plan.style, event.chord.symbol)
            if mode is not Mode.LYDIAN:
                assert not (degree(plan, event.chord) == 7
                            and event.chord.quality in MAJOR_LIKE), event.chord.symbol


def test_f_lydian_has_g_major_and_no_b_flat() -> None:
    for plan, events in pieces(("a dreamy ambient piece in F lydian", "a pop song in F lydian")):
        symbols = {e.chord.symbol.split("/")[0] for e in events}
        assert "G" in symbols or "G7" in symbols
        assert not any("Bb" in e.chord.symbol for e in events)
        assert plan.style in (Style.AMBIENT, Style.POP)


def test_e_phrygian_sounds_f_natural_over_e() -> None:
    for _plan, events in pieces(("a dark ambient piece in E phrygian",
                                 "a rock song in E phrygian")):
        f_chords = [e for e in events if 5 in e.chord.pitch_classes]
        assert len(f_chords) >= 0.25 * len(events)
        assert not any(8 in e.chord.pitch_classes for e in events)  # no G#: not E minor-major
