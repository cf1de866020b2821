"""Section-level key and tempo changes: each phrasing puts its key or tempo on the sections
it names, and the home key and tempo stay the brief's global ones."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Brief, parse_brief
from ariaforge.composer.brief.model import MAX_SECTIONS, FormSection
from ariaforge.music.score import MAX_SECTION_KEYS


def _key(section: FormSection) -> str | None:
    return f"{section.key.tonic} {section.key.mode.value}" if section.key else None


def changed(brief: Brief) -> list[tuple[str, str | None, int | None]]:
    """(name, key, tempo) of every section that changes key or tempo, in order."""
    return [(s.name, _key(s), s.tempo) for s in brief.form if s.key or s.tempo]


def home(brief: Brief) -> tuple[str, int]:
    return f"{brief.key.tonic} {brief.key.mode.value}", brief.tempo


FORM = "intro, verse, chorus, verse, chorus, bridge, chorus, outro"


@pytest.mark.parametrize(("text", "key", "changes"), [
    ("a pop song in A minor that modulates to the relative major for the chorus",
     "A minor", [("chorus", "C major", None)] * 2),
    (f"{FORM}, in C major, modulating to the relative minor for the bridge",
     "C major", [("bridge", "A minor", None)]),
    (f"{FORM} in G major, key change up a whole step for the last chorus",
     "G major", [("chorus", "A major", None), ("outro", "A major", None)]),
    (f"{FORM} in F major; the last chorus goes up a half step",
     "F major", [("chorus", "F# major", None), ("outro", "F# major", None)]),
    (f"{FORM} in D major with the bridge in F major",
     "D major", [("bridge", "F major", None)]),
    ("verse, chorus, verse, chorus in Bb major, chorus in Eb major",
     "Bb major", [("chorus", "Eb major", None)] * 2),
    ("AABA tune in C major that moves to the dominant for the B section",
     "C major", [("B", "G major", None)]),
    ("ABA piece in E minor; for the B section, modulate to the parallel major",
     "E minor", [("B", "E major", None)]),
    ("verse in A minor, chorus in C major, verse, chorus",
     "A minor", [("chorus", "C major", None)] * 2),
    ("an ABAB song in D major, moves to the subdominant for section B",
     "D major", [("B", "G major", None)] * 2),
    ("a pop song in E minor, verse, chorus, verse, chorus; the chorus modulates to G major",
     "E minor", [("chorus", "G major", None)] * 2),
])
def test_key_changes(text, key, changes):
    brief = parse_brief(text, seed=3)
    assert home(brief)[0] == key
    assert changed(brief) == changes
    assert "section changes" in brief.understood


@pytest.mark.parametrize(("text", "tempo", "changes"), [
    (f"{FORM} at 120 bpm, speeds up to 140 in the outro", 120, [("outro", None, 140)]),
    (f"{FORM}, 100 bpm, slows to 70 for the bridge", 100, [("bridge", None, 70)]),
    (f"{FORM} at 96 bpm, the outro at 90 bpm", 96, [("outro", None, 90)]),
    (f"{FORM} at 110 bpm; the bridge slows down to 80", 110, [("bridge", None, 80)]),
    (f"{FORM}, 100 bpm, slows down for the bridge", 100, [("bridge", None, 85)]),
    (f"{FORM}, 100 bpm; in the outro, speed up to 132", 100, [("outro", None, 132)]),
])
def test_tempo_changes(text, tempo, changes):
    brief = parse_brief(text, seed=3)
    assert brief.tempo == tempo  # the home tempo is the global one, not the last number
    assert changed(brief) == changes


def test_the_home_key_and_tempo_are_not_the_last_ones_mentioned():
    brief = parse_brief("a pop song in A minor at 100 bpm that modulates to the relative "
                        "major for the chorus and speeds up to 140 in the outro", seed=1)
    assert home(brief) == ("A minor", 100)
    assert not any("several" in warning for warning in brief.warnings)
    keys = {s.name: _key(s) for s in brief.form}
    assert keys["chorus"] == "C major" and keys["verse"] is None
    assert [s.tempo for s in brief.form if s.name == "outro"] == [140]


def test_one_key_and_tempo_change_in_one_phrase():
    brief = parse_brief("a jazz tune in Bb major, ABAC form, section C in Eb major at 160 bpm")
    assert changed(brief) == [("C", "Eb major", 160)]


def test_a_section_the_default_form_lacks_is_added():
    brief = parse_brief("a pop song in C major, slows to 70 for the bridge", seed=2)
    assert "bridge" in [s.name for s in brief.form]
    assert sum(s.bars for s in brief.form) == brief.bars
    assert changed(brief) == [("bridge", None, 70)]


def test_a_section_missing_from_a_listed_form_is_warned_about():
    brief = parse_brief("verse, chorus, verse, chorus in C major; the bridge in E major")
    assert changed(brief) == []
    assert any("no bridge" in warning for warning in brief.warnings)
    assert [s.name for s in brief.form] == ["verse", "chorus", "verse", "chorus"]


@pytest.mark.parametrize("text", [
    "a song in C major that modulates to G major",
    "a waltz in D minor, key change up a half step",
])
def test_a_change_without_a_section_is_warned_about_and_keeps_the_home_key(text):
    brief = parse_brief(text)
    assert brief.key.tonic in ("C", "D")
    assert changed(brief) == []
    assert any("which section" in warning for warning in brief.warnings)


def test_a_gradual_tempo_change_is_named_in_a_warning():
    brief = parse_brief("a ballad in Eb major, ritardando at the end")
    assert any("ritardando" in warning for warning in brief.warnings)


def test_the_last_of_a_list_of_sections_is_not_a_change():
    brief = parse_brief(f"{FORM} in G major")
    assert home(brief)[0] == "G major"
    assert changed(brief) == []


def test_a_relative_key_already_in_that_mode_is_warned_about():
    brief = parse_brief("verse, chorus, verse, chorus in A minor, modulates to the relative "
                        "minor for the chorus")
    assert changed(brief) == []
    assert any("already minor" in warning for warning in brief.warnings)


def test_the_reader_keeps_at_most_max_sections_changes():
    phrases = ", ".join(f"section A in {'D' if i % 2 else 'E'} major"
                        for i in range(MAX_SECTIONS + 3))
    brief = parse_brief(f"AB form in C major, {phrases}")
    assert any(f"{MAX_SECTIONS} section changes at most" in w for w in brief.warnings)


def test_a_section_key_is_validated():
    with pytest.raises(ValueError, match="tonic"):
        FormSection.model_validate({"name": "chorus", "bars": 8, "key": {"tonic": "H"}})
    with pytest.raises(ValueError, match="tempo"):
        FormSection.model_validate({"name": "chorus", "bars": 8, "tempo": 1000})


@pytest.mark.parametrize("text", [
    "a pop song where the melody rises in the chorus and the energy drops for the bridge",
    "the melody moves up a step in the chorus, pop in G",
    "a folk song with no modulation, verse and chorus",
])
def test_words_that_do_not_change_key_or_tempo(text):
    brief = parse_brief(text)
    assert changed(brief) == []
    assert not any("section" in warning for warning in brief.warnings)


@pytest.mark.parametrize(("text", "changes"), [
    ("verse, chorus, verse, chorus in G at 100 bpm; the tempo picks up for the last chorus",
     [("chorus", None, 115)]),
    ("verse, chorus, outro in C at 100 bpm, gets faster in the outro", [("outro", None, 115)]),
])
def test_a_tempo_change_without_a_number_takes_a_usual_step(text, changes):
    assert changed(parse_brief(text)) == changes


@pytest.mark.parametrize(("text", "key", "tempo", "changes"), [
    ("a pop song in C with verse and chorus, the chorus at 140 bpm",
     "C major", 110, [("chorus", None, 140)] * 2),
    ("a pop song in C with verse chorus verse chorus, the chorus in F# locrian",
     "C major", 110, [("chorus", "F# locrian", None)] * 2),
    ("verse, chorus, bridge, chorus at 100 bpm, the bridge in the relative minor",
     "C major", 100, [("bridge", "A minor", None)]),
    ("a rock song in E minor, intro, verse, chorus, outro, the outro at 90 bpm",
     "E minor", None, [("outro", None, 90)]),
    ("a waltz in D major with an A section and a B section, the B section in B minor",
     "D major", None, [("B", "B minor", None)]),
    ("verse and chorus in G major at 120 bpm, the chorus in A major at 130 bpm",
     "G major", 120, [("chorus", "A major", 130)] * 2),
])
def test_a_change_right_after_a_listed_form_is_the_sections_own(text, key, tempo, changes):
    # An article before a section the list already named starts a change; it is not the
    # list's last item, so the home key and tempo stay the brief's and no section is added.
    brief = parse_brief(text, seed=3)
    assert home(brief)[0] == key
    if tempo is not None:
        assert brief.tempo == tempo
    assert changed(brief) == changes
    assert not any("several" in warning for warning in brief.warnings)
    # no spurious extra section from reading the change as one more list item
    assert [s.name for s in brief.form].count(changes[0][0]) == len(changes)


def test_a_new_section_after_a_list_still_ends_the_list():
    brief = parse_brief("intro, verse and the chorus in G major", seed=3)
    assert home(brief)[0] == "G major"
    assert changed(brief) == []


def test_ordinals_past_the_fourth_name_one_section():
    form = ", ".join(["verse", "chorus"] * 6)
    brief = parse_brief(f"{form} in C major; the sixth verse in E major", seed=3)
    assert changed(brief) == [("verse", "E major", None)]
    assert [s.key is not None for s in brief.form if s.name == "verse"] == [False] * 5 + [True]


def test_more_section_keys_than_a_piece_holds_are_refused_with_a_warning():
    # Each key is a whole re-composition: past the limit, a section stays home, and says so.
    wanted = [f"{tonic} major" for tonic in ("D", "E", "F", "G", "A", "B", "Db", "Eb", "Ab",
                                              "Bb", "F#")] + ["D minor", "E minor", "G minor"]
    named = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"]
    changes = [f"the {nth} {name} in {key}" for name, keys in
               (("verse", wanted[:7]), ("chorus", wanted[7:]))
               for nth, key in zip(named, keys, strict=True)]
    form = ", ".join(["verse", "chorus"] * 7)
    brief = parse_brief(f"{form} in C major; " + "; ".join(changes), seed=3)
    keys = {(s.key.tonic, s.key.mode) for s in brief.form if s.key is not None}
    assert len(keys) == MAX_SECTION_KEYS
    warning = next(w for w in brief.warnings if "at most" in w)
    assert str(MAX_SECTION_KEYS) in warning and "stay in the home key" in warning
