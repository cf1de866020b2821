"""ABC notation → Score, through music21's ABC parser and the shared conversion.

Only the first tune of a file is read (with the file header before it, whose fields apply
to every tune). Text that is not ABC (binary data, no K: field, no notes) is refused with
an InterchangeError rather than handed to music21, which would accept almost anything.
"""

from __future__ import annotations

import re

from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import MAX_ABC_BYTES, MAX_NOTES, check_size
from ariaforge.music.score import Score

_WHAT = "ABC"
_TUNE_START = re.compile(r"^X:", re.MULTILINE)
_KEY_FIELD = re.compile(r"^\s*K:", re.MULTILINE)
_FIELD_LINE = re.compile(r"^\s*(%|[A-Za-z+]:)")
# Things in a music line that are not notes: "chord symbols", !decorations!, +decorations+
# and [K:...] inline fields.
_NOT_NOTES = re.compile(r'"[^"]*"|![^!]*!|\+[^+]*\+|\[[A-Za-z]:[^\]]*\]')
_NOTE_LETTERS = re.compile(r"[A-Ga-g]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_abc(text: str | bytes) -> Score:
    """Parse the first tune of an ABC file into a Score."""
    check_size(text, MAX_ABC_BYTES, _WHAT)
    tune = first_tune(_decode(text) if isinstance(text, bytes) else text)
    if _CONTROL.search(tune):
        raise InterchangeError("the ABC file holds binary data, not text")
    if not _KEY_FIELD.search(tune):
        raise InterchangeError("not an ABC tune: it has no K: (key) field")
    if _note_letters(tune) > MAX_NOTES:
        raise InterchangeError(f"the ABC tune has more than {MAX_NOTES} notes")
    # Imported here: music21 takes a noticeable time to import and only readers need it.
    from music21 import converter

    from ariaforge.music.interchange.from_music21 import guarded, score_from_music21

    parsed = guarded(_WHAT, lambda: converter.parseData(tune, format="abc"))
    score = guarded(_WHAT, lambda: score_from_music21(parsed, _WHAT))
    if not any(track.notes for track in score.tracks):
        raise InterchangeError("the ABC tune has no notes")
    return score


def _decode(data: bytes) -> str:
    # ABC predates UTF-8 and older files are often Latin-1.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def first_tune(text: str) -> str:
    """The file header (text before the first X: line) plus the first tune."""
    starts = [match.start() for match in _TUNE_START.finditer(text)]
    if len(starts) < 2:
        return text
    return text[:starts[1]]


def _note_letters(tune: str) -> int:
    """An upper bound on the notes in a tune, cheap enough to run before parsing."""
    count = 0
    for line in tune.splitlines():
        if not _FIELD_LINE.match(line):
            body = _NOT_NOTES.sub("", line.split("%", 1)[0])
            count += len(_NOTE_LETTERS.findall(body))
    return count
