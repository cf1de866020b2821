"""A brief's fields in the shapes the brief tests compare."""

from __future__ import annotations

from ariaforge.composer.brief import Brief


def key_of(brief: Brief) -> str:
    return f"{brief.key.tonic} {brief.key.mode.value}"


def programs(brief: Brief) -> list[int]:
    return [instrument.program for instrument in brief.instruments]


def roles(brief: Brief) -> list[tuple[str, int]]:
    return [(instrument.role.value, instrument.program) for instrument in brief.instruments]


def form_of(brief: Brief) -> list[tuple[str, int]]:
    return [(section.name, section.bars) for section in brief.form]
