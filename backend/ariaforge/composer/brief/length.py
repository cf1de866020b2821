"""Tempo and length: the tempo from a number, a tempo word, the mood or the style; the
bars from a count, a duration or the form; a count and a duration together set the tempo
unless it is given too."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ariaforge.composer.brief.model import (
    MAX_BRIEF_BARS,
    MAX_TEMPO,
    MIN_TEMPO,
    BriefOverrides,
    quarters_per_bar,
)
from ariaforge.composer.brief.notes import Notes, last_mention, overridden
from ariaforge.composer.brief.numbers import round_half_up
from ariaforge.composer.brief.scan import Found, of_kind
from ariaforge.composer.brief.text import Hit
from ariaforge.composer.vocabulary import (
    MOOD_PROFILES,
    PHRASE_BARS,
    SLOW,
    Mood,
    StyleProfile,
    TempoWord,
)
from ariaforge.music.score import Meter

__all__ = ["Tempo", "resolve_bars", "resolve_tempo"]


@dataclass(frozen=True)
class Tempo:
    bpm: int
    fixed: bool  # given as a number (or by the request), not guessed from words
    word: TempoWord | None = None


def _word_range(word: TempoWord, profile: StyleProfile) -> tuple[int, int]:
    if word.absolute:
        return round_half_up(word.low), round_half_up(word.high)
    low, high = profile.tempo_range
    return (round_half_up(low + word.low * (high - low)),
            round_half_up(low + word.high * (high - low)))


def resolve_tempo(found: Found, overrides: BriefOverrides, profile: StyleProfile,
                  mood: Mood, mood_words: str | None, notes: Notes,
                  slow_words: str | None = None) -> Tempo:
    """`slow_words`: a ballad named beside a genre ("jazz ballad"), which asks for the
    genre's slow end unless a tempo word or number says otherwise."""
    word = last_mention(of_kind(found.phrases, TempoWord), notes, "tempo words")
    if word is None and slow_words is not None and not found.tempi:
        word = Hit(0, slow_words, SLOW)
    number = last_mention(found.tempi, notes, "tempi", lambda h: f"{h.value} bpm")
    value = word.value if word else None
    if overrides.tempo is not None:
        overridden(notes, "tempo", f"{overrides.tempo} bpm",
                   [f"{h.value} bpm" for h in found.tempi])
        return Tempo(overrides.tempo, True, value)
    if number is not None:
        if word is not None:
            low, high = _word_range(word.value, profile)
            if not low <= number.value <= high:
                notes.warn(f"'{word.words}' suggests {low}-{high} bpm, but the brief asks for "
                           f"{number.value} bpm: using {number.value} bpm")
        notes.understood["tempo"] = number.words
        return Tempo(number.value, True, value)
    if word is not None:
        notes.understood["tempo"] = word.words
        return Tempo(round_half_up(sum(_word_range(word.value, profile)) / 2), False, value)
    position = MOOD_PROFILES[mood].tempo
    if position is not None:
        if mood_words:
            notes.understood["tempo"] = mood_words
        low, high = profile.tempo_range
        return Tempo(round_half_up(low + position * (high - low)), False)
    return Tempo(profile.tempo, False)


def _clock(seconds: float) -> str:
    whole = round_half_up(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _bars_in(seconds: float, bpm: int, meter: Meter) -> int:
    """Whole phrases of `PHRASE_BARS` when the piece is at least a phrase long."""
    exact = Fraction(seconds).limit_denominator(1000) * bpm / 60 / quarters_per_bar(meter)
    if exact >= PHRASE_BARS:
        return round_half_up(exact / PHRASE_BARS) * PHRASE_BARS
    return max(1, round_half_up(exact))


def _seconds_of(bars: int, bpm: int, meter: Meter) -> float:
    return float(bars * quarters_per_bar(meter) * 60 / bpm)


def _clamp_bars(bars: int, notes: Notes) -> int:
    clamped = min(max(bars, 1), MAX_BRIEF_BARS)
    if clamped != bars:
        notes.warn(f"that length needs {bars} bars; a brief holds {MAX_BRIEF_BARS} at most: "
                   f"using {clamped}")
    return clamped


def _tempo_for(bars: Hit[int], duration: Hit[float], tempo: Tempo, meter: Meter,
               notes: Notes) -> Tempo:
    """Both a bar count and a duration: the tempo that fits them, unless the tempo is
    given too, in which case the bar count wins."""
    if tempo.fixed:
        actual = _seconds_of(bars.value, tempo.bpm, meter)
        if abs(actual - duration.value) > 0.1 * duration.value:
            notes.warn(f"at {tempo.bpm} bpm, {bars.value} bars last {_clock(actual)}, not "
                       f"{_clock(duration.value)}: keeping {bars.value} bars")
        return tempo
    exact = bars.value * quarters_per_bar(meter) * 60 / Fraction(duration.value)
    bpm = min(max(round_half_up(exact), MIN_TEMPO), MAX_TEMPO)
    if bpm != round_half_up(exact):
        notes.warn(f"{bars.value} bars in {_clock(duration.value)} needs "
                   f"{round_half_up(exact)} bpm: using {bpm} bpm")
    notes.understood["tempo"] = f"{bars.words}, {duration.words}"
    return Tempo(bpm, True, tempo.word)


def resolve_bars(found: Found, overrides: BriefOverrides, tempo: Tempo, meter: Meter,
                 natural: int, notes: Notes) -> tuple[int, Tempo]:
    """(bars, tempo): the request, else a bar count, else a duration, else the length the
    form asks for. A tempo guessed from words gives way to a bar count and a duration."""
    bars = last_mention(found.bars, notes, "lengths", lambda h: f"{h.value} bars")
    duration = last_mention(found.durations, notes, "durations", lambda h: _clock(h.value))
    if overrides.bars is not None:
        overridden(notes, "bars", str(overrides.bars), [str(h.value) for h in found.bars])
        return overrides.bars, tempo
    if bars is not None:
        notes.understood["bars"] = bars.words
        if duration is not None:
            tempo = _tempo_for(bars, duration, tempo, meter, notes)
        return bars.value, tempo
    if duration is not None:
        notes.understood["bars"] = duration.words
        return _clamp_bars(_bars_in(duration.value, tempo.bpm, meter), notes), tempo
    return _clamp_bars(natural, notes), tempo

