"""A score's sections read back as a brief's form (regenerate, restyle, reharmonize):
only sections that tile the piece in bar order become the form, so each key and tempo
lands on its own bars; and a brief, like a score, has at most MAX_SECTION_KEYS keys."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ariaforge.composer.brief import Brief, FormSection
from ariaforge.composer.operations import ComposeRequest, Operation, brief_for
from ariaforge.music.score import MAX_SECTION_KEYS, Key, Mode, Score, Section, TempoChange

C = Key(tonic="C", mode=Mode.MAJOR)
E = Key(tonic="E", mode=Mode.MAJOR)
REGENERATE = ComposeRequest(operation=Operation.REGENERATE, section=0)
# Fourteen keys other than C major: eleven major tonics, then minor ones.
OTHER_KEYS = [Key(tonic=t, mode=Mode.MAJOR) for t in
              ["C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]] + [
    Key(tonic=t, mode=Mode.MINOR) for t in ["A", "E", "D"]]


def form_of(*sections: Section, bars: int = 12) -> list[tuple[str, int, Key | None, int]]:
    # The chorus (bars 5-8) is faster, so a tempo on the wrong bars shows too.
    score = Score(bars=bars, key=C, tempo=100, sections=list(sections),
                  tempo_changes=[TempoChange(tick=4 * 1920, bpm=140),
                                 TempoChange(tick=8 * 1920, bpm=100)])
    brief = brief_for(REGENERATE, score, None)
    assert sum(part.bars for part in brief.form) == brief.bars == bars
    return [(part.name, part.bars, part.key, part.tempo or brief.tempo) for part in brief.form]


def test_sections_listed_out_of_order_are_read_in_bar_order() -> None:
    assert form_of(Section(name="outro", start_bar=9, bars=4),
                   Section(name="chorus", start_bar=5, bars=4, key=E),
                   Section(name="verse", start_bar=1, bars=4)) == [
        ("verse", 4, None, 100), ("chorus", 4, E, 140), ("outro", 4, None, 100)]


@pytest.mark.parametrize("sections", [
    # overlapping: the lengths add up to the piece, yet bar 5 is in two sections
    [Section(name="verse", start_bar=1, bars=5), Section(name="chorus", start_bar=5, bars=4,
                                                         key=E),
     Section(name="outro", start_bar=10, bars=3)],
    # nested: a chorus inside a whole-piece section
    [Section(name="all", start_bar=1, bars=8), Section(name="chorus", start_bar=5, bars=4,
                                                       key=E)],
    # a gap at the start
    [Section(name="chorus", start_bar=2, bars=4, key=E),
     Section(name="outro", start_bar=6, bars=7)],
], ids=["overlap", "nested", "gap"])
def test_sections_that_do_not_tile_the_piece_become_one_section(
        sections: list[Section]) -> None:
    assert form_of(*sections) == [("A", 12, None, 100)]


def test_a_brief_has_at_most_the_score_limit_of_section_keys() -> None:
    def brief(keys: int) -> Brief:
        # The home key and a repeated key cost nothing, so they are not counted.
        form = [FormSection(name="home", bars=2, key=C), FormSection(name="again", bars=2,
                                                                     key=OTHER_KEYS[0])]
        form += [FormSection(name=f"s{i}", bars=2, key=OTHER_KEYS[i]) for i in range(keys)]
        return Brief(key=C, bars=2 * len(form), form=form)

    assert len(brief(MAX_SECTION_KEYS).form) == MAX_SECTION_KEYS + 2
    with pytest.raises(ValidationError, match=f"at most {MAX_SECTION_KEYS} keys"):
        brief(MAX_SECTION_KEYS + 1)
