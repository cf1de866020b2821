from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import ProjectScore, ScoreVersion, User
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
