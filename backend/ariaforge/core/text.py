"""String types for request bodies that PostgreSQL can store and people can read.

PostgreSQL rejects NUL in text (which would surface as a 500), and control characters
in names only confuse people, so both are refused at the edge with a 422. The rules are
patterns, so that the OpenAPI schema states them and clients can check before sending.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# No control character at all (one line of text).
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# Names are stripped and must not end up empty: at least one character that is not
# whitespace (nor a control character).
NAME_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"
# Text may also hold newlines, carriage returns and tabs.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=NAME_PATTERN)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=100, pattern=NAME_PATTERN)]
ShortLabel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50,
                                              pattern=LINE_PATTERN)]
Description = Annotated[str, StringConstraints(max_length=5000, pattern=TEXT_PATTERN)]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                              pattern=LINE_PATTERN)]
BriefText = Annotated[str, StringConstraints(max_length=2000, pattern=TEXT_PATTERN)]
