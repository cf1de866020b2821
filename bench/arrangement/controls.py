"""The controls a brief sets, checked on the score: the key heard by the composer's key
estimator and the mode's characteristic degree, the metre, the bars, the tempo within the
style's range, and every named instrument playing on a matching General MIDI program."""

from __future__ import annotations

from ariaforge.composer.brief import Brief as ParsedBrief
from ariaforge.composer.instruments import STYLE_WORD_ENSEMBLES
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.tonality import key_margin, note_histogram
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style, Voice, phrase_key
from ariaforge.music.score import Key, Mode, Score
from ariaforge.music.theory.pitch import pitch_class_of_name
from arrangement.briefs import BARS, Brief

# The degree (semitones above the tonic) that tells a mode from its neighbours.
CHARACTERISTIC = {Mode.MAJOR: 4, Mode.MINOR: 3, Mode.IONIAN: 4, Mode.AEOLIAN: 8,
                  Mode.DORIAN: 9, Mode.PHRYGIAN: 1, Mode.LYDIAN: 6, Mode.MIXOLYDIAN: 10,
                  Mode.LOCRIAN: 6}


def voices_of(name: str) -> tuple[Voice, ...]:
    """The tracks an instrument phrase asks for; "big band" is a style word that also
    names an ensemble."""
    word = lookup_instrument(name)
    if word is not None:
        return word.voices
    return STYLE_WORD_ENSEMBLES.get(phrase_key(name), ())


def named_programs(brief: Brief) -> tuple[set[int], bool]:
    """The programs the named instruments may play in the brief's style, and whether a
    drum kit was named."""
    programs: set[int] = set()
    drums = False
    for name in brief.named:
        for voice in voices_of(name):
            drums |= voice.is_drum
            if not voice.is_drum:
                programs |= {voice.program, voice.program_for(Style(brief.style))}
    return programs, drums


def control_failures(brief: Brief, parsed: ParsedBrief, score: Score) -> list[str]:
    found = []
    if parsed.style.value != brief.style:
        found.append(f"style {parsed.style.value}")
    if brief.key is not None:
        tonic, mode = brief.key
        key = Key(tonic=tonic, mode=Mode(mode))
        if pitch_class_of_name(score.key.tonic) != pitch_class_of_name(tonic) \
                or score.key.mode is not key.mode:
            found.append(f"key written {score.key.tonic} {score.key.mode.value}")
        elif key_margin(note_histogram(score.pitched_notes()), key) <= 0:
            found.append("key not heard")
        degree = (pitch_class_of_name(tonic) + CHARACTERISTIC[key.mode]) % 12
        if not any(n.pitch % 12 == degree for n in score.pitched_notes()):
            found.append(f"no characteristic degree of {mode}")
    profile = STYLE_PROFILES[Style(brief.style)]
    meter = brief.meter or profile.meter
    if (score.meter.numerator, score.meter.denominator) != meter:
        found.append(f"meter {score.meter.numerator}/{score.meter.denominator}")
    if score.bars != BARS:
        found.append(f"{score.bars} bars")
    low, high = profile.tempo_range
    if not low <= score.tempo <= high:
        found.append(f"tempo {score.tempo} outside {low}-{high}")
    programs = {t.program for t in score.tracks if not t.is_drum and t.notes}
    for name in brief.named:
        if not voices_of(name):
            found.append(f"{name!r} unknown")
        for voice in voices_of(name):
            wanted = {voice.program, voice.program_for(Style(brief.style))}
            if voice.is_drum and not any(t.is_drum and t.notes for t in score.tracks):
                found.append("no drums")
            elif not voice.is_drum and not wanted & programs:
                found.append(f"{name}: no program {sorted(wanted)}")
    return found
