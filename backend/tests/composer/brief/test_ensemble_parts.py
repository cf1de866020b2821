"""Who plays what: named ensembles bring their parts; a keyboard or guitar alone with the
tune plays both tune and accompaniment as two tracks; nothing the brief did not ask for is
added without a warning that says what and why."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.part_names import LEAD, LEFT_HAND, RHYTHM, RIGHT_HAND, part_of
from tests.composer.brief.fields import programs, roles
from tests.composer.brief.test_parse_brief import BRIEFS


def _parts(text: str) -> list[tuple[str, str]]:
    return [(i.role.value, i.name) for i in parse_brief(text).instruments]


@pytest.mark.parametrize(("text", "expected"), [
    ("a brass band march", [
        ("melody", "Cornet 1"), ("chords", "Cornet 2"), ("chords", "Flugelhorn"),
        ("chords", "Trombone"), ("bass", "Tuba"), ("other", "Euphonium")]),
    ("a big band tune", [
        ("melody", "Alto Sax 1"), ("chords", "Alto Sax 2"), ("chords", "Tenor Sax"),
        ("chords", "Trumpet 1"),
        ("chords", "Trumpet 2"), ("chords", "Trombone"), ("chords", "Piano"),
        ("bass", "Acoustic Bass"), ("drums", "Drums")]),
    ("a string orchestra elegy", [
        ("melody", "Violins I"), ("chords", "Violins II"), ("chords", "Violas"),
        ("chords", "Cellos"), ("bass", "Basses")]),
    ("flute with string section", [
        ("melody", "Flute"), ("chords", "Violins II"), ("chords", "Violas"),
        ("chords", "Cellos"), ("pad", "Violins I"), ("bass", "Basses")]),
    ("a wind quintet", [
        ("melody", "Flute"), ("chords", "Clarinet"), ("chords", "Horn"), ("bass", "Bassoon"),
        ("other", "Oboe")]),
    ("a piano trio", [("melody", "Violin"), ("chords", "Piano"), ("bass", "Cello")]),
    ("funk with a horn section, bass and drums", [
        ("melody", "Trumpet"), ("chords", "Alto Sax"), ("chords", "Tenor Sax"),
        ("chords", "Trombone"), ("bass", "Electric Bass (finger)"), ("drums", "Drums")]),
    ("a hymn for choir", [("melody", "Soprano"), ("chords", "Alto"), ("chords", "Tenor"),
                          ("bass", "Bass")]),
    ("a gospel song for choir and piano", [
        ("melody", "Soprano"), ("chords", "Alto"), ("chords", "Tenor"), ("chords", "Piano"),
        ("bass", "Bass")]),
])
def test_named_ensembles_bring_their_parts(text, expected):
    assert _parts(text) == expected


def test_ensemble_parts_are_separate_tracks():
    for text in ("a brass band march", "a big band tune", "a string orchestra elegy"):
        names = [i.name for i in parse_brief(text).instruments]
        assert len(set(names)) == len(names), text


@pytest.mark.parametrize(("text", "instrument", "parts"), [
    ("a melancholic jazz waltz for piano, bass and drums", "Piano", (RIGHT_HAND, LEFT_HAND)),
    ("a solo piano waltz", "Piano", (RIGHT_HAND, LEFT_HAND)),
    ("hymn for organ", "Church Organ", (RIGHT_HAND, LEFT_HAND)),
    ("minuet for harpsichord", "Harpsichord", (RIGHT_HAND, LEFT_HAND)),
    ("reggae for organ, bass and drums", "Drawbar Organ", (RIGHT_HAND, LEFT_HAND)),
    ("a funky clavinet groove with bass and drums", "Clavinet", (RIGHT_HAND, LEFT_HAND)),
    ("a tango for accordion", "Accordion", (RIGHT_HAND, LEFT_HAND)),
    ("a lullaby for harp", "Orchestral Harp", (RIGHT_HAND, LEFT_HAND)),
    ("pop with drums, bass and electric guitar", "Clean Electric Guitar", (LEAD, RHYTHM)),
    ("a folk song for ukulele", "Ukulele", (LEAD, RHYTHM)),
])
def test_one_player_alone_plays_tune_and_accompaniment(text, instrument, parts):
    brief = parse_brief(text)
    split = [i for i in brief.instruments if i.name.startswith(f"{instrument} (")]
    assert [(i.role.value, part_of(i.name)) for i in split] == [
        ("melody", parts[0]), ("chords", parts[1])]
    assert split[0].program == split[1].program


@pytest.mark.parametrize("text", [
    "for violin, cello and piano", "flute and harp", "a jazz tune for sax and piano",
    "a waltz for piano and strings", "for solo cello", "a pop song"])
def test_no_split_where_someone_else_plays_the_harmony_or_no_keyboard_leads(text):
    assert not any(part_of(i.name) for i in parse_brief(text).instruments)


# (brief, the General MIDI programs it names, or that its style's band brings when it
# names none). Every other track must come with a warning naming it.
NAMED = [
    ("pop with drums, bass and electric guitar", {27, 33, 0}),
    ("reggae for organ, bass and drums", {16, 33, 0}),
    ("a melancholic jazz waltz for piano, bass and drums", {0, 32}),
    ("a solo piano waltz", {0}),
    ("hymn for organ", {19}),
    ("minuet for harpsichord", {6}),
    ("lo-fi beat with electric piano and drums", {4, 0, 32}),
    ("a rock song for guitar, bass and drums", {30, 33, 0}),
    ("a country song for fiddle and banjo", {40, 105}),
    ("a ballad for voice and piano", {53, 0}),
    ("for flute and harp", {73, 46}),
    ("a funk groove for clavinet, slap bass and drums", {7, 36, 0}),
    ("an edm track for synth lead, synth bass and drums", {81, 38, 0}),
    ("a tango for bandoneon, violin, piano and double bass", {23, 40, 0, 32}),
    ("a jazz tune for trumpet, upright and drums", {56, 32, 0}),
    ("a bossa nova for nylon guitar and flute", {24, 73}),
    ("a celtic reel for fiddle and tin whistle", {40, 72}),
    ("bass and drums, jazz", {32, 0}),
    ("a march for tuba and snare drum", {58, 0}),
    ("a hip hop beat with 808 and rhodes", {38, 0, 4}),
    ("a lullaby for music box", {10}),
]


@pytest.mark.parametrize(("text", "named"), NAMED)
def test_nothing_unrequested_without_a_warning(text, named):
    brief = parse_brief(text)
    assert named <= set(programs(brief))
    for instrument in brief.instruments:
        if instrument.program not in named:
            base = instrument.name.split(" (")[0]
            assert any(base in warning for warning in brief.warnings), (text, base)


def test_an_added_melody_instrument_says_why():
    brief = parse_brief("a march for tuba and snare drum")
    assert brief.warnings == ["added a Trumpet to carry the melody and a Brass Section for "
                              "the chords: the brief named no melody instrument"]


def test_no_instruments_named_is_the_styles_band_without_a_warning():
    for text in ("a reggae song", "a jazz ballad in F", "an ambient piece", "a big band tune"):
        assert parse_brief(text).warnings == [], text


_MINE = ("added ", "unknown instrument", "no instrument named")


@pytest.mark.parametrize("text", [row[0] for row in BRIEFS])
def test_no_false_instrument_warnings_on_the_brief_table(text):
    warnings = parse_brief(text).warnings
    ours = [w for w in warnings if w.startswith(_MINE) or " sound" in w]
    # Only "with X" (the style's band and X) adds the band's players, and says so.
    assert ours == [] or (" with " in text and all(
        w.startswith("added the ") for w in ours)), ours


def test_with_says_which_band_players_came_along():
    brief = parse_brief("a lo-fi beat with electric piano and drums")
    assert brief.warnings == ["added the lofi-hip-hop band's Acoustic Bass: name every "
                              "instrument to leave the band out"]


def test_a_second_melody_instrument_is_kept_for_a_counter_line():
    assert roles(parse_brief("alto sax, tenor sax")) == [("melody", 65), ("melody", 66)]
