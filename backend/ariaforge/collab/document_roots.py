"""The live document's roots: the ones outside the schema, and content of the wrong kind
in ours (both invisible to the readers, both refused)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pycrdt import Array, Doc, Map

from ariaforge.collab.document_schema import EVENT_ROOTS, ROOTS, Detail
from ariaforge.collab.document_values import detail


def unknown_roots(doc: Doc[Any]) -> list[str]:
    """Roots outside the schema that hold anything (an emptied one stays listed)."""
    return [name for name in list(doc.keys()) if name not in ROOTS and (
        len(doc.get(name, type=Map)) or len(doc.get(name, type=Array)))]


def wrong_kind_roots(doc: Doc[Any], names: Iterable[str] = ROOTS) -> list[str]:
    """Roots holding content of the other kind (list items in a map root, map entries in
    an array root), which no reader sees. Each is typed as the schema says again after the
    look, so that `doc[name]` keeps answering the right kind."""
    found = []
    for name in names:
        kind: Any = Array if name in EVENT_ROOTS else Map
        other: Any = Map if kind is Array else Array
        if len(doc.get(name, type=other)):
            found.append(name)
        doc.get(name, type=kind)
    return found


def root_problems(doc: Doc[Any]) -> list[Detail]:
    return [detail([name], "unknown root", "extra_forbidden") for name in unknown_roots(doc)
            ] + [detail([name], f"{name} holds content of the wrong kind", "model_type")
                 for name in wrong_kind_roots(doc)]
