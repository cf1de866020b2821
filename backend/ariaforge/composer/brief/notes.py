"""What the reader reports besides the brief (warnings, and the words behind each field),
and the rule that settles several mentions of one thing: the last one wins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeVar

from ariaforge.composer.brief.text import Hit

__all__ = ["MAX_WARNINGS", "Notes", "last_mention", "overridden"]

T = TypeVar("T")

MAX_WARNINGS: Final = 20


@dataclass
class Notes:
    """The reader's report beside the brief: warnings for the person, and for each field
    the words it came from (or "request")."""

    warnings: list[str] = field(default_factory=list)
    understood: dict[str, str] = field(default_factory=dict)
    left_out: set[str] = field(default_factory=set)  # warnings past MAX_WARNINGS

    def warn(self, message: str) -> None:
        if message in self.warnings:
            return
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.left_out.add(message)

    def report(self) -> list[str]:
        """The warnings to show: the first `MAX_WARNINGS`, then one line counting the rest
        (a long brief of made-up words would otherwise store and show hundreds)."""
        more = [f"…and {len(self.left_out)} more warnings"] if self.left_out else []
        return [*self.warnings, *more]


def last_mention(hits: Sequence[Hit[T]], notes: Notes, what: str,
                 show: Callable[[Hit[T]], str] = lambda hit: hit.words) -> Hit[T] | None:
    """The last mention wins; if earlier ones said something else, a warning says so
    ("slow ... ballad" say the same, so they do not)."""
    if not hits:
        return None
    first_of_each = {hit.value: hit for hit in reversed(hits)}  # value -> its first mention
    shown = list(dict.fromkeys(show(hit) for hit in reversed(first_of_each.values())))
    if len(shown) > 1:
        notes.warn(f"several {what} named ({', '.join(shown)}): using the last, "
                   f"{show(hits[-1])}")
    return hits[-1]


def overridden(notes: Notes, name: str, value: str, said: Sequence[str]) -> None:
    """Record a request field, and warn when the text asked for something else."""
    notes.understood[name] = "request"
    others = [words for words in dict.fromkeys(said) if words.lower() != value.lower()]
    if others:
        notes.warn(f"the request's {name} ({value}) overrides '{', '.join(others)}' in the text")
