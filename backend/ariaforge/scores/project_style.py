"""The theory check's style for a project: the style its music was composed in.

A project has no style column: its style is what its latest composition session asked
for or understood (`request.style`, `brief.style`, composer style names such as "bossa-nova"),
mapped to the validator's style that judges that music (`StyleProfile.validation_style`).
A project never composed (an import, a blank score) is judged as common practice.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.models import CompositionSession
from ariaforge.music.validation import Report

__all__ = ["StyleSource", "ValidationOut", "project_style"]

StyleSource = Literal["request", "project", "default"]
RECENT_SESSIONS = 20  # the newest sessions looked at for a style


class ValidationOut(Report):
    style_source: StyleSource = Field(
        description="request: the style asked for; project: the style the project was "
                    "composed in; default: common practice (the project was never composed)")
    project_style: str | None = Field(
        default=None, description="the style the project was composed in, if any")


def _validation_style(composer_style: object) -> str | None:
    try:
        return STYLE_PROFILES[Style(str(composer_style))].validation_style
    except ValueError:
        return None  # a style name this version of the composer no longer knows


def _style_of(request: dict[str, Any], brief: dict[str, Any] | None) -> str | None:
    """What the brief understood wins over what was asked (a prompt names a style the
    request's `style` field does not)."""
    for source in (brief or {}, request):
        if source.get("style"):
            return _validation_style(source["style"])
    return None


async def project_style(session: AsyncSession, project_id: uuid.UUID) -> str | None:
    """The validator style of the project's newest session that names one."""
    rows = await session.execute(
        select(CompositionSession.request, CompositionSession.brief)
        .where(CompositionSession.project_id == project_id)
        .order_by(CompositionSession.created_at.desc()).limit(RECENT_SESSIONS))
    for request, brief in rows.all():
        style = _style_of(request, brief)
        if style is not None:
            return style
    return None
