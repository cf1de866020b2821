"""Optimistic concurrency: clients send back the revision they edited (body or If-Match)."""

from __future__ import annotations

import re

from ariaforge.core.errors import Conflict, ValidationFailed

_REVISION = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() accepts "²"


def parse_if_match(header: str | None) -> int | None:
    """`If-Match: "7"` (or W/"7", or 7) names revision 7."""
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not _REVISION.fullmatch(value):
        raise ValidationFailed('If-Match must carry a revision such as "3"')
    return int(value)


def expected_revision(in_body: int | None, if_match: str | None, *,
                      required: bool = False) -> int | None:
    from_header = parse_if_match(if_match)  # a malformed header is refused even if unused
    if in_body is not None and from_header is not None and in_body != from_header:
        raise ValidationFailed("`revision` and If-Match name different revisions")
    expected = in_body if in_body is not None else from_header
    if expected is None and required:
        raise ValidationFailed("send the revision you edited (`revision` or If-Match) so "
                               "that a concurrent change is not overwritten")
    return expected


def check_revision(current: int, expected: int | None, what: str = "project") -> None:
    if expected is not None and expected != current:
        raise Conflict(f"the {what} changed since you loaded it",
                       {"current_revision": current, "your_revision": expected})
