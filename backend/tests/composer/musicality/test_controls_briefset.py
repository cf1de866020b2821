"""The brief's controls stay obeyed on the bench's brief set (88 briefs, all 35 styles,
seeds 0 and 1) while the composer grows more musical: the key heard by the composer's key
estimator, the metre, the tempo, the bars and the named instruments, and none of them
moves between seeds. One test per brief, each assertion naming brief and seed."""

from __future__ import annotations

import pytest

from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.tonality import key_margin, note_histogram
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.theory.keyfinding import rank_keys
from ariaforge.music.theory.pitch import pitch_class_of_name
from tests.composer.musicality.briefset import (
    BENCH,
    Composed,
    asked_key,
    asked_meter,
    bench_briefs,
)

BRIEFS = bench_briefs()
# Words that ask for a slower or a faster tempo than the style's usual one.
SLOWER = ("slow", "ballad", "calm", "melancholic", "dreamy", "romantic")
FASTER = ("energetic", "up-tempo")


def band(style: str) -> list[tuple[int, bool]]:
    """(GM program in this style, is drum kit) of each track the band phrase names."""
    names = BENCH.BAND.removeprefix("for ").replace(" and ", ", ").split(", ")
    found = []
    for name in names:
        word = lookup_instrument(name)
        assert word is not None, name
        found += [(voice.program_for(Style(style)), voice.is_drum) for voice in word.voices]
    return found


def asked_meter_of(style: str, prompt: str) -> tuple[int, int]:
    """The metre in figures, else a waltz's 3/4, else the style's own."""
    if (stated := asked_meter(prompt)) is not None:
        return stated
    return (3, 4) if "waltz" in prompt else STYLE_PROFILES[Style(style)].meter


def problems(piece: Composed) -> list[str]:
    score, brief = piece.result.score, piece.result.brief
    found = []
    key = asked_key(piece.prompt)
    if pitch_class_of_name(score.key.tonic) != pitch_class_of_name(key.tonic) \
            or score.key.mode is not key.mode:
        found.append(f"key written {score.key.tonic} {score.key.mode.value}")
    heard = note_histogram(score.pitched_notes())
    margin = key_margin(heard, key)
    if margin <= 0:
        best, _ = rank_keys(tuple(heard))[0]
        found.append(f"the estimator hears {best.tonic} {best.mode.value}, not {key.tonic} "
                     f"{key.mode.value} (margin {margin:.3f})")
    meter = asked_meter_of(piece.style, piece.prompt)
    if (score.meter.numerator, score.meter.denominator) != meter:
        found.append(f"meter {score.meter}, asked {meter[0]}/{meter[1]}")
    low, high = STYLE_PROFILES[Style(piece.style)].tempo_range
    usual = STYLE_PROFILES[Style(piece.style)].tempo
    if round(score.tempo) != brief.tempo or not low <= score.tempo <= high:
        found.append(f"tempo {score.tempo} outside {low}-{high} (brief {brief.tempo})")
    slower = [word for word in SLOWER if word != piece.style]  # a ballad's own pace is slow
    if any(word in piece.prompt for word in slower) and not score.tempo < usual:
        found.append(f"tempo {score.tempo} not slower than the style's {usual}")
    if any(word in piece.prompt for word in FASTER) and not score.tempo > usual:
        found.append(f"tempo {score.tempo} not faster than the style's {usual}")
    if score.bars != BENCH.BARS or sum(s.bars for s in score.sections) != BENCH.BARS:
        found.append(f"{score.bars} bars, sections {[s.bars for s in score.sections]}")
    if any(note.end > score.end_tick for _, note in score.all_notes()):
        found.append("notes ring past the last bar")
    if not any(note.end > score.bar_start(score.bars) for note in score.pitched_notes()):
        found.append("the last bar is silent")
    for program, is_drum in band(piece.style):
        if not any(t.notes and t.is_drum == is_drum and (is_drum or t.program == program)
                   for t in score.tracks):
            found.append(f"no {'drum kit' if is_drum else f'program {program}'} playing")
    return found


def controls(piece: Composed) -> tuple[object, ...]:
    score = piece.result.score
    return (score.key, score.meter, score.tempo, score.bars,
            [(t.program, t.is_drum, t.role) for t in score.tracks])


@pytest.mark.parametrize(("style", "prompt"), BRIEFS,
                         ids=[prompt.removesuffix(" " + BENCH.BAND)[:48] for _, prompt in BRIEFS])
def test_the_controls_are_obeyed(style: str, prompt: str, briefset: list[Composed]) -> None:
    pieces = [p for p in briefset if p.prompt == prompt]
    assert [p.seed for p in pieces] == list(BENCH.SEEDS)
    lines = [f"{p.name}: {problem}" for p in pieces for problem in problems(p)]
    if len({repr(controls(p)) for p in pieces}) > 1:
        lines.append(f"the controls differ between seeds: {[controls(p) for p in pieces]}")
    assert not lines, "\n".join(lines)
