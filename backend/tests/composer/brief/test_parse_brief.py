"""Reading whole free-text briefs through `parse_brief`: every field at once, request
fields that override the text, determinism and seeds, and hostile input."""

from __future__ import annotations

import random
import string

import pytest
from pydantic import ValidationError

from ariaforge.composer.brief import (
    MAX_BRIEF_CHARS,
    Brief,
    BriefOverrides,
    Instrument,
    Mood,
    Style,
    parse_brief,
)
from ariaforge.composer.phrases import PHRASES
from ariaforge.music.score import Key, Meter, Mode, Role
from tests.composer.brief.fields import key_of, programs, roles

# --- whole briefs -------------------------------------------------------------------------

# (text, style, key, tempo, meter, bars, General MIDI programs in score order). Tempi
# without a number are the midpoint of the word's share of the style's range, or the mood's
# place in it; bars without a count are the style's usual length.
BRIEFS = [
    ("a melancholic waltz in D minor for piano and strings, 90 bpm",
     "waltz", "D minor", 90, "3/4", 32, [0, 48]),
    ("an upbeat pop song in G major", "pop", "G major", 115, "4/4", 40, [80, 0, 33, 0]),
    ("a slow jazz ballad in Bb", "jazz", "Bb major", 112, "4/4", 32, [66, 0, 32, 0]),
    ("fast swing tune with trumpet", "swing", "Bb major", 203, "4/4", 32, [56, 0, 32, 0]),
    ("12-bar blues in E", "blues", "E major", 90, "4/4", 12, [29, 0, 33, 0]),
    ("a bossa nova in F for flute and nylon guitar",
     "bossa-nova", "F major", 132, "4/4", 32, [73, 24]),
    ("an Irish jig in D", "jig", "D major", 174, "6/8", 32, [73, 40, 25]),
    ("a reel in G, 4/4", "reel", "G major", 212, "4/4", 32, [40, 73, 25]),
    ("a march in Bb", "march", "Bb major", 120, "2/4", 36, [56, 61, 58, 0]),
    ("a Bach chorale in G", "chorale", "G major", 72, "4/4", 16, [52, 52, 52, 52]),
    ("classical string quartet in C sharp minor",
     "classical", "C# minor", 100, "4/4", 24, [40, 40, 41, 42]),
    ("dreamy ambient piece", "ambient", "D major", 62, "4/4", 48, [0, 89]),
    ("lofi hip hop beat, chill", "lofi-hip-hop", "F major", 76, "4/4", 32, [11, 4, 32, 0]),
    ("an energetic EDM track in A minor at 128 bpm",
     "edm", "A minor", 128, "4/4", 72, [81, 88, 38, 0]),
    ("deep house at 124", "house", "C major", 124, "4/4", 56, [81, 0, 38, 0]),
    ("hard rock song in E minor, 140 BPM", "rock", "E minor", 140, "4/4", 40, [29, 30, 33, 0]),
    ("a sad folk song in A minor with guitar", "folk", "A minor", 95, "4/4", 32, [25, 25, 32]),
    ("solo piano, calm, 3/4", "pop", "C major", 93, "3/4", 40, [0, 0]),
    ("a dorian groove", "pop", "A dorian", 110, "4/4", 40, [80, 0, 33, 0]),
    ("mixolydian reel", "reel", "D mixolydian", 212, "4/4", 32, [40, 73, 25]),
    ("E dorian jig", "jig", "E dorian", 174, "6/8", 32, [73, 40, 25]),
    ("a waltz in 4/4", "waltz", "F major", 150, "4/4", 32, [40, 0, 42]),
    ("jazz waltz in C", "jazz", "C major", 132, "3/4", 32, [66, 0, 32, 0]),
    ("rock in 7/8, 100 bpm, 16 bars", "rock", "E major", 100, "7/8", 16, [29, 30, 33, 0]),
    ("a pop song in 6/8", "pop", "C major", 110, "6/8", 40, [80, 0, 33, 0]),
    ("2 minutes of pop at 120 bpm", "pop", "C major", 120, "4/4", 60, [80, 0, 33, 0]),
    ("90 seconds of calm piano at 60 bpm", "pop", "C major", 60, "4/4", 24, [0, 0]),
    ("a 1:30 waltz at 90 bpm", "waltz", "F major", 90, "3/4", 44, [40, 0, 42]),
    ("three minutes of ambient", "ambient", "D major", 70, "4/4", 52, [0, 89]),
    ("32 bars of jazz in 1 minute", "jazz", "F major", 128, "4/4", 32, [66, 0, 32, 0]),
    ("16-bar piano piece in F, 80 bpm", "pop", "F major", 80, "4/4", 16, [0, 0]),
    ("thirty-two bars in B flat minor", "pop", "Bb minor", 110, "4/4", 32, [80, 0, 33, 0]),
    ("AABA tune in the key of E flat, 32 bars",
     "pop", "Eb major", 110, "4/4", 32, [80, 0, 33, 0]),
    ("intro, verse, chorus, outro in C, 120 bpm",
     "pop", "C major", 120, "4/4", 24, [80, 0, 33, 0]),
    ("verse chorus pop song in A", "pop", "A major", 110, "4/4", 32, [80, 0, 33, 0]),
    ("Dm, 100 bpm, strings", "pop", "D minor", 100, "4/4", 40, [40, 40, 41, 42, 43]),
    ("F# major ballad", "ballad", "F# major", 72, "4/4", 40, [53, 0, 48, 33]),
    ("a cheerful tune in F sharp for flute, guitar and bass",
     "pop", "F# major", 113, "4/4", 40, [73, 25, 33]),
    ("in C#m", "pop", "C# minor", 110, "4/4", 40, [80, 0, 33, 0]),
    ("Bbm", "pop", "Bb minor", 110, "4/4", 40, [80, 0, 33, 0]),
    ("a piece in Ebm for cello", "pop", "Eb minor", 110, "4/4", 40, [42]),
    ("in the key of Em", "pop", "E minor", 110, "4/4", 40, [80, 0, 33, 0]),
    ("D dorian, 3/4, solo violin", "pop", "D dorian", 110, "3/4", 40, [40]),
    ("a happy song in A minor", "pop", "A minor", 113, "4/4", 40, [80, 0, 33, 0]),
    ("a sad song", "pop", "A minor", 95, "4/4", 40, [80, 0, 33, 0]),
    ("a dark rock song", "rock", "E minor", 127, "4/4", 40, [29, 30, 33, 0]),
    ("an epic orchestral piece in D minor, 4/4",
     "pop", "D minor", 110, "4/4", 40, [73, 48, 60, 43, 47]),
    ("a romantic piano ballad in Db", "nocturne", "Db major", 66, "4/4", 28, [0, 0]),
    ("a playful march", "march", "Bb major", 122, "2/4", 36, [56, 61, 58, 0]),
    ("a calm chorale in F", "chorale", "F major", 66, "4/4", 16, [52, 52, 52, 52]),
    ("swung blues shuffle in G, 80 bpm", "blues", "G major", 80, "4/4", 24, [29, 0, 33, 0]),
    ("a bossa nova with straight eighths",
     "bossa-nova", "F major", 132, "4/4", 32, [73, 24, 32, 0]),
    ("a jazz tune in Bb with no drums", "jazz", "Bb major", 132, "4/4", 32, [66, 0, 32]),
    ("house music without piano", "house", "C major", 124, "4/4", 56, [81, 38, 0]),
    ("string quartet in G", "pop", "G major", 110, "4/4", 40, [40, 40, 41, 42]),
    ("SATB choir, hymn in D", "chorale", "D major", 72, "4/4", 16, [52, 52, 52, 52]),
    ("a lullaby in F for music box", "lullaby", "F major", 66, "3/4", 32, [10]),
    ("vivace classical piece in A major",
     "classical", "A major", 166, "4/4", 24, [40, 40, 41, 42]),
    ("adagio for strings in B flat minor", "pop", "Bb minor", 71, "4/4", 40, [40, 40, 41, 42, 43]),
    ("an ambient drone in C lydian, very slow", "ambient", "C lydian", 53, "4/4", 48, [0, 89]),
    ("a techno track in F minor, 135 bpm, 64 bars",
     "edm", "F minor", 135, "4/4", 64, [81, 88, 38, 0]),
    ("trance at 138", "edm", "C major", 138, "4/4", 72, [81, 88, 38, 0]),
    ("bebop in Eb, 240 bpm", "jazz", "Eb major", 240, "4/4", 32, [66, 0, 32, 0]),
    ("a country song in G with banjo", "country", "G major", 110, "4/4", 40,
     [105, 105, 32, 0]),
    ("polka in 2/4", "folk", "G major", 100, "2/4", 32, [40, 25, 32]),
    ("a minuet in G", "classical", "G major", 100, "3/4", 24, [40, 40, 41, 42]),
    ("synthwave in A minor", "synthwave", "A minor", 100, "4/4", 44, [81, 88, 38, 0]),
    ("a fast reel in E minor", "reel", "E minor", 230, "4/4", 32, [40, 73, 25]),
    ("very fast punk rock", "rock", "E major", 157, "4/4", 40, [29, 30, 33, 0]),
    ("moderate folk tune in D", "folk", "D major", 105, "4/4", 32, [40, 25, 32]),
    ("laid-back lofi", "lofi-hip-hop", "F major", 79, "4/4", 32, [11, 4, 32, 0]),
    ("Allegro in C", "pop", "C major", 138, "4/4", 40, [80, 0, 33, 0]),
    ("a song for voice and piano in G", "pop", "G major", 110, "4/4", 40, [53, 0]),
    ("electric guitar, bass and drums, rock, E minor",
     "rock", "E minor", 124, "4/4", 40, [30, 30, 33, 0]),
    ("an electronic track with synths and pads",
     "edm", "C major", 128, "4/4", 72, [81, 88, 38, 0]),
]


@pytest.mark.parametrize(("text", "style", "key", "tempo", "meter", "bars", "gm"), BRIEFS)
def test_brief(text, style, key, tempo, meter, bars, gm):
    brief = parse_brief(text)
    assert brief.style == Style(style)
    assert key_of(brief) == key
    assert brief.tempo == tempo
    assert str(brief.meter) == meter
    assert brief.bars == bars
    assert programs(brief) == gm
    assert sum(section.bars for section in brief.form) == bars


def test_the_example_in_full():
    brief = parse_brief("A melancholic waltz in D minor for piano and strings, 90 bpm")
    assert brief.mood is Mood.MELANCHOLIC
    assert brief.key == Key(tonic="D", mode=Mode.MINOR)
    assert brief.meter == Meter(numerator=3, denominator=4)
    assert roles(brief) == [("melody", 0), ("pad", 48)]
    assert [i.name for i in brief.instruments] == ["Piano", "String Ensemble 1"]
    assert brief.swing is False
    assert brief.warnings == []
    assert brief.understood == {"style": "waltz", "meter": "waltz", "mood": "melancholic",
                                "key": "D minor", "tempo": "90 bpm",
                                "instruments": "piano, strings"}
    assert brief.validation_style == "classical"


def test_the_empty_brief_is_a_pop_song():
    brief = parse_brief("")
    assert (brief.style, brief.mood, key_of(brief), brief.tempo) == (
        Style.POP, Mood.NEUTRAL, "C major", 110)
    assert roles(brief) == [("melody", 80), ("chords", 0), ("bass", 33), ("drums", 0)]
    assert brief.instruments[-1].is_drum
    assert brief.warnings == []
    assert brief.understood == {}


# --- overrides ----------------------------------------------------------------------------

TEXT = "a melancholic waltz in D minor for piano and strings, 90 bpm, 32 bars"


def test_overrides_win_over_the_text():
    overrides = BriefOverrides(
        style=Style.JAZZ, mood=Mood.HAPPY, tonic="e♭", mode=Mode.DORIAN, tempo=100,
        meter=Meter(numerator=5, denominator=4), bars=20, seed=7,
        instruments=["flute", Instrument(role=Role.BASS, program=32, name="Upright"),
                     "drums"])
    brief = parse_brief(TEXT, overrides)
    assert brief.style is Style.JAZZ
    assert brief.mood is Mood.HAPPY
    assert key_of(brief) == "Eb dorian"
    assert (brief.tempo, str(brief.meter), brief.bars, brief.seed) == (100, "5/4", 20, 7)
    assert roles(brief) == [("melody", 73), ("bass", 32), ("drums", 0)]
    assert brief.instruments[1].name == "Upright"
    assert set(brief.understood.values()) == {"request"}
    assert "the request's tempo (100 bpm) overrides '90 bpm' in the text" in brief.warnings
    assert "the request's style (jazz) overrides 'waltz' in the text" in brief.warnings


@pytest.mark.parametrize(("overrides", "field", "value"), [
    (BriefOverrides(style=Style.ROCK), "style", Style.ROCK),
    (BriefOverrides(mood=Mood.CALM), "mood", Mood.CALM),
    (BriefOverrides(tempo=60), "tempo", 60),
    (BriefOverrides(bars=8), "bars", 8),
    (BriefOverrides(meter=Meter(numerator=6, denominator=8)), "meter",
     Meter(numerator=6, denominator=8)),
    (BriefOverrides(seed=123), "seed", 123),
])
def test_each_override_alone(overrides, field, value):
    brief = parse_brief(TEXT, overrides)
    assert getattr(brief, field) == value
    assert key_of(brief) == "D minor"  # the rest still comes from the text


def test_override_tonic_keeps_the_texts_mode():
    assert key_of(parse_brief(TEXT, BriefOverrides(tonic="G"))) == "G minor"
    assert key_of(parse_brief(TEXT, BriefOverrides(mode=Mode.MAJOR))) == "D major"


def test_override_style_brings_its_meter_unless_the_text_names_one():
    assert str(parse_brief("a waltz", BriefOverrides(style=Style.JIG)).meter) == "6/8"
    assert str(parse_brief("a waltz in 3/4", BriefOverrides(style=Style.JIG)).meter) == "3/4"


def test_override_mood_nudges_mode_and_tempo():
    brief = parse_brief("a pop song", BriefOverrides(mood=Mood.MELANCHOLIC))
    assert (key_of(brief), brief.tempo) == ("A minor", 95)


def test_an_override_that_agrees_with_the_text_does_not_warn():
    brief = parse_brief(TEXT, BriefOverrides(style=Style.WALTZ, tempo=90))
    assert brief.warnings == []


@pytest.mark.parametrize("bad", [
    {"tempo": 29}, {"tempo": 301}, {"bars": 0}, {"bars": 513}, {"tonic": "H"},
    {"tonic": "C#b"}, {"instruments": ["kazoo"]}, {"instruments": []}, {"seed": -1},
    {"style": "polka"}, {"mood": "angsty"}, {"colour": "red"},
])
def test_bad_overrides_are_refused(bad):
    with pytest.raises(ValidationError):
        BriefOverrides.model_validate(bad)


def test_overrides_from_json():
    overrides = BriefOverrides.model_validate_json(
        '{"style": "bossa-nova", "tonic": "f#", "mode": "minor", '
        '"instruments": ["Piano", {"role": "bass", "program": 33, "name": "Bass"}]}')
    brief = parse_brief("anything", overrides)
    assert (brief.style, key_of(brief)) == (Style.BOSSA_NOVA, "F# minor")
    assert roles(brief) == [("melody", 0), ("chords", 0), ("bass", 33)]


# --- determinism and seeds ----------------------------------------------------------------

@pytest.mark.parametrize("text", [row[0] for row in BRIEFS[:20]])
def test_same_input_same_brief(text):
    assert parse_brief(text) == parse_brief(text)
    assert parse_brief(text).model_dump_json() == parse_brief(text).model_dump_json()


def test_the_default_seed_is_a_stable_hash_of_the_text():
    # SHA-256 of the normalised text, so this number never changes between runs.
    assert parse_brief("A melancholic waltz").seed == parse_brief("a  MELANCHOLIC waltz").seed
    assert parse_brief("a waltz").seed != parse_brief("a jig").seed
    assert parse_brief("").seed == 3820012610


def test_seed_sources_in_order():
    assert parse_brief("a waltz", seed=5).seed == 5
    assert parse_brief("a waltz", BriefOverrides(seed=9), seed=5).seed == 5
    assert parse_brief("a waltz", BriefOverrides(seed=9)).seed == 9
    assert parse_brief("a waltz, seed 42").seed == 42
    assert parse_brief("a waltz, seed: 42", BriefOverrides(seed=9)).seed == 9
    assert parse_brief("a waltz", seed=5).understood["seed"] == "argument"


def test_seed_argument_out_of_range():
    with pytest.raises(ValueError, match="seed must be between"):
        parse_brief("a waltz", seed=-1)
    with pytest.raises(ValueError, match="seed must be between"):
        parse_brief("a waltz", seed=2**32)


def test_the_seed_does_not_change_the_reading():
    """Only the form may differ: with none named, each seed takes one of the style's."""
    a, b = parse_brief(TEXT, seed=1), parse_brief(TEXT, seed=2)
    assert a.model_copy(update={"seed": 0, "form": []}) == b.model_copy(
        update={"seed": 0, "form": []})
    assert sum(s.bars for s in a.form) == sum(s.bars for s in b.form) == a.bars


# --- robustness ---------------------------------------------------------------------------

def test_too_long_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="at most 2000 characters"):
        parse_brief(" ".join(["piano"] * 10_000))
    with pytest.raises(ValueError, match=r"got 2001"):
        parse_brief("x" * (MAX_BRIEF_CHARS + 1))


def test_exactly_the_limit_parses():
    brief = parse_brief(("a sad waltz for piano " * 200)[:MAX_BRIEF_CHARS])
    assert (brief.style, brief.mood) == (Style.WALTZ, Mood.MELANCHOLIC)


def test_not_text_is_a_type_error():
    with pytest.raises(TypeError):
        parse_brief(b"a waltz")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "\x00\x01\x02\x1b[31m\x7f", "\ud800\udfff lone surrogates", "ﷺ" * 2000, "⑳" * 2000,
    "İ" * 2000, "9" * 2000, "/" * 2000, ":" * 2000, "#b" * 1000, "a " * 1000,
    "no " * 666, "in " * 666, "AABA " * 400, "intro " * 333, "8-bar intro " * 166,
    "1:30 " * 400, "99:99", "0 minutes", "0:00", "seed 99999999999", "tempo 0",
    "0/0", "32/32", "33/4", "3/64", "Cb major", "B# minor", "Fb", "E## major",
    "\u202e reversed \u202c", "🎹🎻🥁 piano violin drums", "ピアノ", "piano\u200bstrings",
    "\U0001d7d7\U0001d7ce bpm", "\uff50\uff49\uff41\uff4e\uff4f", "\t\n\r\v\f", "-" * 2000,
    "'" * 2000,
])
def test_hostile_strings_parse(text):
    brief = parse_brief(text)
    assert Brief.model_validate(brief.model_dump()) == brief
    assert sum(section.bars for section in brief.form) == brief.bars


def test_fullwidth_and_mathematical_digits_are_digits():
    # Mathematical bold "90" and full-width "piano", written as escapes.
    assert parse_brief("\U0001d7d7\U0001d7ce bpm").tempo == 90
    assert parse_brief("\uff50\uff49\uff41\uff4e\uff4f").instruments[0].program == 0


def _random_text(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # any code point, surrogates and unassigned ones included
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(200)))
    if kind == 1:  # control characters and punctuation between real words
        pool = [*string.punctuation, *map(chr, range(32)), " ", "in", "D", "minor", "bpm",
                "90", "3/4", "bars", "piano", "no", "with", "AABA", "#", "b"]
        return "".join(rng.choice(pool) for _ in range(rng.randrange(400)))
    phrases = [*PHRASES, "in F#", "Dm", "120 bpm", "6/8", "16 bars", "2 minutes", "no", "with"]
    return " ".join(rng.choice(phrases) for _ in range(rng.randrange(120)))[:MAX_BRIEF_CHARS]


@pytest.mark.parametrize("seed", range(40))
def test_random_text_never_crashes(seed):
    rng = random.Random(seed)
    for _ in range(25):
        text = _random_text(rng)
        brief = parse_brief(text)
        assert brief == parse_brief(text)
        assert 30 <= brief.tempo <= 300
        assert 1 <= brief.bars <= 512
        assert sum(section.bars for section in brief.form) == brief.bars
        assert 1 <= len(brief.instruments) <= 16
        assert Brief.model_validate_json(brief.model_dump_json()) == brief
