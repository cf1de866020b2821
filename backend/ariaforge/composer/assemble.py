"""Put the composer's parts together into the canonical `Score`."""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.composer.brief import Brief, Instrument
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.music.score import ChordSymbol, Note, Score, Section, TempoChange, Track

__all__ = ["TRACK_COLOURS", "assemble_score", "track_for"]

# One colour per role, so the piano roll looks the same for every generated piece.
TRACK_COLOURS = {"melody": "#e4572e", "chords": "#29335c", "pad": "#669bbc",
                 "bass": "#f3a712", "drums": "#a8c686", "other": "#8d6a9f"}
_PANS = {"melody": 0, "chords": -18, "pad": 18, "bass": 0, "drums": 0, "other": 24}
# Every fader starts at 100: the render balances the roles itself from each stem's
# measured loudness (audio/balance.py), and a fader moved from 100 is the user's change
# relative to that balance. Fixed volumes per role could not balance a loud trumpet
# against a soft piano of the SoundFont.
_VOLUMES = {"melody": 100, "chords": 100, "pad": 100, "bass": 100, "drums": 100, "other": 100}


def track_for(instrument: Instrument, index: int, notes: Sequence[Note]) -> Track:
    """A track for one instrument of the brief; ids are stable per position so that a
    regenerated score keeps the track ids the mix settings refer to."""
    role = instrument.role.value
    return Track(id=f"t{index + 1}-{role}", name=instrument.name, role=instrument.role,
                 program=instrument.program, is_drum=instrument.is_drum,
                 volume=_VOLUMES.get(role, 90), pan=_PANS.get(role, 0),
                 colour=TRACK_COLOURS.get(role), notes=sorted(notes, key=_order))


def assemble_score(brief: Brief, plan: Plan, harmony: Sequence[ChordEvent],
                   tracks: Sequence[Track]) -> Score:
    first, changes = _tempi(plan)
    return Score(
        tempo=float(first), tempo_changes=changes, key=brief.key, meter=brief.meter,
        bars=plan.bars,
        sections=[Section(name=s.name, start_bar=s.start_bar, bars=s.bars,
                          key=s.key if s.key is not None and s.key != brief.key else None)
                  for s in plan.sections],
        chord_symbols=_lead_sheet(harmony),
        tracks=list(tracks))


def _tempi(plan: Plan) -> tuple[int, list[TempoChange]]:
    """The tempo at the start, and a change at the first tick of each section whose tempo
    differs from the one before (a section after a faster bridge goes back to the
    piece's tempo)."""
    first = plan.tempo_at(1) if plan.sections else plan.tempo
    changes: list[TempoChange] = []
    current = first
    for section in plan.sections[1:]:
        bpm = section.tempo or plan.tempo
        if bpm != current:
            changes.append(TempoChange(tick=plan.bar_start(section.start_bar), bpm=float(bpm)))
            current = bpm
    return first, changes


def _lead_sheet(harmony: Sequence[ChordEvent]) -> list[ChordSymbol]:
    """A symbol where the chord changes (a chord held over bars is written once)."""
    symbols: list[ChordSymbol] = []
    for chord in harmony:
        if not symbols or symbols[-1].symbol != chord.chord.symbol:
            symbols.append(ChordSymbol(tick=chord.start, symbol=chord.chord.symbol))
    return symbols


def _order(note: Note) -> tuple[int, int]:
    return note.start, note.pitch
