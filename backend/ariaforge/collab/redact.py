"""Tickets never reach a log: uvicorn logs WebSocket paths with their query string.

Installed as the log record factory, so every record is redacted whichever logger,
handler or formatter (ours, uvicorn's, pytest's) sees it later.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_TICKET = re.compile(r"(ticket=)[^&\s\"'#]+")
REDACTED = r"\1[redacted]"
_installed: list[Any] = []


def redact(text: str) -> str:
    return _TICKET.sub(REDACTED, text) if "ticket=" in text else text


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    mentions = isinstance(record.msg, str) and "ticket=" in record.msg
    if not mentions and record.args:
        args = record.args.values() if isinstance(record.args, dict) else record.args
        mentions = any(isinstance(arg, str) and "ticket=" in arg for arg in args)
    if mentions:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: redact what is there
            message = str(record.msg)
        record.msg, record.args = redact(message), None
    for key, value in record.__dict__.items():  # `extra` fields (e.g. a path)
        if isinstance(value, str) and "ticket=" in value and key not in ("msg", "message"):
            record.__dict__[key] = redact(value)
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
