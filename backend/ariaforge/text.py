"""String types for request bodies that PostgreSQL can store and people can read.

PostgreSQL rejects NUL in text (which would surface as a 500), and control characters
in names only confuse people, so both are refused at the edge with a 422. The rules are
patterns and lengths of the text as sent, so that the OpenAPI schema states exactly what
is accepted; surrounding whitespace is stripped only after they are checked.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

# What str.strip() removes, spelled out: `\s` differs between Python, Rust (pydantic's
# regex engine) and ECMA-262 (the schema's), e.g. on U+001C-U+001F and U+FEFF.
_SPACES = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPACE = rf"[{_SPACES}]"
_CHAR = r"[^\x00-\x1f\x7f]"  # not a control character
_SHOWN = rf"[^\x00-\x1f\x7f{_SPACES}]"  # ... nor a space
# One line: no control character, apart from surrounding whitespace (stripped).
LINE_PATTERN = rf"^{SPACE}*{_CHAR}*{SPACE}*$"
# A name: one line that is not blank, so that it is not empty once stripped.
NAME_PATTERN = rf"^{SPACE}*{_SHOWN}(?:{_CHAR}*{_SHOWN})?{SPACE}*$"
# Text may also hold newlines, carriage returns and tabs; it is kept as sent.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_strip = AfterValidator(str.strip)


def any_case(word: str) -> str:
    """`word` as a pattern in any letter case: a schema's `pattern` has no flags."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NAME_PATTERN),
                 _strip]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=100,
                                               pattern=NAME_PATTERN), _strip]
ShortLabel = Annotated[str, StringConstraints(max_length=50, pattern=LINE_PATTERN), _strip]
Description = Annotated[str, StringConstraints(max_length=5000, pattern=TEXT_PATTERN)]
SearchText = Annotated[str, StringConstraints(max_length=200, pattern=LINE_PATTERN), _strip]
BriefText = Annotated[str, StringConstraints(max_length=2000, pattern=TEXT_PATTERN)]

# What email-validator (behind EmailStr) accepts, as a pattern, since `format: email`
# alone admits far more (dotless and special-use domains, numeric top-level domains): an
# ASCII dot-atom local part of up to 64 characters; a domain with a dot, of hostname
# labels, the last ending with a letter; no special-use domain (RFC 6761: .test, .local,
# ...). Narrower on purpose where a pattern cannot follow the validator: no "ab--" label
# at all (Punycode "xn--" labels are checked as IDNA) and no non-ASCII address.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"(?![A-Za-z0-9]{2}--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LAST_LABEL = r"(?![A-Za-z0-9]{2}--)(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z]"
_SPECIAL_USE = ("arpa", "invalid", "local", "localhost", "onion", "test")
_ANY_CASE = "|".join(any_case(name) for name in _SPECIAL_USE)
EMAIL_PATTERN = (rf"^(?![^@]{{65}}){_ATEXT}+(?:\.{_ATEXT}+)*"
                 rf"@(?!(?:[^@]*\.)?(?:{_ANY_CASE})$)(?:{_LABEL}\.)+{_LAST_LABEL}$")
EMAIL_MAX_LENGTH = 254

Email = Annotated[EmailStr, Field(json_schema_extra={"pattern": EMAIL_PATTERN,
                                                     "maxLength": EMAIL_MAX_LENGTH})]
