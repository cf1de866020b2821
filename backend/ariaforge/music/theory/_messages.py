"""Helpers for error messages about user input."""

from __future__ import annotations


def quoted(text: str, limit: int = 24) -> str:
    """Quote user input in a message without echoing a whole (possibly hostile) string."""
    return repr(text if len(text) <= limit else text[:limit] + "…")
