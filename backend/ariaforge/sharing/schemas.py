"""Request and response bodies of share links and of the public shared page."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, StringConstraints

from ariaforge.audio.options import MixSettings
from ariaforge.core.schemas import StrictModel
from ariaforge.music.score import Score
from ariaforge.text import LINE_PATTERN

# secrets.token_urlsafe(32): 32 random bytes, 43 base64url characters.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # noqa: S105 (a pattern, not a secret)
TOKEN_LENGTH = 43

# Checked as sent (what the schema states), stripped only afterwards.
Label = Annotated[str, StringConstraints(max_length=80, pattern=LINE_PATTERN),
                  AfterValidator(str.strip)]


class ShareLinkCreate(StrictModel):
    label: Label = ""


class ShareLinkOut(BaseModel):
    """A link as members see it later: never its token (only its hash is kept)."""

    id: uuid.UUID
    label: str
    created_by: uuid.UUID | None
    created_by_name: str | None
    created_at: datetime


class ShareLinkCreated(ShareLinkOut):
    """The one answer that carries the token: it cannot be shown again."""

    token: str
    url: str


class SharedProjectName(BaseModel):
    name: str


class SharedProject(BaseModel):
    """What the public listen page shows: the name, the music and how it is mixed."""

    project: SharedProjectName
    score: Score
    mix: MixSettings
