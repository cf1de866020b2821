"""Write one track's part over the score as it stands: the `part` operation.

Everything but the one track is the user's and stays as it is: the chord track
(`Score.chord_symbols`, read with `music.theory.chords`), sections, meter, tempo, key and
every other track. The part is the arranger's own idiom for the track's role, General MIDI
program and drum flag in the piece's style (`arrange.arrange_track`, the same functions a
composition uses), or a melody for a melody track (a counter-line when the piece already
has its tune on another track). With a section, only that section's bars are rewritten
(`splice_notes`). A score with no chord track gets one composed for its form.

A take is meant to be heard against the part it replaces, so up to `MAX_DRAWS` seeds are
tried until the new notes differ from the old ones in the span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from ariaforge.composer import harmony as harmony_step
from ariaforge.composer import melody as melody_step
from ariaforge.composer.arrange import Ensemble, arrange_track, register_for
from ariaforge.composer.arrange.bass import arrange_bass
from ariaforge.composer.arrange.four_part import four_part_layout
from ariaforge.composer.arrange.timing import Harmony
from ariaforge.composer.brief import Brief, Instrument
from ariaforge.composer.operations import (
    ComposeRequest,
    OperationError,
    brief_for,
    section_index,
    splice_chords,
    splice_notes,
)
from ariaforge.composer.part_hints import KNOWN_HINTS, PartHints, read_hints
from ariaforge.composer.plan import ChordEvent, Plan, plan_form, rng_for
from ariaforge.composer.repair import summarise
from ariaforge.composer.section_keys import bars_by_key, in_section_keys
from ariaforge.composer.state import harmony_from_score
from ariaforge.composer.styles import style_kit
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import (
    ChordSymbol,
    Note,
    Role,
    Score,
    Track,
    restore_audio,
    split_audio,
)
from ariaforge.music.validation import validate

__all__ = ["MAX_DRAWS", "Part", "idiom_of", "part_report", "track_index", "write_part"]

MAX_DRAWS: Final = 6
_NUDGES: Final = (0, 0, 1, -1)  # the energy change of each draw, in turn
_ALONE_FROM: Final = 4  # draws from here arrange the track as if it played alone


@dataclass(frozen=True)
class Part:
    score: Score  # the base score with the one track's notes replaced
    track: Track
    brief: Brief  # the piece as read off the score (what a later operation carries on from)
    summary: str  # the version's summary: names the track (and the section)
    warnings: list[str]
    validation_style: str


def track_index(score: Score, track_id: str | None) -> int:
    for index, track in enumerate(score.tracks):
        if track.id == track_id:
            return index
    raise OperationError(f"the score has no track '{(track_id or '')[:64]}'")


def idiom_of(score: Score, index: int) -> Role:
    """What kind of part the track gets: drums, a melody, a counter-line (OTHER) for a
    second melody track, or its role's accompaniment."""
    track = score.tracks[index]
    if track.is_drum or track.role is Role.DRUMS:
        return Role.DRUMS
    if track.role is Role.MELODY:
        tune = _tune_index(score)
        return Role.MELODY if tune is None or tune == index else Role.OTHER
    return track.role


def write_part(whole: Score, request: ComposeRequest, previous: Brief | None = None) -> Part:
    if any(t.id == request.track_id and t.is_audio for t in whole.tracks):
        raise OperationError("an audio track plays samples: it has no part to write")
    # Audio tracks (samples) are no instruments: left out here, put back unchanged.
    base, audio = split_audio(whole)
    index = track_index(base, request.track_id)
    if base.meter_changes:
        raise OperationError("a part cannot be written yet over meter changes")
    # The brief reads the form, key and style off the score (and the brief that made it);
    # its instruments are this track alone, as a score may hold more tracks than a brief.
    alone = base.model_copy(update={"tracks": [base.tracks[index]]})
    brief = brief_for(request, alone, previous)
    hints = read_hints(request.prompt)
    form = hints.applied(plan_form(brief))
    chords, chords_written = _chords(base, form)
    span = _span(request, brief, form)
    track = base.tracks[index]
    old = list(track.notes)
    notes = _take(base, index, form, chords, hints, span)
    warnings = [f"the hint '{request.prompt[:60]}' was not understood; known hints: "
                + ", ".join(KNOWN_HINTS)] if hints.unread else []
    if _heard(notes, span) == _heard(old, span) and old:
        warnings.append("the style's idiom gives this track the same notes again; "
                        "try a hint such as 'busier' or 'simpler'")
    if chords_written:
        warnings.append("the score had no chord track: one was composed for it")
    new_track = track.model_copy(update={"notes": sorted(notes, key=lambda n: (n.start,
                                                                               n.pitch))})
    tracks = [new_track if i == index else t for i, t in enumerate(base.tracks)]
    update: dict[str, Any] = {"tracks": tracks}
    if chords_written:
        update["chord_symbols"] = _lead_sheet(chords)
    score = restore_audio(Score.model_validate(base.model_copy(update=update).model_dump()),
                          audio)
    plain = brief_for(request.model_copy(update={"style": None}), alone, previous)
    return Part(score, new_track, plain, _summary(track, request, brief), warnings,
                brief.validation_style)


def part_report(part: Part) -> dict[str, Any]:
    """The validator's summary of the whole score with the new part, as a session keeps it."""
    return summarise(validate(part.score, part.validation_style), part.score)


# --- the notes ------------------------------------------------------------------------------


def _take(base: Score, index: int, form: Plan, chords: Sequence[ChordEvent],
          hints: PartHints, span: tuple[int, int]) -> list[Note]:
    """The track's notes with the span written afresh: the first draw whose notes in the
    span differ from the old ones (the last draw when none does)."""
    old = list(base.tracks[index].notes)
    notes: list[Note] = []
    for draw in range(MAX_DRAWS):
        fresh = _notes(base, index, _drawn(form, hints, draw), chords, hints, span, draw)
        notes = splice_notes(old, fresh, *span) if span != (0, form.total_ticks) else fresh
        if _heard(notes, span) != _heard(old, span):
            break
    return notes


def _notes(base: Score, index: int, form: Plan, chords: Sequence[ChordEvent],
           hints: PartHints, span: tuple[int, int], draw: int) -> list[Note]:
    instruments = tuple(_instrument(track) for track in base.tracks)
    instrument = instruments[index]
    idiom = idiom_of(base, index)
    if idiom is Role.MELODY:
        return _melody(form, chords, list(base.tracks[index].notes), instrument, span, draw)
    tune = _tune_index(base)
    melody = list(base.tracks[tune].notes) if tune is not None else []
    if idiom is Role.OTHER and instrument.role is Role.MELODY:
        instrument = instrument.model_copy(update={"role": Role.OTHER})
    ensemble = Ensemble(_replaced(instruments, index, instrument), index)
    if draw >= _ALONE_FROM:  # its own register, not the window it shares with the band
        ensemble = Ensemble.alone(instrument)
    if hints.walking and instrument.role is Role.BASS and \
            ensemble.index not in (four_part_layout(ensemble) or ()):
        # A walking line borrows the jazz bassist's part, whatever the style.
        kit = replace(style_kit(form.style), bass=style_kit(Style.JAZZ).bass)
        register = register_for(instrument, Role.BASS)
        return in_section_keys(form, arrange_bass(form, kit, Harmony(chords), register),
                               lambda keyed: arrange_bass(keyed, kit, Harmony(chords),
                                                          register), splice_notes)

    def arranged(keyed: Plan) -> list[Note]:
        return list(arrange_track(keyed, chords, melody, instrument, ensemble))

    return in_section_keys(form, arranged(form), arranged, splice_notes)


def _melody(form: Plan, chords: Sequence[ChordEvent], old: list[Note],
            instrument: Instrument, span: tuple[int, int], draw: int) -> list[Note]:
    register = register_for(instrument, Role.MELODY)
    whole = span == (0, form.total_ticks)
    if whole or not old:
        def composed(keyed: Plan) -> list[Note]:
            return melody_step.compose_melody(keyed, chords, register)
        return in_section_keys(form, composed(form), composed, splice_notes)
    # One section of an existing tune: re-sampled from the tune's own motif, joined to
    # the notes around it (what regenerating a section does to the melody).
    bars = [bar for bar in range(1, form.bars + 1)
            if span[0] <= form.bar_start(bar) < span[1]]
    notes = old
    for keyed, group in bars_by_key(form, bars):
        notes = melody_step.resample_melody_bars(keyed, chords, notes, group, register, draw)
    return notes


def _tune_index(score: Score) -> int | None:
    """The track that carries the piece's tune: the first melody track with notes."""
    return next((i for i, track in enumerate(score.tracks)
                 if track.role is Role.MELODY and not track.is_drum and track.notes), None)


def _replaced(items: tuple[Instrument, ...], index: int,
               item: Instrument) -> tuple[Instrument, ...]:
    return (*items[:index], item, *items[index + 1:])


def _instrument(track: Track) -> Instrument:
    drum = track.is_drum or track.role is Role.DRUMS
    role = Role.DRUMS if drum else track.role
    return Instrument(role=role, program=track.program, name=track.name, is_drum=drum)


# --- the piece ------------------------------------------------------------------------------


def _chords(base: Score, form: Plan) -> tuple[list[ChordEvent], bool]:
    """The score's own chords; a composed harmony (and True) when it has none."""
    own = harmony_from_score(base)
    if own:
        return own, False
    composed = in_section_keys(form, harmony_step.compose_harmony(form),
                               harmony_step.compose_harmony, splice_chords)
    return composed, True


def _span(request: ComposeRequest, brief: Brief, form: Plan) -> tuple[int, int]:
    if request.section is None:
        return 0, form.total_ticks
    section = form.sections[section_index(request, brief)]
    return form.bar_start(section.start_bar), form.bar_start(section.end_bar)


def _drawn(form: Plan, hints: PartHints, draw: int) -> Plan:
    """Draw 0 is the plan itself. Later draws get their own seed; where a part follows the
    chords so closely that a seed changes nothing (held pads, root-only basses), they also
    play a little busier or calmer than asked (`_NUDGES`)."""
    if draw == 0:
        return form
    seeded = replace(form, seed=rng_for(form.seed, "part", draw).randrange(2**32))
    nudge = _NUDGES[draw % len(_NUDGES)]
    if nudge == 0 or hints.energy != 0:
        return seeded
    return PartHints(energy=nudge).applied(seeded)


def _heard(notes: Sequence[Note], span: tuple[int, int]) -> list[tuple[int, int, int]]:
    """What a listener tells apart in the span: pitches, onsets and lengths."""
    return sorted((n.pitch, n.start, n.duration) for n in notes if span[0] <= n.start < span[1])


def _lead_sheet(chords: Sequence[ChordEvent]) -> list[ChordSymbol]:
    symbols: list[ChordSymbol] = []
    for chord in chords:
        if not symbols or symbols[-1].symbol != chord.chord.symbol:
            symbols.append(ChordSymbol(tick=chord.start, symbol=chord.chord.symbol))
    return symbols


def _summary(track: Track, request: ComposeRequest, brief: Brief) -> str:
    where = ""
    if request.section is not None:
        where = f" in {brief.form[section_index(request, brief)].name}" if brief.form else ""
    hint = f" ({request.prompt.strip()[:80]})" if request.prompt.strip() else ""
    return f"part: {track.name}{where}{hint}"
