"""String types for request bodies that PostgreSQL can store and people can read.

PostgreSQL rejects NUL in text (which would surface as a 500), and control characters
in names only confuse people, so both are refused at the edge with a 422.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _single_line(value: str) -> str:
    if _CONTROL_IN_LINE.search(value):
        raise ValueError("must not contain control characters")
    return value


def _multi_line(value: str) -> str:
    if _CONTROL_IN_TEXT.search(value):
        raise ValueError("must not contain control characters other than newline and tab")
    return value




Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                 AfterValidator(_single_line)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=100), AfterValidator(_single_line)]
ShortLabel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50),
                       AfterValidator(_single_line)]
Description = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_multi_line)]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                       AfterValidator(_single_line)]
BriefText = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_multi_line)]
