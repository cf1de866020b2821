"""The instrument words of a brief: every phrase that names an instrument or an ensemble,
and the tracks (`Voice`s) it asks for, with the General MIDI program each plays in each
style. Every General MIDI name is one of them; instruments General MIDI lacks are played
on their nearest sound (`stand_in_warning` says which), and a few we cannot play at all
are listed so that a brief naming them is told (`UNPLAYABLE`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from ariaforge.composer.ensembles import (
    BASS_VOICE,
    BIG_BAND,
    BRASS_BAND,
    DRUMS,
    HORN_SECTION,
    SATB,
    STRING_QUARTET,
    STRING_SECTION,
    VOICE_PARTS,
    WIND_QUINTET,
)
from ariaforge.composer.gm_programs import EVERYDAY_WORD_PROGRAMS, GM_PROGRAM_NAMES, gm_roles
from ariaforge.composer.vocabulary import Entry, InstrumentWord, Style, Voice, phrase_key
from ariaforge.music.score import Role

__all__ = ["CHOIR", "GM_PROGRAM_NAMES", "STRINGS", "STYLE_WORD_ENSEMBLES", "UNPLAYABLE",
           "instrument_entries", "stand_in_warning"]

# Short names keep the instrument table one entry a line.
_M, _C, _B = Role.MELODY, Role.CHORDS, Role.BASS
_P, _O = Role.PAD, Role.OTHER
_JAZZY: Final = (Style.JAZZ, Style.SWING, Style.LOFI_HIP_HOP)
_ACOUSTIC_BASS_STYLES: Final = (*_JAZZY, Style.BOSSA_NOVA, Style.FOLK, Style.REEL, Style.JIG,
                                Style.WALTZ, Style.TANGO, Style.COUNTRY, Style.CELTIC,
                                Style.SAMBA, Style.LULLABY)
_ORCHESTRAL: Final = (Style.CLASSICAL, Style.CHORALE, Style.MARCH, Style.BAROQUE,
                      Style.CINEMATIC, Style.NOCTURNE, Style.CAROL)
_NYLON_STYLES: Final = (Style.CLASSICAL, Style.BOSSA_NOVA, Style.SAMBA, Style.TANGO,
                        Style.BAROQUE)
_SYNTH_STYLES: Final = (Style.EDM, Style.HOUSE, Style.SYNTHWAVE, Style.CHIPTUNE)
_HEAVY: Final = (Style.ROCK, Style.METAL)


def _styles(styles: Iterable[Style], program: int) -> dict[Style, int]:
    return dict.fromkeys(styles, program)


def _voice(program: int, *roles: Role, name: str | None = None,
           by_style: Mapping[Style, int] | None = None) -> tuple[Voice, ...]:
    return (Voice(program, roles or gm_roles(program), name, dict(by_style or {})),)


_GUITAR: Final = {**_styles(_NYLON_STYLES, 24), **_styles((Style.JAZZ, Style.SWING), 26),
                  **_styles(_HEAVY, 30)}
_ELECTRIC_GUITAR: Final = {**_styles(_JAZZY, 26), **_styles(_HEAVY, 30), Style.BLUES: 29,
                           Style.FUNK: 28}
# "bass" in trap is the 808: a sustained sine-like synth bass.
_BASS: Final = {**_styles(_ACOUSTIC_BASS_STYLES, 32), **_styles(_ORCHESTRAL, 43),
                **_styles(_SYNTH_STYLES, 38), Style.TRAP: 38}
_CHURCH: Final = _styles((Style.CHORALE, Style.CLASSICAL, Style.CAROL, Style.BAROQUE), 19)
_BASS_808: Final = Voice(38, (_B,), "808 Bass")
STRINGS: Final = Voice(48, (_P, _C, _M))
CHOIR: Final = Voice(52, (_P, _C, _M))

_INSTRUMENT_ALIASES: Final[Mapping[tuple[str, ...], tuple[Voice, ...]]] = {
    ("piano", "grand piano", "acoustic piano", "upright piano"): _voice(0, name="Piano"),
    ("bright piano",): _voice(1), ("electric grand", "cp70"): _voice(2),
    ("saloon piano",): _voice(3), ("fortepiano",): _voice(0, name="Piano"),
    ("keys", "keyboard"): _voice(0, by_style=_styles(_JAZZY, 4)),
    ("electric piano", "e piano", "epiano", "rhodes", "fender rhodes"): _voice(4),
    ("wurlitzer", "wurli", "fm piano", "dx7"): _voice(5),
    ("harpsichord", "spinet", "virginal"): _voice(6), ("clavinet", "clav"): _voice(7),
    ("celeste",): _voice(8), ("glock",): _voice(9),
    ("vibes",): _voice(11), ("bells",): _voice(14), ("chimes",): _voice(14),
    ("hammered dulcimer", "cimbalom", "santur", "santoor"): _voice(15),
    ("organ",): _voice(16, by_style=_CHURCH),
    ("hammond", "hammond organ", "b3", "hammond b3"): _voice(16), ("farfisa",): _voice(17),
    ("church organ", "pipe organ"): _voice(19), ("harmonium", "pump organ"): _voice(20),
    ("squeezebox", "piano accordion", "button accordion"): _voice(21),
    ("mouth organ",): _voice(22),
    ("guitar", "guitars"): _voice(25, by_style=_GUITAR),
    ("acoustic guitar",): _voice(25, by_style=_styles(_NYLON_STYLES, 24)),
    ("nylon guitar", "classical guitar", "spanish guitar", "nylon string guitar"): _voice(24),
    ("steel guitar", "folk guitar", "steel string guitar", "12 string guitar"): _voice(25),
    ("jazz guitar", "archtop"): _voice(26), ("clean guitar",): _voice(27),
    ("electric guitar",): _voice(27, by_style=_ELECTRIC_GUITAR),
    ("muted guitar", "palm muted guitar"): _voice(28),
    ("overdriven guitar",): _voice(29, _M, _C),
    ("distorted guitar", "distortion guitar"): _voice(30),
    ("lead guitar",): _voice(27, _M, by_style={**_ELECTRIC_GUITAR, Style.ROCK: 29}),
    ("rhythm guitar",): _voice(27, _C, by_style=_ELECTRIC_GUITAR),
    ("bass",): _voice(33, by_style=_BASS),
    ("bass guitar", "electric bass", "fingered bass", "finger bass"): _voice(33),
    ("picked bass", "pick bass"): _voice(34),
    ("upright", "upright bass", "acoustic bass", "double bass", "standup bass",
     "stand up bass"): _voice(32),
    ("fretless", "fretless bass"): _voice(35), ("slap bass",): _voice(36),
    ("synth bass", "sub bass"): _voice(38), ("moog bass",): _voice(39),
    ("808 bass", "808s"): (_BASS_808,),
    ("fiddle",): _voice(40, name="Fiddle"), ("violoncello",): _voice(42),
    ("pizzicato", "pizzicato strings"): _voice(45),
    ("harp", "concert harp", "celtic harp"): _voice(46),
    ("strings", "string", "string ensemble"): (STRINGS,),
    ("synth strings",): _voice(50),
    ("choir", "voices"): (CHOIR,),
    # Voice parts; "bass" alone is the bass instrument, and "alto sax", "tenor saxophone"
    # or "baritone sax" are longer phrases, so they stay saxophones.
    ("soprano", "soprano voice", "treble voice"): (VOICE_PARTS[0],),
    ("alto", "alto voice", "contralto", "mezzo soprano"): (VOICE_PARTS[1],),
    ("tenor", "tenor voice"): (VOICE_PARTS[2],),
    ("baritone", "baritone voice"): (VOICE_PARTS[3],),
    ("bass voice", "bass singer", "basso profundo"): (BASS_VOICE,),
    ("tenor horn", "alto horn"): _voice(60, _C, _M, name="Tenor Horn"),
    ("tenor trombone",): _voice(57), ("tenor banjo",): _voice(105),
    ("soprano recorder", "alto recorder", "tenor recorder", "treble recorder"): _voice(74),
    ("voice", "vocals", "vocal", "singer", "lead vocal", "humming"): _voice(53, _M, name="Voice"),
    ("orchestra hit", "orch hit"): _voice(55),
    ("horn",): _voice(60), ("french horn",): _voice(60),
    ("brass", "brass section"): _voice(61), ("synth brass",): _voice(62),
    ("bass trombone",): _voice(57, _B, _C), ("sousaphone",): _voice(58, name="Sousaphone"),
    ("sax", "saxophone"): _voice(65, by_style=_styles((*_JAZZY, Style.BLUES), 66)),
    ("alto saxophone",): _voice(65), ("tenor saxophone",): _voice(66),
    ("soprano saxophone",): _voice(64),
    ("bari sax", "baritone saxophone"): _voice(67),
    ("cor anglais",): _voice(69), ("contrabassoon",): _voice(70, name="Contrabassoon"),
    ("alto flute",): _voice(73), ("pan pipes", "panpipes", "panflute"): _voice(75),
    ("whistling",): _voice(78),
    ("synth", "synthesizer", "synths"): _voice(80, _M, _C, by_style=_styles(_SYNTH_STYLES, 81)),
    ("synth lead", "lead synth"): _voice(80, _M, by_style=_styles(_SYNTH_STYLES, 81)),
    ("saw lead",): _voice(81),
    ("pad", "synth pad"): _voice(88, by_style=_styles((Style.AMBIENT, Style.LOFI_HIP_HOP),
                                                      89)),
    ("polysynth",): _voice(90, _C, _P),
    ("bagpipes", "highland pipes", "uilleann pipes"): _voice(109),
    ("shehnai", "shenai"): _voice(111),
    ("steel pan", "steelpan"): _voice(114), ("mbira", "thumb piano"): _voice(108),
    ("taiko", "taiko drums"): _voice(116),
    ("drums", "drum", "drum kit", "drumkit", "drum set", "percussion", "drum machine",
     "snare", "snare drum", "bass drum", "kick drum", "808 drums", "808 kit", "tr 808",
     "hi hat", "hihat", "cymbals", "tambourine", "shaker", "cowbell",
     "washboard", "beatbox"): (DRUMS,),
    # In every style the 808 is the bass and the drum machine it came in.
    ("808",): (_BASS_808, DRUMS),
    ("string quartet",): STRING_QUARTET,
    ("string section", "string orchestra", "strings section", "string divisi"): STRING_SECTION,
    ("satb", "satb choir", "four part choir", "four-part harmony"): SATB,
    ("brass band",): BRASS_BAND, ("horn section", "horns section", "horns"): HORN_SECTION,
    ("wind quintet", "woodwind quintet", "woodwinds"): WIND_QUINTET,
    ("rhythm section", "jazz trio"): (*_voice(0, name="Piano"), *_voice(33, by_style=_BASS),
                                      DRUMS),
    ("piano trio",): (*_voice(0, name="Piano"), *_voice(40), *_voice(42)),
    ("orchestra", "full orchestra", "orchestral"): (
        *_voice(73, _M), *_voice(48, _P, _C, _M), *_voice(60, _P, _M), *_voice(43, _B),
        *_voice(47, _O)),
    # "a rock band", "my band": the style's own band.
    ("band",): (),
}

# Instruments General MIDI has no sound for: played on the nearest program, under their
# own name, and the brief's warnings say so.
_STAND_INS: Final[Mapping[tuple[str, ...], Voice]] = {
    ("bandoneon",): Voice(23, (_M, _C), "Bandoneon"),
    ("concertina",): Voice(21, (_M, _C), "Concertina"),
    ("melodica",): Voice(22, (_M,), "Melodica"),
    ("clavichord",): Voice(7, (_C, _M), "Clavichord"),
    ("toy piano",): Voice(8, (_M, _C), "Toy Piano"),
    ("mandolin",): Voice(25, (_M, _C), "Mandolin"),
    ("ukulele", "uke"): Voice(24, (_C, _M), "Ukulele"),
    ("cavaquinho",): Voice(25, (_C, _M), "Cavaquinho"),
    ("bouzouki",): Voice(25, (_M, _C), "Bouzouki"),
    ("balalaika",): Voice(25, (_M, _C), "Balalaika"),
    ("lute",): Voice(24, (_C, _M), "Lute"), ("oud",): Voice(24, (_M,), "Oud"),
    ("charango",): Voice(24, (_C, _M), "Charango"),
    ("pedal steel", "pedal steel guitar", "lap steel"): Voice(27, (_M,), "Pedal Steel"),
    ("erhu",): Voice(110, (_M,), "Erhu"), ("hurdy gurdy",): Voice(110, (_M,), "Hurdy-gurdy"),
    ("kora",): Voice(46, (_C, _M), "Kora"), ("lyre",): Voice(46, (_C, _M), "Lyre"),
    ("guzheng",): Voice(107, (_M, _C), "Guzheng"), ("pipa",): Voice(107, (_M,), "Pipa"),
    ("zither",): Voice(15, (_M, _C), "Zither"),
    ("duduk",): Voice(68, (_M,), "Duduk"), ("ney",): Voice(77, (_M,), "Ney"),
    ("dizi",): Voice(73, (_M,), "Dizi"), ("fife",): Voice(72, (_M,), "Fife"),
    ("tin whistle", "penny whistle"): Voice(72, (_M,), "Tin Whistle"),
    ("low whistle",): Voice(73, (_M,), "Low Whistle"),
    ("didgeridoo",): Voice(70, (_B,), "Didgeridoo"),
    ("theremin",): Voice(85, (_M,), "Theremin"),
    ("cornet",): Voice(56, (_M,), "Cornet"), ("flugelhorn",): Voice(60, (_M, _P), "Flugelhorn"),
    ("euphonium", "baritone horn"): Voice(57, (_M, _B), "Euphonium"),
    ("bass clarinet",): Voice(71, (_B, _M), "Bass Clarinet"),
    ("handpan", "hang drum"): Voice(114, (_M, _C), "Handpan"),
    # Hand drums: the drum kit plays their part, in the style's pattern.
    ("cajon", "bongos", "bongo", "congas", "conga", "djembe", "bodhran", "tabla",
     "frame drum", "hand drums", "darbuka", "doumbek"): DRUMS,
}

# Instrument words no General MIDI sound stands in for: a brief naming one is told.
UNPLAYABLE: Final = ("glass harmonica", "kazoo", "musical saw", "turntables", "turntable",
                     "jaw harp", "jew's harp", "ondes martenot", "vocoder", "gamelan",
                     "talk box")

# Style words that also name an ensemble: "a big band chart" asks for the big band.
STYLE_WORD_ENSEMBLES: Final[Mapping[str, tuple[Voice, ...]]] = {"bigband": BIG_BAND}


def _gm_entries(taken: set[str]) -> list[tuple[str, Voice]]:
    """Every General MIDI name not already in the table; the names that are everyday
    words ("rain", "applause") only with "fx" beside them."""
    entries: list[tuple[str, Voice]] = []
    for program, name in enumerate(GM_PROGRAM_NAMES):
        voice = Voice(program, gm_roles(program))
        if program in EVERYDAY_WORD_PROGRAMS:
            entries += [(f"{name} fx", voice), (f"fx {name}", voice)]
        elif phrase_key(name) not in taken:
            entries.append((name, voice))
    return entries


def _stand_in_warnings() -> dict[str, str]:
    warnings: dict[str, str] = {}
    for aliases, voice in _STAND_INS.items():
        played_on = ("the drum kit plays its part" if voice.is_drum
                     else f"played on {GM_PROGRAM_NAMES[voice.program]}")
        for alias in aliases:
            warnings[phrase_key(alias)] = f"no {alias} sound: {played_on}"
    return warnings


_STAND_IN_WARNINGS: Final = _stand_in_warnings()


def stand_in_warning(phrase: str) -> str | None:
    """What a brief is told when it names an instrument played on another's sound
    ("no bandoneon sound: played on Tango Accordion"), or None; plurals allowed."""
    key = phrase_key(phrase)
    for candidate in (key, key[:-1] if key.endswith("s") else "",
                      key[:-2] if key.endswith("es") else ""):
        if candidate and candidate in _STAND_IN_WARNINGS:
            return _STAND_IN_WARNINGS[candidate]
    return None


def instrument_entries() -> list[tuple[str, Entry]]:
    """Every (phrase, instrument word) pair."""
    entries: list[tuple[str, Entry]] = [
        (alias, InstrumentWord(voices))
        for aliases, voices in _INSTRUMENT_ALIASES.items() for alias in aliases]
    entries += [(alias, InstrumentWord((voice,)))
                for aliases, voice in _STAND_INS.items() for alias in aliases]
    taken = {phrase_key(alias) for alias, _ in entries}
    entries += [(alias, InstrumentWord((voice,))) for alias, voice in _gm_entries(taken)]
    return entries
