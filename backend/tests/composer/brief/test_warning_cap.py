"""A brief full of unreadable words gets a bounded list of warnings (they are stored and
shown), ending with a line that counts the ones left out."""

from __future__ import annotations

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.brief.model import MAX_BRIEF_CHARS
from ariaforge.composer.brief.notes import MAX_WARNINGS, Notes

_SYLLABLES = ["du", "va", "mo", "te", "co", "bo", "lu", "fi", "ni", "ra", "ke", "zo"]


def _made_up_phones(limit: int) -> str:
    words: list[str] = []
    for a in _SYLLABLES:
        for b in _SYLLABLES:
            words.append(f"{a}{b}phone")
    text = "a jazz tune for "
    for word in words:
        if len(text) + len(word) + 2 > limit:
            break
        text += word + ", "
    return text.rstrip(", ")


def test_a_brief_of_made_up_instruments_gets_at_most_max_warnings_and_a_count():
    brief = parse_brief(_made_up_phones(MAX_BRIEF_CHARS))
    assert len(brief.warnings) == MAX_WARNINGS + 1
    assert all("unknown instrument" in warning for warning in brief.warnings[:MAX_WARNINGS])
    last = brief.warnings[-1]
    assert last.startswith("…and ") and last.endswith(" more warnings")
    left_out = int(last.split()[1])
    assert left_out > 100  # the ones not shown are counted, not lost silently


def test_a_repeated_warning_past_the_cap_is_counted_once():
    notes = Notes()
    for number in range(MAX_WARNINGS + 3):
        notes.warn(f"warning {number}")
    notes.warn(f"warning {MAX_WARNINGS + 1}")
    notes.warn("warning 0")
    assert notes.report()[-1] == "…and 3 more warnings"
    assert notes.report()[:MAX_WARNINGS] == [f"warning {n}" for n in range(MAX_WARNINGS)]


def test_a_few_warnings_are_shown_as_they_are():
    notes = Notes()
    notes.warn("one")
    notes.warn("two")
    assert notes.report() == ["one", "two"]
