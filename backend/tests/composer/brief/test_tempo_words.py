"""Tempo words map to tempo ranges: Italian marks to the usual metronome ranges whatever
the style, plain words ("slow", "uptempo", "very fast") to a part of the style's range."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style

# The ranges a metronome marking usually gives (bpm, inclusive).
MARKS = {
    "grave": (35, 45), "largo": (45, 60), "lento": (50, 60), "larghetto": (60, 66),
    "adagio": (66, 76), "andante": (76, 108), "moderato": (108, 120),
    "allegretto": (112, 120), "allegro": (120, 156), "vivace": (156, 176),
    "presto": (168, 200), "prestissimo": (200, 240),
}


@pytest.mark.parametrize("word", list(MARKS))
@pytest.mark.parametrize("style", ["pop", "a waltz", "a rock song", "a nocturne"])
def test_an_italian_mark_names_its_range_in_any_style(word, style):
    brief = parse_brief(f"{style}, {word}")
    low, high = MARKS[word]
    assert low <= brief.tempo <= high
    assert brief.understood["tempo"] == word


def test_italian_marks_rise_in_order():
    tempi = [parse_brief(word).tempo for word in MARKS]
    assert tempi == sorted(tempi)


# (word, lowest and highest share of the style's tempo range)
PLAIN = [
    ("very slow", 0.0, 0.15), ("really slow", 0.0, 0.15), ("slow", 0.1, 0.3),
    ("slowly", 0.1, 0.3), ("downtempo", 0.1, 0.3), ("laid back", 0.25, 0.45),
    ("relaxed", 0.25, 0.45), ("moderate", 0.4, 0.6), ("medium tempo", 0.4, 0.6),
    ("mid-tempo", 0.4, 0.6), ("upbeat", 0.6, 0.8), ("uptempo", 0.6, 0.8),
    ("up-tempo", 0.6, 0.8), ("lively", 0.6, 0.8), ("fast", 0.75, 0.9),
    ("quick", 0.75, 0.9), ("very fast", 0.9, 1.0), ("breakneck", 0.9, 1.0),
]


@pytest.mark.parametrize(("word", "low", "high"), PLAIN)
@pytest.mark.parametrize("style", [Style.POP, Style.JAZZ, Style.NOCTURNE, Style.ROCK])
def test_a_plain_tempo_word_takes_its_part_of_the_styles_range(word, low, high, style):
    brief = parse_brief(f"{word} {style.value}")
    assert brief.style is style
    bottom, top = STYLE_PROFILES[style].tempo_range
    span = top - bottom
    assert bottom + low * span - 0.5 <= brief.tempo <= bottom + high * span + 0.5
    assert brief.understood["tempo"] == word


@pytest.mark.parametrize("style", [Style.POP, Style.JAZZ, Style.NOCTURNE, Style.BALLAD,
                                   Style.LULLABY, Style.ROCK])
def test_slow_is_slower_and_fast_faster_than_the_style_alone(style):
    plain = parse_brief(f"a {style.value}").tempo
    assert parse_brief(f"a very slow {style.value}").tempo <= \
        parse_brief(f"a slow {style.value}").tempo < plain
    assert plain < parse_brief(f"a fast {style.value}").tempo <= \
        parse_brief(f"a very fast {style.value}").tempo


def test_a_slow_nocturne_is_slow():
    assert parse_brief("a slow nocturne").tempo < 70
