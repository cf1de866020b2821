"""Optimistic concurrency: clients send back the revision they edited (body or If-Match)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header
from pydantic import StringConstraints
from pydantic.json_schema import SkipJsonSchema

from ariaforge.core.errors import Conflict, ValidationFailed

_REVISION = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() accepts "²"
# The same rule as `parse_if_match`, stated in the schema so that clients see it.
IF_MATCH_PATTERN = r'^(W/)?("[0-9]{1,10}"|[0-9]{1,10})$'

# The one If-Match header of every write that reads a revision. Absent means "none";
# the schema does not offer `null` (a header cannot carry one: it would be the text "null").
# (No maxLength: the pattern bounds the length, and a separate bound only invites
# generators to pad a value to it.)
# The pattern sits on the string itself: on the optional whole, the schema would omit it.
IfMatch = Annotated[
    Annotated[str, StringConstraints(pattern=IF_MATCH_PATTERN)] | SkipJsonSchema[None],
    Header(description='the revision you edited, e.g. "3"; a stale one answers 409')]


def _revision_problem(message: str, kind: str) -> list[dict[str, object]]:
    return [{"loc": ["header", "if-match"], "msg": message, "type": kind}]


def parse_if_match(header: str | None) -> int | None:
    """`If-Match: "7"` (or W/"7", or 7) names revision 7."""
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not _REVISION.fullmatch(value):
        message = 'If-Match must carry a revision such as "3"'
        raise ValidationFailed(message, _revision_problem(message, "string_pattern_mismatch"))
    return int(value)


def expected_revision(in_body: int | None, if_match: str | None, *,
                      required: bool = False) -> int | None:
    from_header = parse_if_match(if_match)  # a malformed header is refused even if unused
    if in_body is not None and from_header is not None and in_body != from_header:
        message = "`revision` and If-Match name different revisions"
        raise ValidationFailed(message, _revision_problem(message, "revision_mismatch"))
    expected = in_body if in_body is not None else from_header
    if expected is None and required:
        message = ("send the revision you edited (`revision` or If-Match) so that a "
                   "concurrent change is not overwritten")
        raise ValidationFailed(message, _revision_problem(message, "revision_required"))
    return expected


def check_revision(current: int, expected: int | None, what: str = "project") -> None:
    if expected is not None and expected != current:
        raise Conflict(f"the {what} changed since you loaded it",
                       {"current_revision": current, "your_revision": expected})
