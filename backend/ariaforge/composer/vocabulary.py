"""Word tables for reading a brief: styles, moods, tempo words, instruments and sections.

Everything a word can mean lives here as data, so the parser in `brief` stays a handful of
small rules. Phrases are matched on their letters and digits only ("lo-fi", "lo fi" and
"lofi" are one key), which is what `phrase_key` computes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from ariaforge.composer.foreign_words import fold_letters
from ariaforge.music.score import Mode, Role


class Style(StrEnum):
    POP = "pop"
    ROCK = "rock"
    JAZZ = "jazz"
    SWING = "swing"
    BLUES = "blues"
    BOSSA_NOVA = "bossa-nova"
    FOLK = "folk"
    REEL = "reel"
    JIG = "jig"
    WALTZ = "waltz"
    MARCH = "march"
    CHORALE = "chorale"
    CLASSICAL = "classical"
    AMBIENT = "ambient"
    LOFI_HIP_HOP = "lofi-hip-hop"
    EDM = "edm"
    HOUSE = "house"
    FUNK = "funk"
    REGGAE = "reggae"
    TRAP = "trap"
    HIP_HOP = "hip-hop"
    TANGO = "tango"
    GOSPEL = "gospel"
    COUNTRY = "country"
    SAMBA = "samba"
    METAL = "metal"
    SYNTHWAVE = "synthwave"
    BALLAD = "ballad"
    LULLABY = "lullaby"
    CAROL = "carol"
    CINEMATIC = "cinematic"
    CHIPTUNE = "chiptune"
    NOCTURNE = "nocturne"
    BAROQUE = "baroque"
    CELTIC = "celtic"


class Mood(StrEnum):
    NEUTRAL = "neutral"
    HAPPY = "happy"
    MELANCHOLIC = "melancholic"
    CALM = "calm"
    ENERGETIC = "energetic"
    DARK = "dark"
    DREAMY = "dreamy"
    EPIC = "epic"
    ROMANTIC = "romantic"
    PLAYFUL = "playful"


# Dances name a feel (meter, swing, pace) as much as a genre: in "jazz waltz" or "rock
# march" the genre is the style and the dance only brings its meter; in "jazz ballad" or
# "country ballad" the ballad brings a slow tempo (`SLOW_DANCE`).
DANCES: Final = frozenset({Style.WALTZ, Style.MARCH, Style.JIG, Style.REEL, Style.SWING,
                           Style.BALLAD})
SLOW_DANCE: Final = Style.BALLAD
# ...except where the dance is the more specific name for the same music: an Irish jig is a
# folk tune, and a waltz or march is a classical form.
DANCE_REFINES: Final = {
    Style.FOLK: frozenset({Style.REEL, Style.JIG, Style.WALTZ, Style.MARCH}),
    Style.CLASSICAL: frozenset({Style.WALTZ, Style.MARCH}),
    Style.CELTIC: frozenset({Style.REEL, Style.JIG, Style.WALTZ, Style.MARCH}),
}
# (A "country waltz" stays country, in 3/4: the band's boom-chick becomes boom-chick-chick.)

PHRASE_BARS: Final = 4  # bars in one phrase: lengths derived from durations round to these

Sections = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class StyleProfile:
    """What a style implies when the brief does not say. Tempi are quarter-note bpm, the
    unit of `Score.tempo`, so a jig's 174 is a dotted quarter of 116."""

    tempo_range: tuple[int, int]
    tempo: int
    meter: tuple[int, int]
    swing: bool
    major_tonic: str
    minor_tonic: str
    energy: float
    intro: Sections
    body: Sections  # repeated to fill the piece
    outro: Sections
    ensemble: tuple[str, ...]  # instrument phrases from `INSTRUMENTS`
    validation_style: str  # a style name of `ariaforge.music.validation`
    bars: int  # the usual length: the frame and the body repeated as often as it fits
    section_bars: int = 0  # if set, the length of every body section (a 12-bar blues)
    # Other (intro, body, outro) forms the style plays, one of which a seed may take
    # when the brief names no form; the length stays the brief's.
    other_forms: tuple[tuple[Sections, Sections, Sections], ...] = ()
    # The mode the style is played in when neither the brief nor its mood names one:
    # metal and trap are minor, a celtic tune mixolydian.
    mode: Mode = Mode.MAJOR

    @property
    def forms(self) -> tuple[tuple[Sections, Sections, Sections], ...]:
        """Every form the style may take: its usual one first."""
        return ((self.intro, self.body, self.outro), *self.other_forms)


def _profile(tempo: tuple[int, int, int], meter: tuple[int, int], swing: bool,
             tonics: tuple[str, str], energy: float, form: tuple[Sections, Sections, Sections],
             ensemble: tuple[str, ...], validation: str, bars: int,
             section_bars: int = 0,
             others: tuple[tuple[Sections, Sections, Sections], ...] = (),
             mode: Mode = Mode.MAJOR) -> StyleProfile:
    low, default, high = tempo
    intro, body, outro = form
    return StyleProfile((low, high), default, meter, swing, tonics[0], tonics[1], energy,
                        intro, body, outro, ensemble, validation, bars, section_bars, others,
                        mode)


_SONG: Final = ((("intro", 4),), (("verse", 8), ("chorus", 8)), (("outro", 4),))
_AABA: Final = ((), (("A", 8), ("A", 8), ("B", 8), ("A", 8)), ())
_AABB: Final = ((), (("A", 8), ("A", 8), ("B", 8), ("B", 8)), ())
# Alternatives a seed may take where the style knows more than one form.
_LONG_INTRO_SONG: Final = ((("intro", 8),), (("verse", 8), ("chorus", 8)), (("outro", 4),))
_SONG_BRIDGE: Final = ((("intro", 4),), (("verse", 8), ("chorus", 8), ("bridge", 8),
                                         ("chorus", 8)), (("outro", 4),))
_FRAMED_AABA: Final = ((("intro", 4),), _AABA[1], (("outro", 4),))
_ABAC: Final = ((), (("A", 8), ("B", 8), ("A", 8), ("C", 8)), ())
_BAND: Final = ("bass", "drums")
# A groove tune that rides one vamp before its chorus (funk).
_VAMP_SONG: Final = ((("intro", 4),), (("A", 8), ("A", 8), ("B", 8)), (("outro", 4),))

_STYLE_PROFILES: Final[dict[Style, StyleProfile]] = {
    Style.POP: _profile((80, 110, 130), (4, 4), False, ("C", "A"), 0.6, _SONG,
                        ("synth lead", "piano", *_BAND), "pop", 40,
                        others=(_LONG_INTRO_SONG, _SONG_BRIDGE, _FRAMED_AABA)),
    Style.ROCK: _profile((100, 124, 160), (4, 4), False, ("E", "E"), 0.8, _SONG,
                         ("lead guitar", "rhythm guitar", *_BAND), "rock", 40,
                         others=(_LONG_INTRO_SONG,
                                 ((("intro", 4),), (("verse", 8), ("chorus", 8),
                                                   ("solo", 8)), (("outro", 4),)))),
    Style.JAZZ: _profile((90, 132, 200), (4, 4), True, ("F", "D"), 0.5, _AABA,
                         ("tenor sax", "piano", *_BAND), "jazz", 32, others=(_ABAC,)),
    Style.SWING: _profile((120, 160, 220), (4, 4), True, ("Bb", "G"), 0.7, _AABA,
                          ("trumpet", "piano", *_BAND), "jazz", 32,
                          others=(_ABAC, _FRAMED_AABA)),
    Style.BLUES: _profile((60, 90, 130), (4, 4), True, ("A", "A"), 0.55,
                          ((), (("chorus", 12),), ()),
                          ("lead guitar", "piano", *_BAND), "blues", 24, section_bars=12,
                          others=(((("intro", 4),), (("chorus", 12),), ()),)),
    Style.BOSSA_NOVA: _profile((110, 132, 150), (4, 4), False, ("F", "D"), 0.4, _ABAC,
                               ("flute", "nylon guitar", *_BAND), "jazz", 32,
                               others=(_AABA, ((("intro", 4),), _ABAC[1], ()))),
    Style.FOLK: _profile((80, 100, 130), (4, 4), False, ("G", "E"), 0.45,
                         ((), (("verse", 8), ("chorus", 8)), ()),
                         ("fiddle", "acoustic guitar", "bass"), "folk", 32,
                         others=(_AABB, ((("intro", 4),), (("verse", 8), ("chorus", 8)),
                                         ()))),
    Style.REEL: _profile((180, 212, 240), (4, 4), False, ("D", "E"), 0.75, _AABB,
                         ("fiddle", "flute", "acoustic guitar"), "folk", 32),
    Style.JIG: _profile((150, 174, 200), (6, 8), False, ("D", "E"), 0.7, _AABB,
                        ("flute", "fiddle", "acoustic guitar"), "folk", 32),
    Style.WALTZ: _profile((84, 150, 192), (3, 4), False, ("F", "D"), 0.45, _AABA,
                          ("violin", "piano", "cello"), "classical", 32,
                          others=(((("intro", 4),), (("A", 8), ("B", 8), ("A", 8)), ()),)),
    Style.MARCH: _profile((100, 120, 132), (2, 4), False, ("Bb", "G"), 0.7,
                          ((("intro", 4),), (("A", 16), ("B", 16)), ()),
                          ("trumpet", "brass", "tuba", "drums"), "classical", 36,
                          others=(((("intro", 4),), _AABB[1], ()),)),
    Style.CHORALE: _profile((56, 72, 96), (4, 4), False, ("G", "D"), 0.35,
                            ((), (("A", 4), ("B", 4), ("C", 4), ("D", 4)), ()),
                            ("satb",), "chorale", 16),
    Style.CLASSICAL: _profile((60, 100, 160), (4, 4), False, ("C", "A"), 0.5,
                              ((), (("A", 8), ("B", 8), ("A", 8)), ()),
                              ("string quartet",), "classical", 24,
                              others=(((), (("A", 8), ("B", 8), ("A", 8), ("C", 8), ("A", 8)),
                                       ()),  # a rondo
                                      ((), (("A", 8), ("A", 8), ("B", 8), ("B", 8)), ()))),
    Style.AMBIENT: _profile((50, 70, 90), (4, 4), False, ("D", "D"), 0.2,
                            ((("intro", 8),), (("A", 16), ("B", 16)), (("outro", 8),)),
                            ("piano", "warm pad"), "electronic", 48,
                            others=(((("intro", 4),), (("A", 8), ("B", 8)), (("outro", 4),)),)),
    Style.LOFI_HIP_HOP: _profile((70, 80, 95), (4, 4), True, ("F", "D"), 0.35,
                                 ((("intro", 4),), (("A", 8), ("B", 8)), (("outro", 4),)),
                                 ("vibraphone", "electric piano", *_BAND), "jazz", 32,
                                 others=(((("intro", 4),), _AABA[1], ()),
                                         ((("intro", 8),), (("A", 8), ("B", 8)), ()))),
    Style.EDM: _profile((120, 128, 150), (4, 4), False, ("C", "F"), 0.85,
                        ((("intro", 8),), (("build", 8), ("drop", 16), ("breakdown", 8)),
                         (("outro", 8),)),
                        ("synth lead", "synth pad", "synth bass", "drums"), "electronic", 72,
                        others=(((("intro", 8),), (("breakdown", 8), ("build", 8),
                                                   ("drop", 16)), (("outro", 8),)),
                                ((("intro", 4),), (("build", 4), ("drop", 8),
                                                   ("breakdown", 4)), (("outro", 4),)))),
    Style.HOUSE: _profile((118, 124, 130), (4, 4), False, ("C", "A"), 0.75,
                          ((("intro", 8),), (("drop", 16), ("breakdown", 8)), (("outro", 8),)),
                          ("synth lead", "piano", "synth bass", "drums"), "electronic", 56,
                          others=(((("intro", 16),), (("drop", 16), ("breakdown", 8)),
                                   (("outro", 8),)),
                                  ((("intro", 8),), (("drop", 8), ("breakdown", 8)),
                                   (("outro", 8),)))),
    # --- the styles of issue 13 -----------------------------------------------------------
    Style.FUNK: _profile((90, 104, 120), (4, 4), False, ("E", "E"), 0.75, _SONG,
                         ("trumpet", "clavinet", "slap bass", "drums"), "jazz", 40,
                         others=(_VAMP_SONG, _SONG_BRIDGE), mode=Mode.MINOR),
    Style.REGGAE: _profile((60, 76, 96), (4, 4), False, ("G", "A"), 0.5, _SONG,
                           ("melodica", "electric guitar", *_BAND), "pop", 40,
                           others=(_LONG_INTRO_SONG, _SONG_BRIDGE)),
    # Trap is written at its full tempo (130-160) with the snare on beat 3: the half-time
    # feel lives in the drums, the hi-hats run at the written tempo.
    Style.TRAP: _profile((130, 140, 160), (4, 4), False, ("C", "C"), 0.7, _SONG,
                         ("synth lead", "synth pad", "808 bass", "drums"), "electronic", 40,
                         others=(_LONG_INTRO_SONG,), mode=Mode.MINOR),
    Style.HIP_HOP: _profile((80, 90, 100), (4, 4), True, ("F", "D"), 0.6, _SONG,
                            ("muted trumpet", "rhodes", *_BAND), "pop", 40,
                            others=(_LONG_INTRO_SONG, _SONG_BRIDGE)),
    Style.TANGO: _profile((96, 116, 132), (4, 4), False, ("G", "D"), 0.65, _ABAC,
                          ("bandoneon", "violin", "piano", "double bass"), "classical", 32,
                          others=(_AABB, ((("intro", 4),), (("A", 8), ("B", 8)), ())),
                          mode=Mode.MINOR),
    Style.GOSPEL: _profile((60, 80, 130), (4, 4), True, ("Ab", "F"), 0.65, _SONG,
                           ("choir", "piano", "drums"), "pop", 40,
                           others=(_SONG_BRIDGE, _LONG_INTRO_SONG)),
    Style.COUNTRY: _profile((80, 110, 150), (4, 4), False, ("G", "E"), 0.6, _SONG,
                            ("fiddle", "acoustic guitar", *_BAND), "folk", 40,
                            others=(_SONG_BRIDGE, _LONG_INTRO_SONG)),
    # Samba is felt in two: a 2/4 bar of two quarter beats, the surdo answering on 2.
    Style.SAMBA: _profile((90, 104, 140), (2, 4), False, ("C", "A"), 0.8,
                          ((("intro", 4),), (("A", 16), ("B", 16)), ()),
                          ("flute", "nylon guitar", *_BAND), "jazz", 36,
                          others=(((("intro", 4),), _AABB[1], ()),)),
    Style.METAL: _profile((100, 140, 200), (4, 4), False, ("E", "E"), 0.95, _SONG,
                          ("overdriven guitar", "distorted guitar", *_BAND), "rock", 40,
                          others=(((("intro", 4),), (("verse", 8), ("chorus", 8),
                                                    ("solo", 8)), (("outro", 4),)),
                                  _LONG_INTRO_SONG), mode=Mode.MINOR),
    Style.SYNTHWAVE: _profile((80, 100, 118), (4, 4), False, ("C", "A"), 0.65,
                              _LONG_INTRO_SONG,
                              ("saw lead", "synth pad", "synth bass", "drums"), "electronic",
                              44, others=(_SONG, _SONG_BRIDGE), mode=Mode.MINOR),
    Style.BALLAD: _profile((60, 72, 84), (4, 4), False, ("Eb", "C"), 0.4, _SONG,
                           ("voice", "piano", "strings", "bass"), "pop", 40,
                           others=(_SONG_BRIDGE, _FRAMED_AABA)),
    Style.LULLABY: _profile((60, 66, 80), (3, 4), False, ("F", "D"), 0.2,
                            ((), (("A", 8), ("B", 8)), ()),
                            ("music box", "harp"), "folk", 32,
                            others=(((), _AABA[1], ()),)),
    Style.CAROL: _profile((72, 92, 112), (4, 4), False, ("G", "E"), 0.45,
                          ((), (("verse", 8), ("refrain", 8)), ()),
                          ("satb", "church organ"), "chorale", 32,
                          others=(((("intro", 4),), (("verse", 8), ("refrain", 8)), ()),)),
    Style.CINEMATIC: _profile((60, 84, 120), (4, 4), False, ("D", "D"), 0.6,
                              ((("intro", 4),), (("A", 8), ("B", 8)), (("coda", 4),)),
                              ("french horn", "strings", "piano", "timpani"), "classical", 40,
                              others=(((("intro", 8),), (("A", 8), ("B", 8), ("build", 8)),
                                       (("coda", 4),)),), mode=Mode.MINOR),
    Style.CHIPTUNE: _profile((120, 150, 180), (4, 4), False, ("C", "A"), 0.8, _SONG,
                             ("square lead", "synth bass", "drums"), "electronic", 40,
                             others=(_AABB, _SONG_BRIDGE)),
    Style.NOCTURNE: _profile((50, 66, 80), (4, 4), False, ("Eb", "C#"), 0.3,
                             ((), (("A", 8), ("B", 8), ("A", 8)), (("coda", 4),)),
                             ("piano",), "classical", 28,
                             others=(((), (("A", 8), ("A", 8), ("B", 8), ("A", 8)), ()),)),
    Style.BAROQUE: _profile((72, 96, 120), (4, 4), False, ("G", "D"), 0.55, _AABB,
                            ("violin", "harpsichord", "cello"), "classical", 32,
                            others=(((), (("A", 8), ("B", 8), ("A", 8)), ()),)),
    Style.CELTIC: _profile((90, 112, 132), (4, 4), False, ("D", "E"), 0.6, _AABB,
                           ("fiddle", "tin whistle", "acoustic guitar", "bodhran"), "folk", 32,
                           others=(((("intro", 4),), _AABB[1], ()),), mode=Mode.MIXOLYDIAN),
}

STYLE_PROFILES: Final[Mapping[Style, StyleProfile]] = _STYLE_PROFILES


@dataclass(frozen=True)
class MoodProfile:
    mode: Mode | None  # the mode a mood suggests when no key is named
    tempo: float | None  # position within the style's tempo range, 0 = slowest
    energy: float | None


MOOD_PROFILES: Final[Mapping[Mood, MoodProfile]] = {
    Mood.NEUTRAL: MoodProfile(None, None, None),
    Mood.HAPPY: MoodProfile(Mode.MAJOR, 0.65, 0.7),
    Mood.MELANCHOLIC: MoodProfile(Mode.MINOR, 0.3, 0.35),
    Mood.CALM: MoodProfile(None, 0.25, 0.2),
    Mood.ENERGETIC: MoodProfile(None, 0.85, 0.9),
    Mood.DARK: MoodProfile(Mode.MINOR, 0.45, 0.6),
    Mood.DREAMY: MoodProfile(Mode.MAJOR, 0.3, 0.3),
    Mood.EPIC: MoodProfile(Mode.MINOR, 0.6, 0.85),
    Mood.ROMANTIC: MoodProfile(Mode.MAJOR, 0.35, 0.4),
    Mood.PLAYFUL: MoodProfile(Mode.MAJOR, 0.7, 0.65),
}

# --- phrase entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class StyleWord:
    style: Style
    meter: tuple[int, int] | None = None  # a style word that fixes a meter (minuet: 3/4)


@dataclass(frozen=True)
class MoodWord:
    mood: Mood


@dataclass(frozen=True)
class TempoWord:
    """A tempo range: fractions of the style's range, or absolute bpm (Italian terms)."""

    low: float
    high: float
    absolute: bool = False


@dataclass(frozen=True)
class EnergyWord:
    delta: float


@dataclass(frozen=True)
class SwingWord:
    swing: bool


@dataclass(frozen=True)
class SimpleWord:
    """"simple", "for beginners", "exercise": a melody a learner can sing or play."""


@dataclass(frozen=True)
class ModeWord:
    mode: Mode


@dataclass(frozen=True)
class MeterWord:
    numerator: int
    denominator: int


@dataclass(frozen=True)
class SectionWord:
    name: str


@dataclass(frozen=True)
class FormWord:
    sections: tuple[str, ...]


@dataclass(frozen=True)
class SoloWord:
    """"solo", "unaccompanied": the named instruments are the whole ensemble."""


@dataclass(frozen=True)
class Voice:
    """One track an instrument word asks for. `roles` are in order of preference; a
    `fixed` voice (a part of a named ensemble) always takes its first role."""

    program: int
    roles: tuple[Role, ...]
    name: str | None = None  # None: the General MIDI name of the program
    by_style: Mapping[Style, int] = field(default_factory=dict)
    is_drum: bool = False
    fixed: bool = False

    def program_for(self, style: Style) -> int:
        return self.by_style.get(style, self.program)


@dataclass(frozen=True)
class InstrumentWord:
    voices: tuple[Voice, ...]


Entry = (StyleWord | MoodWord | TempoWord | EnergyWord | SwingWord | SimpleWord | ModeWord
         | MeterWord | SectionWord | FormWord | SoloWord | InstrumentWord)


def phrase_key(phrase: str) -> str:
    """The lookup key of a phrase: its lower-case letters and digits, accents folded
    ("bodhrán" and "bodhran" are one key), nothing else."""
    return re.sub(r"[^0-9a-z]", "", fold_letters(phrase.lower()))


# --- styles, moods, tempo, feel -----------------------------------------------------------

_STYLE_ALIASES: Final[Mapping[Style, tuple[str, ...]]] = {
    Style.POP: ("pop", "pop song", "synth pop", "indie pop", "k pop", "j pop", "power pop",
                "r&b", "rnb", "soul"),
    Style.ROCK: ("rock", "rock and roll", "rock n roll", "rock'n'roll", "hard rock", "punk",
                 "punk rock", "grunge", "indie rock", "alt rock",
                 "alternative rock", "pop rock", "soft rock"),
    Style.JAZZ: ("jazz", "jazzy", "bebop", "bop", "cool jazz", "smooth jazz", "jazz standard",
                 "fusion"),
    Style.SWING: ("swing", "big band", "swing era"),
    Style.BLUES: ("blues", "bluesy", "delta blues", "chicago blues"),
    Style.BOSSA_NOVA: ("bossa nova", "bossa"),
    Style.FOLK: ("folk", "folk song", "folky", "americana", "shanty", "sea shanty",
                 "children's song", "childrens song", "kids song", "nursery rhyme"),
    Style.REEL: ("reel",),
    Style.JIG: ("jig",),
    Style.WALTZ: ("waltz", "valse", "viennese waltz"),
    Style.MARCH: ("march", "military march", "marching band"),
    Style.CHORALE: ("chorale", "hymn", "bach chorale"),
    Style.CLASSICAL: ("classical", "sonata", "sonatina"),
    Style.AMBIENT: ("ambient", "drone", "soundscape", "new age", "meditation",
                    "meditation music", "relaxation music", "spa music"),
    Style.LOFI_HIP_HOP: ("lofi", "lo-fi", "lofi hip hop", "lo-fi hip-hop", "chillhop",
                         "trip hop", "lofi beats"),
    Style.EDM: ("edm", "electronic", "electronica", "techno", "trance", "dubstep",
                "drum and bass", "drum & bass", "dnb", "electro",
                "dance music"),
    Style.HOUSE: ("house", "deep house", "tech house", "progressive house", "disco"),
    Style.FUNK: ("funk", "funky", "p funk", "funk groove", "jazz funk"),
    Style.REGGAE: ("reggae", "roots reggae", "one drop", "dub", "rocksteady", "ska",
                   "dancehall"),
    Style.TRAP: ("trap", "trap beat", "drill", "808 trap"),
    Style.HIP_HOP: ("hip hop", "hip-hop", "boom bap", "rap", "rap beat", "hip hop beat",
                    "old school hip hop"),
    Style.TANGO: ("tango", "argentine tango", "tango nuevo", "milonga"),
    Style.GOSPEL: ("gospel", "spiritual", "gospel choir", "black gospel", "praise and worship"),
    Style.COUNTRY: ("country", "bluegrass", "country and western",
                    "country song"),
    Style.SAMBA: ("samba", "batucada", "samba enredo", "pagode"),
    Style.METAL: ("metal", "heavy metal", "thrash", "thrash metal", "death metal",
                  "power metal", "metalcore", "doom metal"),
    Style.SYNTHWAVE: ("synthwave", "synth wave", "retrowave", "outrun", "80s synth",
                      "vaporwave"),
    Style.BALLAD: ("ballad", "power ballad", "pop ballad", "rock ballad", "love ballad",
                   "piano ballad"),
    Style.LULLABY: ("lullaby", "cradle song", "berceuse", "bedtime song"),
    Style.CAROL: ("carol", "christmas carol", "christmas song", "christmas hymn",
                  "noel"),
    Style.CINEMATIC: ("cinematic", "film score", "film music", "movie score",
                      "movie soundtrack", "soundtrack", "trailer music",
                      "orchestral score"),
    Style.CHIPTUNE: ("chiptune", "chip tune", "chip music", "8 bit", "8-bit",
                     "video game music", "game music", "retro game"),
    # "romantic piano" names the piano too: a nocturne's ensemble is that piano, alone.
    Style.NOCTURNE: ("nocturne", "romantic piano", "romantic piano piece", "night piece",
                     "chopin", "romantic piano ballad", "piano ballade"),
    Style.BAROQUE: ("baroque", "concerto grosso", "baroque suite"),
    Style.CELTIC: ("celtic", "irish", "scottish", "irish folk", "celtic folk", "gaelic"),
}
# Style words that also fix a meter.
_METERED_STYLES: Final = {"minuet": (Style.CLASSICAL, (3, 4)), "slip jig": (Style.JIG, (9, 8)),
                          "polka": (Style.FOLK, (2, 4)), "hornpipe": (Style.REEL, (4, 4)),
                          "sarabande": (Style.BAROQUE, (3, 4)),
                          "country waltz": (Style.COUNTRY, (3, 4)),
                          "gigue": (Style.BAROQUE, (6, 8))}

_MOOD_ALIASES: Final[Mapping[Mood, tuple[str, ...]]] = {
    Mood.NEUTRAL: ("neutral",),
    Mood.HAPPY: ("happy", "joyful", "joyous", "cheerful", "cheery", "bright", "sunny",
                 "uplifting", "jolly", "merry", "glad", "hopeful", "optimistic", "celebratory",
                 "festive", "feel good"),
    Mood.MELANCHOLIC: ("melancholic", "melancholy", "sad", "sorrowful", "mournful", "wistful",
                       "gloomy", "somber", "sombre", "lonely", "nostalgic", "bittersweet",
                       "heartbroken", "blue", "tragic", "longing", "yearning", "elegiac",
                       "tearful", "sorrow", "grief", "grieving"),
    Mood.CALM: ("calm", "peaceful", "serene", "tranquil", "relaxing", "soothing", "gentle",
                "mellow", "chill", "chilled", "meditative", "contemplative", "restful",
                "placid"),
    Mood.ENERGETIC: ("energetic", "driving", "powerful", "exciting", "excited", "vibrant",
                     "punchy", "intense", "high energy", "pumping", "aggressive", "fierce",
                     "wild"),
    Mood.DARK: ("dark", "ominous", "menacing", "sinister", "brooding", "eerie", "spooky",
                "scary", "creepy", "haunting", "tense", "suspenseful", "gothic", "grim",
                "foreboding", "mysterious", "angry"),
    Mood.DREAMY: ("dreamy", "dreamlike", "ethereal", "floating", "floaty", "hazy",
                  "atmospheric", "spacey", "spacy", "otherworldly", "magical", "mystical",
                  "airy", "lush"),
    Mood.EPIC: ("epic", "heroic", "triumphant", "majestic", "grand", "anthemic",
                "soaring", "victorious", "glorious", "bold"),
    Mood.ROMANTIC: ("romantic", "tender", "loving", "love song", "intimate", "sensual",
                    "passionate", "sweet", "affectionate", "warm"),
    Mood.PLAYFUL: ("playful", "whimsical", "quirky", "fun", "funny", "silly", "bouncy",
                   "cheeky", "mischievous", "light hearted", "jaunty", "carefree", "cute"),
}

# Fractions of the style's tempo range; the midpoint is the tempo chosen.
SLOW: Final = TempoWord(0.1, 0.3)  # "slow": the style's slow end (see `_TEMPO_WORDS`)
_TEMPO_WORDS: Final[Mapping[tuple[float, float], tuple[str, ...]]] = {
    (0.0, 0.15): ("very slow", "really slow", "super slow", "glacial"),
    (0.1, 0.3): ("slow", "slowly", "downtempo", "unhurried", "slow tempo"),
    (0.25, 0.45): ("laid back", "relaxed", "easy", "easygoing", "easy going", "leisurely",
                   "lazy"),
    (0.4, 0.6): ("moderate", "moderately", "medium", "medium tempo", "mid tempo",
                 "moderate tempo", "steady"),
    (0.6, 0.8): ("upbeat", "up tempo", "lively", "brisk"),
    (0.75, 0.9): ("fast", "quick", "quickly", "rapid", "speedy", "fast paced"),
    (0.9, 1.0): ("very fast", "really fast", "super fast", "blazing", "frantic", "breakneck"),
}
# Italian tempo marks name absolute ranges, whatever the style.
_TEMPO_MARKS: Final[Mapping[str, tuple[int, int]]] = {
    "grave": (35, 45), "largo": (45, 60), "lento": (50, 60), "larghetto": (60, 66),
    "adagio": (66, 76), "andante": (76, 108), "moderato": (108, 120),
    "allegretto": (112, 120), "allegro": (120, 156), "vivace": (156, 176),
    "presto": (168, 200), "prestissimo": (200, 240),
}
# A melody for a learner: a small range, mostly steps, plain rhythm (melody.rules).
_SIMPLE_WORDS: Final = ("simple", "very simple", "beginner", "beginners", "for beginners",
                        "beginner's", "exercise", "practice piece", "learner", "first lesson")
_ENERGY_WORDS: Final[Mapping[str, float]] = {
    "soft": -0.2, "quiet": -0.2, "delicate": -0.2, "subtle": -0.15, "sparse": -0.15,
    "minimal": -0.15, "loud": 0.2, "heavy": 0.2, "big": 0.15, "dense": 0.1, "hard": 0.2,
}
_SWING_WORDS: Final[Mapping[str, bool]] = {
    "swung": True, "swinging": True, "shuffle": True, "shuffled": True, "swing feel": True,
    "swing eighths": True, "swung eighths": True, "triplet feel": True,
    "straight": False, "straight eighths": False, "straight feel": False, "no swing": False,
    "even eighths": False, "unswung": False,
}
_MODE_WORDS: Final[Mapping[Mode, tuple[str, ...]]] = {
    Mode.MAJOR: ("major", "major key"), Mode.MINOR: ("minor", "minor key"),
    Mode.IONIAN: ("ionian",), Mode.DORIAN: ("dorian",), Mode.PHRYGIAN: ("phrygian",),
    Mode.LYDIAN: ("lydian",), Mode.MIXOLYDIAN: ("mixolydian",), Mode.AEOLIAN: ("aeolian",),
    Mode.LOCRIAN: ("locrian",),
}
_METER_WORDS: Final = {"common time": (4, 4), "cut time": (2, 2), "alla breve": (2, 2),
                       "triple time": (3, 4), "triple meter": (3, 4), "duple time": (2, 4)}
_SOLO_WORDS: Final = ("solo", "unaccompanied", "alone", "only")

# --- form ---------------------------------------------------------------------------------

# Section names and their usual lengths in bars. Keys are the names a brief returns.
SECTION_BARS: Final[Mapping[str, int]] = {
    "intro": 4, "verse": 8, "pre-chorus": 4, "chorus": 8, "refrain": 8, "bridge": 8,
    "middle eight": 8, "interlude": 4, "break": 4, "breakdown": 8, "build": 8, "drop": 16,
    "trio": 16, "outro": 4, "coda": 4, "A": 8, "B": 8, "C": 8, "D": 8,
}
FRAME_START: Final = frozenset({"intro"})
FRAME_END: Final = frozenset({"outro", "coda"})
SECTION_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "intro": ("intro", "introduction"), "verse": ("verse",),
    "pre-chorus": ("pre-chorus", "prechorus"), "chorus": ("chorus",), "refrain": ("refrain",),
    "bridge": ("bridge",), "middle eight": ("middle eight", "middle 8"),
    "interlude": ("interlude",), "break": ("break",), "breakdown": ("breakdown",),
    "build": ("build", "build up", "buildup", "build-up"), "drop": ("drop",),
    "trio": ("trio",), "outro": ("outro", "ending"), "coda": ("coda",),
}
_FORM_WORDS: Final = {"binary": ("A", "B"), "binary form": ("A", "B"),
                      "ternary": ("A", "B", "A"), "ternary form": ("A", "B", "A"),
                      "rondo": ("A", "B", "A", "C", "A"), "song form": ("A", "A", "B", "A")}


# --- the word entries ---------------------------------------------------------------------


def word_entries() -> list[tuple[str, Entry]]:
    """Every (phrase, meaning) pair of the tables above; instruments live in `instruments`
    and the whole phrase table is assembled in `phrases`."""
    entries: list[tuple[str, Entry]] = []
    for style, aliases in _STYLE_ALIASES.items():
        entries += [(alias, StyleWord(style)) for alias in aliases]
    entries += [(alias, StyleWord(style, meter))
                for alias, (style, meter) in _METERED_STYLES.items()]
    for mood, aliases in _MOOD_ALIASES.items():
        entries += [(alias, MoodWord(mood)) for alias in aliases]
    for (low, high), aliases in _TEMPO_WORDS.items():
        entries += [(alias, TempoWord(low, high)) for alias in aliases]
    entries += [(mark, TempoWord(low, high, absolute=True))
                for mark, (low, high) in _TEMPO_MARKS.items()]
    entries += [(word, EnergyWord(delta)) for word, delta in _ENERGY_WORDS.items()]
    entries += [(word, SwingWord(swing)) for word, swing in _SWING_WORDS.items()]
    entries += [(word, SimpleWord()) for word in _SIMPLE_WORDS]
    for mode, aliases in _MODE_WORDS.items():
        entries += [(alias, ModeWord(mode)) for alias in aliases]
    entries += [(word, MeterWord(*meter)) for word, meter in _METER_WORDS.items()]
    for name, aliases in SECTION_ALIASES.items():
        entries += [(alias, SectionWord(name)) for alias in aliases]
    entries += [(word, FormWord(sections)) for word, sections in _FORM_WORDS.items()]
    entries += [(word, SoloWord()) for word in _SOLO_WORDS]
    return entries


# Section phrases as regular-expression alternatives, longest first, for "8-bar intro".
SECTION_PATTERN: Final = "|".join(
    sorted({r"[\s-]*".join(re.escape(w) for w in re.findall(r"[0-9a-z]+", alias))
            for aliases in SECTION_ALIASES.values() for alias in aliases},
           key=lambda p: (-len(p), p)))
SECTION_BY_KEY: Final = {phrase_key(alias): name for name, aliases in SECTION_ALIASES.items()
                         for alias in aliases}
