"""Share tokens never reach a log, wherever a log line might carry one: a header dump
(`X-Share-Token: …`) or a listen-page address (`/listen/#…`).

The token travels in a header and in the URL fragment, which uvicorn's access log never
sees; this is the second line of defence for anything else that logs a request (an error
report, a debugging handler). Registered with core.log_redaction, like collab's tickets.
"""

from __future__ import annotations

import re

from ariaforge.core.log_redaction import install_redaction

_TOKEN = r"[A-Za-z0-9_-]{20,}"  # noqa: S105 (a pattern, not a secret)
_PATTERNS = (
    re.compile(rf"(x-share-token['\"]?\s*[:=,]\s*(?:b?['\"])?){_TOKEN}", re.IGNORECASE),
    re.compile(rf"(/listen/?#){_TOKEN}"),
)
_MARKERS = ("share-token", "Share-Token", "SHARE-TOKEN", "/listen")
REDACTED = r"\1[redacted]"


def _mentions(text: str) -> bool:
    return any(marker in text for marker in _MARKERS)


def redact(text: str) -> str:
    if not _mentions(text):
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def install() -> None:
    """Idempotent: registers share-token redaction with the process's log record factory."""
    install_redaction("share-token", _mentions, redact)
