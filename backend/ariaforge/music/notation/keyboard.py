"""Keyboard instruments on a grand staff: which programs, and which hand plays a note.

Keyboards are GM programs 0-7 (acoustic, electric and honky-tonk pianos, electric
pianos, harpsichord, clavinet) and 16-20 (drawbar, percussive, rock, church and reed
organs): instruments played with two hands and written on two staves. Celesta, mallets
and accordions read from one staff.

A keyboard part that plays chords and needs both hands gets the grand staff; a single
line (a piano melody, a chorale voice read without an instrument, which defaults to GM 0)
or chords within one hand's range read from one staff.

A note goes to the right hand (treble staff) from E4 up and to the left hand (bass staff)
from G3 down; between them it follows the hand that last played nearer to it, so a line
crossing middle C stays on one staff. A track that lies wholly above F3 (or below G4)
stays on one staff and leaves the other to rests.
"""

from __future__ import annotations

from ariaforge.music.score import Note, Track

KEYBOARD_PROGRAMS = frozenset(range(0, 8)) | frozenset(range(16, 21))
MIDDLE_C = 60
_RIGHT_FROM = 64  # E4
_LEFT_TO = 55  # G3
_TREBLE_FLOOR = 53  # F3: three ledger lines below the treble staff
_BASS_CEILING = 67  # G4: three ledger lines above the bass staff


def is_keyboard(track: Track) -> bool:
    return not track.is_drum and track.program in KEYBOARD_PROGRAMS


_CHORDAL = 0.2  # the share of notes sounding with another onset that makes a part chordal


def is_chordal(notes: list[Note]) -> bool:
    """Whether at least a fifth of the notes start together with another note."""
    if not notes:
        return False
    starts: dict[int, int] = {}
    for note in notes:
        starts[note.start] = starts.get(note.start, 0) + 1
    together = sum(count for count in starts.values() if count > 1)
    return together >= _CHORDAL * len(notes)


def grand_staff(track: Track) -> tuple[list[Note], list[Note]] | None:
    """(right hand, left hand) when `track` is written on a grand staff, else None."""
    if not is_keyboard(track) or not is_chordal(track.notes):
        return None
    right, left = split_hands(track.notes)
    return (right, left) if right and left else None


def split_hands(notes: list[Note]) -> tuple[list[Note], list[Note]]:
    """(right hand, left hand), each in start order."""
    ordered = sorted(notes, key=lambda n: (n.start, -n.pitch, n.id))
    if ordered and min(n.pitch for n in ordered) >= _TREBLE_FLOOR:
        return ordered, []
    if ordered and max(n.pitch for n in ordered) <= _BASS_CEILING and not any(
            n.pitch >= _RIGHT_FROM for n in ordered):
        return [], ordered
    right: list[Note] = []
    left: list[Note] = []
    last_right, last_left = 67, 48
    for note in ordered:
        if note.pitch >= _RIGHT_FROM:
            to_right = True
        elif note.pitch <= _LEFT_TO:
            to_right = False
        else:
            near_right = abs(note.pitch - last_right)
            near_left = abs(note.pitch - last_left)
            to_right = near_right < near_left or (near_right == near_left
                                                  and note.pitch >= MIDDLE_C)
        if to_right:
            right.append(note)
            last_right = note.pitch
        else:
            left.append(note)
            last_left = note.pitch
    return right, left
