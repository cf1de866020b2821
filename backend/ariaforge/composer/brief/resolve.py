"""Resolving what the text said into the brief's style, meter, feel, mood, key, energy and
seed: a request's field wins, then the last mention (a warning names the ones it beat),
then what the style or the mood implies."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ariaforge.composer.brief.length import Tempo
from ariaforge.composer.brief.model import MAX_SEED, BriefOverrides
from ariaforge.composer.brief.notes import Notes, last_mention, overridden
from ariaforge.composer.brief.scan import Found, of_kind
from ariaforge.composer.brief.text import Hit, clean_text
from ariaforge.composer.phrases import lookup_phrase
from ariaforge.composer.vocabulary import (
    DANCE_REFINES,
    DANCES,
    MOOD_PROFILES,
    SLOW_DANCE,
    STYLE_PROFILES,
    EnergyWord,
    InstrumentWord,
    ModeWord,
    Mood,
    MoodWord,
    SimpleWord,
    Style,
    StyleProfile,
    StyleWord,
    SwingWord,
    phrase_key,
)
from ariaforge.music.score import Key, Meter, Mode
from ariaforge.music.theory.modes import has_minor_third
from ariaforge.music.theory.pitch import pitch_class_of_name
from ariaforge.music.theory.scales import conventional_key

__all__ = ["StyleChoice", "resolve_energy", "resolve_key", "resolve_meter", "resolve_mood",
           "resolve_seed", "resolve_simple", "resolve_style", "resolve_swing"]


@dataclass(frozen=True)
class StyleChoice:
    style: Style
    meter: tuple[int, int]
    meter_words: str | None  # set when a dance or metered style word implied the meter
    swing: bool
    swing_words: str | None  # set when a named style implied the feel
    slow_words: str | None = None  # "jazz ballad": the genre played slowly


def _style_in_instrument(found: Found) -> Hit[StyleWord] | None:
    """A style named inside an instrument phrase ("jazz trio", "rock organ", "tango
    accordion"), for a brief that names no style of its own: the last one wins."""
    styled = []
    for hit in of_kind(found.phrases, InstrumentWord):
        words = hit.words.split()
        for size in range(len(words) - 1, 0, -1):
            entry = lookup_phrase(phrase_key(" ".join(words[:size])))
            if isinstance(entry, StyleWord):
                styled.append(Hit(hit.start, " ".join(words[:size]), entry))
                break
    return styled[-1] if styled else None


def _style_meter(word: StyleWord) -> tuple[int, int]:
    return word.meter or STYLE_PROFILES[word.style].meter


def resolve_style(found: Found, overrides: BriefOverrides, notes: Notes) -> StyleChoice:
    hits = of_kind(found.phrases, StyleWord)
    if overrides.style is not None:
        overridden(notes, "style", overrides.style.value, [h.value.style.value for h in hits])
        profile = STYLE_PROFILES[overrides.style]
        return StyleChoice(overrides.style, profile.meter, None, profile.swing, None)

    def show(hit: Hit[StyleWord]) -> str:
        return hit.value.style.value

    genre = last_mention([h for h in hits if h.value.style not in DANCES], notes, "styles", show)
    dance = last_mention([h for h in hits if h.value.style in DANCES], notes, "dances", show)
    if genre and dance and dance.value.style in DANCE_REFINES.get(genre.value.style, ()):
        genre = None  # "an Irish jig": the dance is the more precise name
    main = genre or dance or _style_in_instrument(found)
    if main is None:
        profile = STYLE_PROFILES[Style.POP]
        return StyleChoice(Style.POP, profile.meter, None, profile.swing, None)
    notes.understood["style"] = main.words
    slow = dance if dance and dance.value.style is SLOW_DANCE and main is not dance else None
    if slow is not None:
        dance = None  # a ballad brings its pace, not its meter
    # The meter comes from the dance ("jazz waltz"), else from a metered word ("minuet").
    metered = dance or (main if main.value.meter else None)
    swinging = dance if dance and dance.value.style is Style.SWING else None
    return StyleChoice(main.value.style, _style_meter((metered or main).value),
                       metered.words if metered else None,
                       STYLE_PROFILES[main.value.style].swing or swinging is not None,
                       (swinging or main).words, slow.words if slow else None)


def _show_meter(meter: tuple[int, int]) -> str:
    return f"{meter[0]}/{meter[1]}"


def resolve_meter(found: Found, overrides: BriefOverrides, choice: StyleChoice,
                  notes: Notes) -> Meter:
    if overrides.meter is not None:
        overridden(notes, "meter", str(overrides.meter),
                   [_show_meter(h.value) for h in found.meters])
        return overrides.meter
    hit = last_mention(found.meters, notes, "meters", lambda h: _show_meter(h.value))
    if hit is None:
        if choice.meter_words:
            notes.understood["meter"] = choice.meter_words
        return Meter(numerator=choice.meter[0], denominator=choice.meter[1])
    if choice.meter_words and hit.value != choice.meter:
        notes.warn(f"'{choice.meter_words}' usually means {_show_meter(choice.meter)}, but the "
                   f"brief asks for {_show_meter(hit.value)}: using {_show_meter(hit.value)}")
    notes.understood["meter"] = hit.words
    return Meter(numerator=hit.value[0], denominator=hit.value[1])


def resolve_simple(found: Found, notes: Notes) -> bool:
    """Whether the brief asks for a simple melody ("a simple exercise", "for beginners");
    "not too simple" does not."""
    hits = of_kind(found.phrases, SimpleWord)
    if hits:
        notes.understood["simple"] = hits[-1].words
    return bool(hits)


def resolve_swing(found: Found, choice: StyleChoice, notes: Notes) -> bool:
    def feel(swing: bool) -> str:
        return "swung" if swing else "straight"

    hit = last_mention(of_kind(found.phrases, SwingWord), notes, "feels",
                       lambda h: feel(h.value.swing))
    if hit is None:
        if choice.swing and choice.swing_words:
            notes.understood["swing"] = choice.swing_words
        return choice.swing
    if choice.swing_words and choice.swing and not hit.value.swing:  # a rock shuffle is fine
        notes.warn(f"'{choice.swing_words}' is usually {feel(choice.swing)}, but the brief "
                   f"asks for {feel(hit.value.swing)} eighths: using {feel(hit.value.swing)}")
    notes.understood["swing"] = hit.words
    return hit.value.swing


def _moods_clash(moods: Sequence[Mood]) -> bool:
    """"Dark and epic" agree; "happy and sad" (major against minor) or "calm and energetic"
    (far apart in tempo) do not."""
    profiles = [MOOD_PROFILES[mood] for mood in moods]
    modes = {p.mode for p in profiles if p.mode is not None}
    tempi = [p.tempo for p in profiles if p.tempo is not None]
    return len(modes) > 1 or (bool(tempi) and max(tempi) - min(tempi) > 0.4)


def resolve_mood(found: Found, overrides: BriefOverrides, notes: Notes
                 ) -> tuple[Mood, str | None]:
    hits = of_kind(found.phrases, MoodWord)
    if overrides.mood is not None:
        overridden(notes, "mood", overrides.mood.value, [h.value.mood.value for h in hits])
        return overrides.mood, None
    if not hits:
        return Mood.NEUTRAL, None
    hit = hits[-1]
    moods = list(dict.fromkeys(h.value.mood for h in hits))
    if _moods_clash(moods):
        notes.warn(f"moods that pull apart named ({', '.join(moods)}): using the last, "
                   f"{hit.value.mood.value}")
    notes.understood["mood"] = hit.words
    return hit.value.mood, hit.words


# --- key ----------------------------------------------------------------------------------


def _spell(tonic: str, mode: Mode, notes: Notes) -> Key:
    """The key as musicians usually write it, with the fewer accidentals: C# major becomes
    Db major and A# minor Bb minor (a note says so); F# major and Eb minor stay."""
    usual = conventional_key(pitch_class_of_name(tonic), mode)
    if usual.tonic != tonic:
        notes.warn(f"{tonic} {mode.value} is written as {usual.tonic} {mode.value} "
                   f"(fewer accidentals)")
    return usual


def _resolve_mode(found: Found, overrides: BriefOverrides, mood: Mood,
                  mood_words: str | None, notes: Notes,
                  default: Mode = Mode.MAJOR) -> tuple[Mode, str | None]:
    mentions = [Hit(h.start, h.words, h.value.mode) for h in found.keys if h.value.mode]
    mentions += [Hit(h.start, h.words, h.value.mode) for h in of_kind(found.phrases, ModeWord)]
    mentions.sort(key=lambda hit: hit.start)
    if overrides.mode is not None:
        overridden(notes, "mode", overrides.mode.value, [h.value.value for h in mentions])
        return overrides.mode, None
    hit = last_mention(mentions, notes, "modes", lambda h: h.value.value)
    if hit is not None:
        return hit.value, hit.words
    suggested = MOOD_PROFILES[mood].mode
    if suggested is not None:
        return suggested, mood_words  # a sad song with no key named goes minor
    return default, None  # the style's own mode (metal is minor)


def resolve_key(found: Found, overrides: BriefOverrides, style: Style, mood: Mood,
                mood_words: str | None, notes: Notes) -> Key:
    mode, mode_words = _resolve_mode(found, overrides, mood, mood_words, notes,
                                     STYLE_PROFILES[style].mode)
    tonics = [h for h in found.keys if h.value.tonic]
    hit = tonics[-1] if tonics else None
    if overrides.tonic is not None:
        overridden(notes, "tonic", overrides.tonic, [h.value.tonic or "" for h in tonics])
        tonic, tonic_words = overrides.tonic, None
    elif hit is not None and hit.value.tonic:
        tonic, tonic_words = hit.value.tonic, hit.words
    else:
        profile = STYLE_PROFILES[style]
        tonic = profile.minor_tonic if has_minor_third(mode) else profile.major_tonic
        tonic_words = None
    said = [words for words in dict.fromkeys((tonic_words, mode_words)) if words]
    if said:
        notes.understood["key"] = ", ".join(said)
    key = _spell(tonic, mode, notes)
    named = list(dict.fromkeys(h.words for h in tonics))
    if len(named) > 1 and overrides.tonic is None:
        notes.warn(f"several keys named ({', '.join(named)}): using the last, "
                   f"{key.tonic} {key.mode.value}")
    return key


def resolve_energy(found: Found, profile: StyleProfile, mood: Mood, tempo: Tempo,
                   notes: Notes) -> float:
    """The style's energy, pulled halfway to the mood's, nudged by tempo and by words like
    "soft" or "heavy"."""
    energy = profile.energy
    mood_energy = MOOD_PROFILES[mood].energy
    if mood_energy is not None:
        energy = (energy + mood_energy) / 2
    if tempo.word is not None and not tempo.word.absolute:
        energy += ((tempo.word.low + tempo.word.high) / 2 - 0.5) * 0.2
    words = of_kind(found.phrases, EnergyWord)
    energy += sum(hit.value.delta for hit in words)
    if words:
        notes.understood["energy"] = ", ".join(dict.fromkeys(hit.words for hit in words))
    return round(min(max(energy, 0.0), 1.0), 2)


def _stable_seed(text: str) -> int:
    """A seed from the text itself: SHA-256, not `hash()`, which changes between runs."""
    canonical = " ".join(clean_text(text).lower().split())
    digest = hashlib.sha256(canonical.encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:4], "big")


def resolve_seed(seed: int | None, overrides: BriefOverrides, found: Found, text: str,
                 notes: Notes) -> int:
    if seed is not None:
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}")
        notes.understood["seed"] = "argument"
        return seed
    if overrides.seed is not None:
        notes.understood["seed"] = "request"
        return overrides.seed
    hit = last_mention(found.seeds, notes, "seeds", lambda h: str(h.value))
    if hit is not None:
        notes.understood["seed"] = hit.words
        return hit.value
    return _stable_seed(text)

