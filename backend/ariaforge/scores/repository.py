from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from ariaforge.models import CompositionSession, ProjectScore, ScoreVersion, User
from ariaforge.music.score import Score

_DEFAULT = Score()

# The score's tempo (whole bpm, rounded half to even as Python rounds), tonic, mode and
# meter ("3/4"), for queries that join ProjectScore: read from the columns PostgreSQL
# extracts from the score, never from the score document itself. A score stored without
# one (written past the API) shows the default the Score model reads it with.
SETTINGS_COLUMNS = (
    cast(func.round(func.coalesce(ProjectScore.tempo, _DEFAULT.tempo)), Integer).label("tempo"),
    func.coalesce(ProjectScore.tonic, _DEFAULT.key.tonic).label("key"),
    func.coalesce(ProjectScore.mode, _DEFAULT.key.mode.value).label("mode"),
    func.coalesce(ProjectScore.meter, str(_DEFAULT.meter)).label("meter"),
)


@dataclass(frozen=True)
class Latest:
    """A project's newest version (its data not loaded), locked, and the database's
    clock (the transaction's start), which also stamped its `updated_at`."""

    version: ScoreVersion
    now: datetime

    @property
    def age(self) -> timedelta:
        return self.now - self.version.updated_at


class ScoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, project_id: uuid.UUID, *,
                      for_update: bool = False) -> ProjectScore | None:
        query = select(ProjectScore).where(ProjectScore.project_id == project_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def create(self, project_id: uuid.UUID, data: dict[str, Any]) -> ProjectScore:
        row = ProjectScore(project_id=project_id, data=data, revision=1)
        self.session.add(row)
        await self.session.flush()
        return row

    async def store(self, row: ProjectScore, data: dict[str, Any]) -> None:
        row.data = data
        row.revision += 1
        row.updated_at = datetime.now(UTC)
        await self.session.flush()

    async def add_version(self, version: ScoreVersion) -> None:
        self.session.add(version)
        await self.session.flush()

    async def versions(self, project_id: uuid.UUID, page: int,
                       limit: int) -> tuple[list[tuple[ScoreVersion, User | None]], int]:
        total = await self.session.scalar(
            select(func.count()).select_from(ScoreVersion)
            .where(ScoreVersion.project_id == project_id))
        rows = await self.session.execute(
            select(ScoreVersion, User).outerjoin(User, User.id == ScoreVersion.author_id)
            .where(ScoreVersion.project_id == project_id)
            .order_by(ScoreVersion.number.desc())
            .offset((page - 1) * limit).limit(limit))
        return [(version, user) for version, user in rows], int(total or 0)

    async def version(self, project_id: uuid.UUID,
                      number: int) -> tuple[ScoreVersion, User | None] | None:
        row = (await self.session.execute(
            select(ScoreVersion, User).outerjoin(User, User.id == ScoreVersion.author_id)
            .where(ScoreVersion.project_id == project_id, ScoreVersion.number == number)
        )).one_or_none()
        return (row[0], row[1]) if row else None

    async def latest_version(self, project_id: uuid.UUID) -> Latest | None:
        """The newest version, row-locked (a rename waits for a coalescing edit and the
        reverse), without its data. The age is measured on the database's clock, which
        stamps `updated_at`, so replicas' clocks never matter."""
        row = (await self.session.execute(
            select(ScoreVersion, func.now())
            .options(defer(ScoreVersion.data))
            .where(ScoreVersion.project_id == project_id)
            .order_by(ScoreVersion.number.desc()).limit(1)
            .with_for_update(of=ScoreVersion)
            # The locked row's values as committed now, not an older copy this session
            # may hold from before the lock was taken.
            .execution_options(populate_existing=True))).one_or_none()
        return Latest(row[0], row[1]) if row else None

    async def data_before(self, project_id: uuid.UUID, number: int) -> dict[str, Any] | None:
        """The data of the newest version older than `number`."""
        data: dict[str, Any] | None = await self.session.scalar(
            select(ScoreVersion.data)
            .where(ScoreVersion.project_id == project_id, ScoreVersion.number < number)
            .order_by(ScoreVersion.number.desc()).limit(1))
        return data

    async def is_session_base(self, project_id: uuid.UUID, number: int) -> bool:
        """Whether an AI operation started from version `number`: it reads that version
        back (to merge concurrent edits, to offer "discard" of its take), so the number
        must keep naming that score."""
        found = await self.session.scalar(select(exists().where(
            CompositionSession.project_id == project_id,
            CompositionSession.base_revision == number)))
        return bool(found)

    async def coalesce(self, latest: Latest, number: int, data: dict[str, Any],
                       summary: str) -> None:
        """The latest version now holds revision `number`'s score: its number moves
        with it."""
        latest.version.number = number
        latest.version.data = data
        latest.version.summary = summary
        latest.version.updated_at = latest.now
        await self.session.flush()

    async def version_for_update(self, project_id: uuid.UUID,
                                 number: int) -> ScoreVersion | None:
        """Version `number`, row-locked, without its data."""
        found: ScoreVersion | None = await self.session.scalar(
            select(ScoreVersion).options(defer(ScoreVersion.data))
            .where(ScoreVersion.project_id == project_id, ScoreVersion.number == number)
            .with_for_update())
        return found
