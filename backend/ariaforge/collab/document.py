"""The live Yjs document of a project and its mapping onto the canonical Score and
MixSettings (schema: collab/document_schema.py, docs/collaboration.md).

- `new_document(score, mix)`: a document holding exactly that score and mix.
- `read_document(doc)`: the (Score, MixSettings) it holds, or DocumentInvalid.
- `apply_score_change(doc, old, new, origin)`: write only what differs, return the update.
"""

from __future__ import annotations

from ariaforge.collab.document_read import read_document
from ariaforge.collab.document_schema import DocumentInvalid
from ariaforge.collab.document_write import apply_score_change, new_document

__all__ = ["DocumentInvalid", "apply_score_change", "new_document", "read_document"]
