"""ABC notation → Score, through music21's ABC parser and the shared conversion.

Only the first tune of a file is read (with the file header before it, whose fields apply
to every tune). Text that is not ABC (binary data, no K: field, no notes) is refused with
an InterchangeError rather than handed to music21, which would accept almost anything.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import MAX_ABC_BYTES, MAX_NOTES, check_size
from ariaforge.music.score import Score

if TYPE_CHECKING:
    from music21 import stream

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
    from ariaforge.music.interchange.from_music21 import guarded, score_from_music21

    parsed = guarded(_WHAT, lambda: parse_tune(tune))
    score = guarded(_WHAT, lambda: score_from_music21(parsed, _WHAT))
    if not any(track.notes for track in score.tracks):
        raise InterchangeError("the ABC tune has no notes")
    return score


# music21's ABC translation ends with steps we do not need, both quadratic in the number
# of measures: `reBar` (which indexes a fresh iterator per measure) and `makeBeams` (a
# context search per measure). A 193 KB tune spent 23.7 minutes in them. We keep only
# pitches and times, so they are switched off; music21 offers no option for that, and
# `reBar` is a module function, so it is swapped out under a lock for the translation.
_TRANSLATING = threading.Lock()


def parse_tune(tune: str) -> stream.Score:
    """One ABC tune as a music21 Score, without re-barring or beaming (see above)."""
    from music21 import abcFormat, metadata, stream
    from music21.abcFormat import translate

    class UnbeamedPart(stream.Part):
        def makeBeams(self, *args: Any, **kwargs: Any) -> None:
            return None

    handler = abcFormat.ABCFile().readstr(tune)
    voices = handler.splitByVoice()
    # As music21 does: with several voices the first collection is the shared header.
    handlers = voices if len(voices) == 1 else [voices[0] + voice for voice in voices[1:]]
    score = stream.Score()
    score.insert(0, metadata.Metadata(title=_title(handler)))
    with _TRANSLATING:
        real_rebar = translate.reBar
        translate.reBar = _keep_bars
        try:
            parts = [translate.abcToStreamPart(h, inputM21=UnbeamedPart())  # type: ignore[no-untyped-call]
                     for h in handlers]
        finally:
            translate.reBar = real_rebar
    for part in parts:
        score.coreInsert(0, part)
    score.coreElementsChanged()
    return score


def _title(handler: Any) -> str | None:
    """The tune's first T: field (music21 takes the title from there too)."""
    from music21 import abcFormat

    for token in handler.tokens:
        if isinstance(token, abcFormat.ABCMetadata) and token.isTitle():
            return str(token.data)
    return None


def _keep_bars(part: stream.Part, *, inPlace: bool = False) -> stream.Part:
    return part


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
