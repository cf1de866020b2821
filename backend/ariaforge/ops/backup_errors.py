"""The one error backups and restores raise: its message is shown to the operator as is,
and so never holds a secret."""

from __future__ import annotations

import re

_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@")


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and what to do."""


def redact(text: str) -> str:
    """`text` with the password of every URL in it replaced by ***."""
    return _PASSWORD_IN_URL.sub(lambda match: f"{match['head']}:***@", text)
