"""Share tokens never reach a log, wherever a log line might carry one: a header dump
(`X-Share-Token: …`) or a listen-page address (`/listen/#…`).

The token travels in a header and in the URL fragment, which uvicorn's access log never
sees; this is the second line of defence for anything else that logs a request (an error
report, a debugging handler). Installed as the log record factory, like collab's.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_TOKEN = r"[A-Za-z0-9_-]{20,}"  # noqa: S105 (a pattern, not a secret)
_PATTERNS = (
    re.compile(rf"(x-share-token['\"]?\s*[:=,]\s*(?:b?['\"])?){_TOKEN}", re.IGNORECASE),
    re.compile(rf"(/listen/?#){_TOKEN}"),
)
_MARKERS = ("share-token", "Share-Token", "SHARE-TOKEN", "/listen")
REDACTED = r"\1[redacted]"
_installed: list[Any] = []


def _mentions(text: str) -> bool:
    return any(marker in text for marker in _MARKERS)


def redact(text: str) -> str:
    if not _mentions(text):
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    # The arguments as they will be formatted (a dict of headers, a tuple of strings).
    mentioned = (isinstance(record.msg, str) and _mentions(record.msg)) or (
        bool(record.args) and _mentions(str(record.args)))
    if mentioned:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: redact what is there
            message = str(record.msg)
        record.msg, record.args = redact(message), None
    return record


def install() -> None:
    """Idempotent: wraps the current record factory once per process."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed.append(factory)
