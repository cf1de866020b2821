"""Put the composer's parts together into the canonical `Score`."""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.composer.brief import Brief, Instrument
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.music.score import ChordSymbol, Note, Score, Section, Track

__all__ = ["TRACK_COLOURS", "assemble_score", "track_for"]

# One colour per role, so the piano roll looks the same for every generated piece.
TRACK_COLOURS = {"melody": "#e4572e", "chords": "#29335c", "pad": "#669bbc",
                 "bass": "#f3a712", "drums": "#a8c686", "other": "#8d6a9f"}
_PANS = {"melody": 0, "chords": -18, "pad": 18, "bass": 0, "drums": 0, "other": 24}
_VOLUMES = {"melody": 110, "chords": 88, "pad": 80, "bass": 100, "drums": 96, "other": 84}


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
    return Score(
        tempo=float(brief.tempo), key=brief.key, meter=brief.meter, bars=plan.bars,
        sections=[Section(name=s.name, start_bar=s.start_bar, bars=s.bars)
                  for s in plan.sections],
        chord_symbols=_lead_sheet(harmony),
        tracks=list(tracks))


def _lead_sheet(harmony: Sequence[ChordEvent]) -> list[ChordSymbol]:
    """A symbol where the chord changes (a chord held over bars is written once)."""
    symbols: list[ChordSymbol] = []
    for chord in harmony:
        if not symbols or symbols[-1].symbol != chord.chord.symbol:
            symbols.append(ChordSymbol(tick=chord.start, symbol=chord.chord.symbol))
    return symbols


def _order(note: Note) -> tuple[int, int]:
    return note.start, note.pitch
