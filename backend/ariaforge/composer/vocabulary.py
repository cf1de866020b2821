"""Word tables for reading a brief: styles, moods, tempo words, instruments and sections.

Everything a word can mean lives here as data, so the parser in `brief` stays a handful of
small rules. Phrases are matched on their letters and digits only ("lo-fi", "lo fi" and
"lofi" are one key), which is what `phrase_key` computes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

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


# Dances name a feel (meter, swing) as much as a genre: in "jazz waltz" or "rock march" the
# genre is the style and the dance only brings its meter.
DANCES: Final = frozenset({Style.WALTZ, Style.MARCH, Style.JIG, Style.REEL, Style.SWING})
# ...except where the dance is the more specific name for the same music: an Irish jig is a
# folk tune, and a waltz or march is a classical form.
DANCE_REFINES: Final = {
    Style.FOLK: frozenset({Style.REEL, Style.JIG, Style.WALTZ, Style.MARCH}),
    Style.CLASSICAL: frozenset({Style.WALTZ, Style.MARCH}),
}

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

    @property
    def forms(self) -> tuple[tuple[Sections, Sections, Sections], ...]:
        """Every form the style may take: its usual one first."""
        return ((self.intro, self.body, self.outro), *self.other_forms)


def _profile(tempo: tuple[int, int, int], meter: tuple[int, int], swing: bool,
             tonics: tuple[str, str], energy: float, form: tuple[Sections, Sections, Sections],
             ensemble: tuple[str, ...], validation: str, bars: int,
             section_bars: int = 0,
             others: tuple[tuple[Sections, Sections, Sections], ...] = ()) -> StyleProfile:
    low, default, high = tempo
    intro, body, outro = form
    return StyleProfile((low, high), default, meter, swing, tonics[0], tonics[1], energy,
                        intro, body, outro, ensemble, validation, bars, section_bars, others)


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

STYLE_PROFILES: Final[Mapping[Style, StyleProfile]] = {
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
}


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
    """The lookup key of a phrase: its lower-case letters and digits, nothing else."""
    return re.sub(r"[^0-9a-z]", "", phrase.lower())


# --- styles, moods, tempo, feel -----------------------------------------------------------

_STYLE_ALIASES: Final[Mapping[Style, tuple[str, ...]]] = {
    Style.POP: ("pop", "pop song", "synth pop", "indie pop", "k pop", "j pop", "power pop",
                "r&b", "rnb", "soul"),
    Style.ROCK: ("rock", "rock and roll", "rock n roll", "rock'n'roll", "hard rock", "punk",
                 "punk rock", "metal", "heavy metal", "grunge", "indie rock", "alt rock",
                 "alternative rock", "pop rock", "soft rock", "power ballad"),
    Style.JAZZ: ("jazz", "jazzy", "bebop", "bop", "cool jazz", "smooth jazz", "jazz standard",
                 "fusion"),
    Style.SWING: ("swing", "big band", "swing era"),
    Style.BLUES: ("blues", "bluesy", "delta blues", "chicago blues"),
    Style.BOSSA_NOVA: ("bossa nova", "bossa", "samba"),
    Style.FOLK: ("folk", "folk song", "folky", "celtic", "irish", "scottish", "country",
                 "americana", "bluegrass", "shanty", "sea shanty"),
    Style.REEL: ("reel",),
    Style.JIG: ("jig",),
    Style.WALTZ: ("waltz", "valse", "viennese waltz"),
    Style.MARCH: ("march", "military march", "marching band"),
    Style.CHORALE: ("chorale", "hymn", "bach chorale"),
    Style.CLASSICAL: ("classical", "baroque", "sonata", "sonatina", "romantic era"),
    Style.AMBIENT: ("ambient", "drone", "soundscape", "new age"),
    Style.LOFI_HIP_HOP: ("lofi", "lo-fi", "lofi hip hop", "lo-fi hip-hop", "chillhop",
                         "hip hop", "hip-hop", "boom bap", "trip hop", "lofi beats"),
    Style.EDM: ("edm", "electronic", "electronica", "techno", "trance", "dubstep",
                "drum and bass", "drum & bass", "dnb", "electro", "synthwave",
                "dance music"),
    Style.HOUSE: ("house", "deep house", "tech house", "progressive house", "disco"),
}
# Style words that also fix a meter.
_METERED_STYLES: Final = {"minuet": (Style.CLASSICAL, (3, 4)), "slip jig": (Style.JIG, (9, 8)),
                          "polka": (Style.FOLK, (2, 4)), "hornpipe": (Style.REEL, (4, 4))}

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
                "placid", "lullaby"),
    Mood.ENERGETIC: ("energetic", "driving", "powerful", "exciting", "excited", "vibrant",
                     "punchy", "intense", "high energy", "pumping", "aggressive", "fierce",
                     "wild"),
    Mood.DARK: ("dark", "ominous", "menacing", "sinister", "brooding", "eerie", "spooky",
                "scary", "creepy", "haunting", "tense", "suspenseful", "gothic", "grim",
                "foreboding", "mysterious", "angry"),
    Mood.DREAMY: ("dreamy", "dreamlike", "ethereal", "floating", "floaty", "hazy",
                  "atmospheric", "spacey", "spacy", "otherworldly", "magical", "mystical",
                  "airy", "lush"),
    Mood.EPIC: ("epic", "heroic", "triumphant", "majestic", "grand", "cinematic", "anthemic",
                "soaring", "victorious", "glorious", "bold"),
    Mood.ROMANTIC: ("romantic", "tender", "loving", "love song", "intimate", "sensual",
                    "passionate", "sweet", "affectionate", "warm"),
    Mood.PLAYFUL: ("playful", "whimsical", "quirky", "fun", "funny", "silly", "bouncy",
                   "cheeky", "mischievous", "light hearted", "jaunty", "carefree", "cute"),
}

# Fractions of the style's tempo range; the midpoint is the tempo chosen.
_TEMPO_WORDS: Final[Mapping[tuple[float, float], tuple[str, ...]]] = {
    (0.0, 0.15): ("very slow", "really slow", "super slow", "glacial"),
    (0.1, 0.3): ("slow", "slowly", "ballad", "downtempo", "unhurried", "slow tempo"),
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

# --- instruments --------------------------------------------------------------------------

# Short names keep the instrument table one entry a line.
_M, _C, _B, _D = Role.MELODY, Role.CHORDS, Role.BASS, Role.DRUMS
_P, _O = Role.PAD, Role.OTHER
_JAZZY: Final = (Style.JAZZ, Style.SWING, Style.LOFI_HIP_HOP)
_ACOUSTIC_BASS_STYLES: Final = (*_JAZZY, Style.BOSSA_NOVA, Style.FOLK, Style.REEL, Style.JIG,
                                Style.WALTZ)
_ORCHESTRAL: Final = (Style.CLASSICAL, Style.CHORALE, Style.MARCH)
_NYLON_STYLES: Final = (Style.CLASSICAL, Style.BOSSA_NOVA)


def _styles(styles: Iterable[Style], program: int) -> dict[Style, int]:
    return dict.fromkeys(styles, program)


def _voice(program: int, *roles: Role, name: str | None = None,
           by_style: Mapping[Style, int] | None = None) -> tuple[Voice, ...]:
    return (Voice(program, roles, name, dict(by_style or {})),)


_GUITAR: Final = {**_styles(_NYLON_STYLES, 24), **_styles((Style.JAZZ, Style.SWING), 26),
                  Style.ROCK: 30}
_ELECTRIC_GUITAR: Final = {**_styles(_JAZZY, 26), Style.ROCK: 30, Style.BLUES: 29}
_BASS: Final = {**_styles(_ACOUSTIC_BASS_STYLES, 32), **_styles(_ORCHESTRAL, 43),
                Style.EDM: 38, Style.HOUSE: 38}
_DRUMS: Final = (Voice(0, (_D,), "Drums", is_drum=True),)
_STRING_QUARTET: Final = (Voice(40, (_M,), "Violin I", fixed=True),
                          Voice(40, (_C,), "Violin II", fixed=True),
                          Voice(41, (_C,), "Viola", fixed=True),
                          Voice(42, (_B,), "Cello", fixed=True))
_SATB: Final = (Voice(52, (_M,), "Soprano", fixed=True), Voice(52, (_C,), "Alto", fixed=True),
                Voice(52, (_C,), "Tenor", fixed=True), Voice(52, (_B,), "Bass", fixed=True))

_INSTRUMENT_ALIASES: Final[Mapping[tuple[str, ...], tuple[Voice, ...]]] = {
    ("piano", "grand piano", "acoustic piano"): _voice(0, _C, _M, name="Piano"),
    ("keys", "keyboard"): _voice(0, _C, _M, by_style=_styles(_JAZZY, 4)),
    ("electric piano", "e piano", "epiano", "rhodes", "wurlitzer"): _voice(4, _C, _M),
    ("harpsichord",): _voice(6, _C, _M), ("celesta",): _voice(8, _M, _C),
    ("glockenspiel",): _voice(9, _M), ("music box",): _voice(10, _M),
    ("vibraphone", "vibes"): _voice(11, _M, _C), ("marimba",): _voice(12, _M, _C),
    ("xylophone",): _voice(13, _M), ("bells", "tubular bells"): _voice(14, _M),
    ("organ",): _voice(16, _C, _P, _M, by_style=_styles((Style.CHORALE, Style.CLASSICAL), 19)),
    ("hammond", "hammond organ"): _voice(16, _C, _P, _M),
    ("church organ", "pipe organ"): _voice(19, _C, _P, _M),
    ("accordion",): _voice(21, _M, _C), ("harmonica",): _voice(22, _M),
    ("guitar",): _voice(25, _C, _M, by_style=_GUITAR),
    ("acoustic guitar",): _voice(25, _C, _M, by_style=_styles(_NYLON_STYLES, 24)),
    ("nylon guitar", "classical guitar", "spanish guitar"): _voice(24, _C, _M),
    ("steel guitar", "folk guitar"): _voice(25, _C, _M),
    ("jazz guitar",): _voice(26, _C, _M), ("clean guitar",): _voice(27, _C, _M),
    ("electric guitar",): _voice(27, _C, _M, by_style=_ELECTRIC_GUITAR),
    ("overdriven guitar",): _voice(29, _M, _C),
    ("distorted guitar", "distortion guitar"): _voice(30, _C, _M),
    ("lead guitar",): _voice(27, _M, by_style={**_ELECTRIC_GUITAR, Style.ROCK: 29}),
    ("rhythm guitar",): _voice(27, _C, by_style=_ELECTRIC_GUITAR),
    ("bass",): _voice(33, _B, by_style=_BASS),
    ("bass guitar", "electric bass"): _voice(33, _B),
    ("upright bass", "acoustic bass", "double bass"): _voice(32, _B),
    ("contrabass",): _voice(43, _B), ("fretless bass",): _voice(35, _B),
    ("synth bass",): _voice(38, _B),
    ("violin",): _voice(40, _M, _C), ("fiddle",): _voice(40, _M, _C, name="Fiddle"),
    ("viola",): _voice(41, _C, _M), ("cello",): _voice(42, _B, _M, _C),
    ("harp",): _voice(46, _C, _M), ("timpani",): _voice(47, _O),
    ("pizzicato strings",): _voice(45, _C),
    ("strings", "string", "string ensemble", "string section"): _voice(48, _P, _C, _M),
    ("choir", "voices"): _voice(52, _P, _C, _M),
    ("voice", "vocals", "vocal"): _voice(53, _M),
    ("trumpet",): _voice(56, _M), ("trombone",): _voice(57, _M, _C, _B), ("tuba",): _voice(58, _B),
    ("french horn", "horn"): _voice(60, _M, _P, _C),
    ("brass", "brass section", "horn section"): _voice(61, _C, _P, _M),
    ("sax", "saxophone"): _voice(65, _M, by_style=_styles((*_JAZZY, Style.BLUES), 66)),
    ("alto sax", "alto saxophone"): _voice(65, _M),
    ("tenor sax", "tenor saxophone"): _voice(66, _M),
    ("soprano sax", "soprano saxophone"): _voice(64, _M),
    ("baritone sax", "bari sax", "baritone saxophone"): _voice(67, _B, _M),
    ("oboe",): _voice(68, _M), ("english horn", "cor anglais"): _voice(69, _M),
    ("bassoon",): _voice(70, _B, _M), ("clarinet",): _voice(71, _M), ("piccolo",): _voice(72, _M),
    ("flute",): _voice(73, _M), ("recorder",): _voice(74, _M),
    ("pan flute", "pan pipes", "panpipes"): _voice(75, _M),
    ("tin whistle", "penny whistle", "whistle"): _voice(72, _M, name="Tin Whistle"),
    ("ocarina",): _voice(79, _M),
    ("synth", "synthesizer", "synths"): _voice(80, _M, _C, by_style=_styles(
        (Style.EDM, Style.HOUSE), 81)),
    ("synth lead", "lead synth"): _voice(80, _M, by_style=_styles((Style.EDM, Style.HOUSE), 81)),
    ("saw lead", "sawtooth lead"): _voice(81, _M), ("square lead",): _voice(80, _M),
    ("pad", "synth pad"): _voice(88, _P, by_style=_styles(
        (Style.AMBIENT, Style.LOFI_HIP_HOP), 89)),
    ("warm pad",): _voice(89, _P), ("polysynth",): _voice(90, _C, _P),
    ("sitar",): _voice(104, _M), ("banjo",): _voice(105, _C, _M), ("koto",): _voice(107, _M, _C),
    ("kalimba",): _voice(108, _M), ("bagpipes", "bagpipe"): _voice(109, _M),
    ("steel drums", "steel pan"): _voice(114, _M, _C),
    ("drums", "drum", "drum kit", "drumkit", "drum set", "percussion", "drum machine",
     "808", "snare", "snare drum", "bass drum", "kick drum"): _DRUMS,
    ("string quartet",): _STRING_QUARTET,
    ("satb", "satb choir", "four part choir", "four-part harmony"): _SATB,
    ("rhythm section", "jazz trio"): (*_voice(0, _C, _M, name="Piano"),
                                      *_voice(33, _B, by_style=_BASS), *_DRUMS),
    ("orchestra", "full orchestra", "orchestral"): (
        *_voice(73, _M), *_voice(48, _P, _C, _M), *_voice(60, _P, _M), *_voice(43, _B),
        *_voice(47, _O)),
}

GM_PROGRAM_NAMES: Final = (
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
    "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet", "Celesta",
    "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone", "Tubular Bells",
    "Dulcimer", "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ",
    "Reed Organ", "Accordion", "Harmonica", "Tango Accordion", "Nylon Guitar", "Steel Guitar",
    "Jazz Guitar", "Clean Electric Guitar", "Muted Electric Guitar", "Overdriven Guitar",
    "Distortion Guitar", "Guitar Harmonics", "Acoustic Bass", "Electric Bass (finger)",
    "Electric Bass (pick)", "Fretless Bass", "Slap Bass 1", "Slap Bass 2", "Synth Bass 1",
    "Synth Bass 2", "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings",
    "Pizzicato Strings", "Orchestral Harp", "Timpani", "String Ensemble 1",
    "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs",
    "Synth Voice", "Orchestra Hit", "Trumpet", "Trombone", "Tuba", "Muted Trumpet",
    "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2", "Soprano Sax",
    "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
    "Ocarina", "Square Lead", "Sawtooth Lead", "Calliope Lead", "Chiff Lead", "Charang Lead",
    "Voice Lead", "Fifths Lead", "Bass + Lead", "New Age Pad", "Warm Pad", "Polysynth Pad",
    "Choir Pad", "Bowed Pad", "Metallic Pad", "Halo Pad", "Sweep Pad", "Rain", "Soundtrack",
    "Crystal", "Atmosphere", "Brightness", "Goblins", "Echoes", "Sci-fi", "Sitar", "Banjo",
    "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai", "Tinkle Bell", "Agogo",
    "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring",
    "Helicopter", "Applause", "Gunshot",
)

# --- the phrase table ---------------------------------------------------------------------


def _phrase_entries() -> list[tuple[str, Entry]]:
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
    for aliases, voices in _INSTRUMENT_ALIASES.items():
        entries += [(alias, InstrumentWord(voices)) for alias in aliases]
    return entries


def _build_phrases(entries: list[tuple[str, Entry]]) -> dict[str, Entry]:
    """Every phrase the parser knows, by `phrase_key`. A phrase means one thing only, so a
    duplicate across tables is a bug in the tables, caught at import."""
    table: dict[str, Entry] = {}
    for phrase, entry in entries:
        key = phrase_key(phrase)
        if table.get(key, entry) != entry:
            raise ValueError(f"the phrase {phrase!r} has two meanings")
        table[key] = entry
    return table


_ENTRIES: Final = _phrase_entries()
PHRASES: Final[Mapping[str, Entry]] = _build_phrases(_ENTRIES)
# The longest phrase in words: how far ahead the matcher needs to look.
MAX_PHRASE_WORDS: Final = max(len(re.findall(r"[0-9a-z]+", phrase)) for phrase, _ in _ENTRIES)
# Section phrases as regular-expression alternatives, longest first, for "8-bar intro".
SECTION_PATTERN: Final = "|".join(
    sorted({r"[\s-]*".join(re.escape(w) for w in re.findall(r"[0-9a-z]+", alias))
            for aliases in SECTION_ALIASES.values() for alias in aliases},
           key=lambda p: (-len(p), p)))
SECTION_BY_KEY: Final = {phrase_key(alias): name for name, aliases in SECTION_ALIASES.items()
                         for alias in aliases}


def lookup_phrase(key: str) -> Entry | None:
    """The entry for a `phrase_key`, allowing a plural: "violins", "basses", "waltzes"."""
    for candidate in (key, key[:-1] if key.endswith("s") else "",
                      key[:-2] if key.endswith("es") else ""):
        entry = PHRASES.get(candidate) if candidate else None
        if entry is not None:
            return entry
    return None


def lookup_instrument(phrase: str) -> InstrumentWord | None:
    """The instrument entry for a phrase ("Piano", "string quartet", "violins"), or None."""
    entry = lookup_phrase(phrase_key(phrase))
    return entry if isinstance(entry, InstrumentWord) else None
