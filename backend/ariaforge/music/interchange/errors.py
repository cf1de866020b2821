"""The one exception every reader and writer raises for bad input."""

from __future__ import annotations


class InterchangeError(ValueError):
    """A file could not be read or a score could not be written.

    The message is written for a person (it is shown to the user who uploaded the file),
    so it says what was wrong, never a Python traceback.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
