"""Three-way merge of whole scores: what an operation changed from the score it started
on, replayed onto the score as it is now.

An AI operation (regenerate a section, variation, continue, reharmonize, restyle) composes
for seconds from the score it read. While it runs, people keep editing live; refusing its
result then ("the score was edited") would make AI operations nearly unusable in a shared
project. The live document already merges concurrent edits note by note, field by field:
writing the operation's own differences into a document holding today's score gives the
same result as if both had been live edits.
"""

from __future__ import annotations

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import (
    DocumentInvalid,
    apply_score_change,
    new_document,
    read_document,
)
from ariaforge.music.score import Score

_MERGE_ORIGIN = "three-way-merge"


def merge_onto(base: Score, changed: Score, current: Score) -> Score:
    """`current` with every difference between `base` and `changed` applied; raises
    DocumentInvalid when the combination breaks a Score rule (e.g. too many notes)."""
    mix = MixSettings()  # the mix is not the operation's: it passes through unchanged
    document = new_document(current, mix)
    apply_score_change(document, (base, mix), (changed, mix), _MERGE_ORIGIN)
    merged, _ = read_document(document)
    return merged


__all__ = ["DocumentInvalid", "merge_onto"]
