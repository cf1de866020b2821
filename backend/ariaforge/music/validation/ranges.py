"""Comfortable written ranges of the General MIDI instruments (MIDI numbers, inclusive).

From orchestration references (e.g. Adler, *The Study of Orchestration*), rounded to the
range a competent player or a typical sample library covers.
"""

from __future__ import annotations

_FULL = (0, 127)
# (first program, last program, lowest, highest, name)
_RANGES: tuple[tuple[int, int, int, int, str], ...] = (
    (0, 7, 21, 108, "piano"), (8, 8, 60, 108, "celesta"), (9, 9, 79, 108, "glockenspiel"),
    (10, 10, 60, 108, "music box"), (11, 11, 53, 89, "vibraphone"),
    (12, 12, 45, 96, "marimba"), (13, 13, 65, 108, "xylophone"),
    (14, 14, 60, 77, "tubular bells"), (15, 15, 48, 96, "dulcimer"),
    (16, 20, 36, 96, "organ"), (21, 21, 53, 89, "accordion"), (22, 22, 60, 84, "harmonica"),
    (23, 23, 53, 89, "accordion"), (24, 31, 40, 88, "guitar"), (32, 37, 28, 67, "bass"),
    (38, 39, 24, 72, "synth bass"), (40, 40, 55, 103, "violin"), (41, 41, 48, 91, "viola"),
    (42, 42, 36, 76, "cello"), (43, 43, 28, 67, "contrabass"),
    (44, 45, 28, 103, "strings"), (46, 46, 24, 103, "harp"), (47, 47, 40, 57, "timpani"),
    (48, 51, 28, 103, "string ensemble"), (52, 53, 40, 81, "choir"),
    (54, 54, 40, 84, "synth voice"), (55, 55, 36, 96, "orchestra hit"),
    (56, 56, 54, 86, "trumpet"), (57, 57, 40, 72, "trombone"), (58, 58, 28, 58, "tuba"),
    (59, 59, 54, 82, "muted trumpet"), (60, 60, 34, 77, "French horn"),
    (61, 61, 34, 86, "brass section"), (62, 63, 24, 96, "synth brass"),
    (64, 64, 56, 88, "soprano sax"), (65, 65, 49, 81, "alto sax"),
    (66, 66, 44, 76, "tenor sax"), (67, 67, 36, 69, "baritone sax"), (68, 68, 58, 91, "oboe"),
    (69, 69, 52, 81, "English horn"), (70, 70, 34, 75, "bassoon"),
    (71, 71, 50, 94, "clarinet"), (72, 72, 74, 108, "piccolo"), (73, 73, 60, 96, "flute"),
    (74, 74, 72, 98, "recorder"), (75, 75, 60, 96, "pan flute"),
    (76, 79, 55, 96, "wind"), (80, 103, 21, 108, "synth"), (104, 104, 48, 77, "sitar"),
    (105, 105, 48, 84, "banjo"), (106, 106, 50, 79, "shamisen"), (107, 107, 55, 91, "koto"),
    (108, 108, 60, 84, "kalimba"), (109, 109, 55, 77, "bagpipe"),
    (110, 110, 55, 96, "fiddle"), (111, 111, 60, 84, "shanai"),
    (112, 119, 36, 96, "percussion"),
)


def instrument_range(program: int) -> tuple[int, int, str]:
    """(lowest, highest, instrument name) for a GM program; sound effects span 0-127."""
    for first, last, low, high, name in _RANGES:
        if first <= program <= last:
            return low, high, name
    return (*_FULL, "sound effect")
