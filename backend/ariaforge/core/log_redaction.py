"""Secrets that must never reach a log (live-session tickets, share tokens): each domain
registers how to spot and redact its own, and one log record factory applies them all.

A record factory rather than a filter or formatter: every record is redacted whichever
logger, handler or formatter (ours, uvicorn's, pytest's) sees it later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Redactor:
    """`mentions` is a cheap test (a substring) run on every record; `redact` runs only on
    text that mentions the secret."""

    mentions: Callable[[str], bool]
    redact: Callable[[str], str]


_redactors: dict[str, Redactor] = {}
_installed: list[Any] = []


def _clean(text: str) -> str:
    for redactor in _redactors.values():
        if redactor.mentions(text):
            text = redactor.redact(text)
    return text


def _mentioned(text: str) -> bool:
    return any(redactor.mentions(text) for redactor in _redactors.values())


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    mentioned = isinstance(record.msg, str) and _mentioned(record.msg)
    if not mentioned and record.args:
        # The arguments as they will be formatted (a dict of headers, a tuple of strings).
        mentioned = _mentioned(str(record.args))
    if mentioned:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: redact what is there
            message = str(record.msg)
        record.msg, record.args = _clean(message), None
    for key, value in record.__dict__.items():  # `extra` fields (e.g. a path)
        if isinstance(value, str) and key not in ("msg", "message") and _mentioned(value):
            record.__dict__[key] = _clean(value)
    return record


def install_redaction(name: str, mentions: Callable[[str], bool],
                      redact: Callable[[str], str]) -> None:
    """Registers (or replaces) the redactor `name`; the record factory is installed once
    per process."""
    _redactors[name] = Redactor(mentions, redact)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed.append(factory)
