"""AriaForge scores as `Piece`s."""

from __future__ import annotations

from ariaforge.music.score import Role, Score
from ariaforge.music.theory.chords import ChordParseError, parse_chord_symbol
from ariaforge.music.theory.scales import tonic_pc
from musicality.piece import Piece, chord_stream, melody_line


def harmony_of(score: Score) -> tuple[tuple[int, frozenset[int]], ...]:
    """The score's chord symbols as (tick, pitch classes); unreadable symbols dropped."""
    changes = []
    for symbol in sorted(score.chord_symbols, key=lambda s: s.tick):
        try:
            changes.append((symbol.tick, parse_chord_symbol(symbol.symbol).pitch_classes))
        except ChordParseError:
            continue
    return tuple(changes)


def piece_of(score: Score, style: str, *, swung: bool, group: str = "") -> Piece:
    """Melody: the first melody-role track. Comping: every chords-role track merged.
    Harmony: the chord symbols. Assumes one metre for the whole piece."""
    melody = next((t for t in score.tracks if t.role is Role.MELODY), None)
    comping = [t for t in score.tracks if t.role is Role.CHORDS and not t.is_drum]
    drums = [n.start for t in score.tracks if t.is_drum for n in t.notes]
    numerator, denominator = score.meter.numerator, score.meter.denominator
    bar = numerator * 1920 // denominator
    notes = [(n.pitch, n.start) for n in melody.notes] if melody else []
    return Piece(
        source="ariaforge", style=style, numerator=numerator, denominator=denominator,
        tonic=tonic_pc(score.key), melody=melody_line(notes, bar), harmony=harmony_of(score),
        comping=chord_stream([(n.pitch, n.start, n.duration) for t in comping
                              for n in t.notes]),
        comp_onsets=tuple(tuple(sorted({n.start for n in t.notes})) for t in comping),
        drum_onsets=tuple(sorted(set(drums))), swung=swung, group=group)
