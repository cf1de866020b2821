"""Which part of the band a track is: every instrument of the piece and this track's place
among them. Parts that share a role split the work by it (register, rhythm, the voices of
one voicing), so two chord instruments never play the same notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ariaforge.composer.brief import Instrument
from ariaforge.music.score import Role

__all__ = ["Ensemble"]

_CHORD_ROLES: Final = (Role.CHORDS, Role.PAD)
# Where each chord part's voicings sit when several play at once (MIDI, inclusive): the
# first low-middle, the second high, a third in between (it also differs in rhythm). The
# first two windows overlap by less than any chord spans, so their voicings cannot match.
_SHARED_WINDOWS: Final = ((48, 66), (64, 84), (55, 74))


@dataclass(frozen=True)
class Ensemble:
    instruments: tuple[Instrument, ...]
    index: int  # this track's place in `instruments`

    @classmethod
    def alone(cls, instrument: Instrument) -> Ensemble:
        """A track arranged on its own, with no band to share the work with."""
        return cls((instrument,), 0)

    @property
    def instrument(self) -> Instrument:
        return self.instruments[self.index]

    @property
    def chord_parts(self) -> tuple[int, ...]:
        """The places of the chord and pad tracks: chord tracks first, pads after them
        (a pad sustains above the comping)."""
        parts = [i for i, inst in enumerate(self.instruments)
                 if inst.role in _CHORD_ROLES and not inst.is_drum]
        return tuple(sorted(parts, key=lambda i: (self.instruments[i].role is Role.PAD, i)))

    @property
    def chord_rank(self) -> int | None:
        """This track's place among the chord parts (0 = the first), or None."""
        parts = self.chord_parts
        return parts.index(self.index) if self.index in parts else None

    @property
    def has_bass(self) -> bool:
        return any(inst.role is Role.BASS for inst in self.instruments)

    @property
    def covers_bass(self) -> bool:
        """Whether this track plays the bass notes: the first chord part when nobody plays
        the bass (a pianist's left hand with no bassist)."""
        return not self.has_bass and self.chord_rank == 0 \
            and self.instrument.role is Role.CHORDS

    def shared_window(self) -> tuple[int, int] | None:
        """Where this chord part's voicings go when it shares the harmony with others;
        None when it plays it alone."""
        rank = self.chord_rank
        if rank is None or len(self.chord_parts) < 2:
            return None
        return _SHARED_WINDOWS[rank % len(_SHARED_WINDOWS)]

    def earlier_chord_parts(self) -> tuple[Instrument, ...]:
        """The chord parts ranked before this one."""
        rank = self.chord_rank or 0
        return tuple(self.instruments[i] for i in self.chord_parts[:rank])
