"""Tickets never reach a log: uvicorn logs WebSocket paths with their query string.

Registered with core.log_redaction, so every record is redacted whichever logger,
handler or formatter (ours, uvicorn's, pytest's) sees it later.
"""

from __future__ import annotations

import re

from ariaforge.core.log_redaction import install_redaction

_TICKET = re.compile(r"(ticket=)[^&\s\"'#]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return _TICKET.sub(REDACTED, text) if "ticket=" in text else text


def _mentions(text: str) -> bool:
    return "ticket=" in text


def install() -> None:
    """Idempotent: registers ticket redaction with the process's log record factory."""
    install_redaction("collab-ticket", _mentions, redact)
