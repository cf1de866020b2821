"""Errors raised by the audio library.

`RenderError` is the base. `BadInputError` (and its `BadScoreError`) marks a permanent
problem with what the caller asked for: retrying the same input will fail the same way.
Every other `RenderError` (a missing SoundFont, an FFmpeg failure) may be environmental.
"""

from __future__ import annotations


class RenderError(Exception):
    """Rendering failed. `permanent` says whether retrying the same input is pointless."""

    permanent: bool = False


class BadInputError(RenderError, ValueError):
    """The request itself is wrong (a bar range outside the score, settings for an unknown
    track); the message is written for people."""

    permanent = True


class BadScoreError(BadInputError):
    """The score has nothing to render (no notes, or none in the requested bars)."""


class SoundFontError(RenderError):
    """The SoundFont is missing or cannot be read."""


class EncodeError(RenderError):
    """FFmpeg is missing, lacks an encoder, or failed to encode or decode."""
