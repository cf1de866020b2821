"""Queries of the sound library: who may see which sample, search, quotas."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Preset, ProjectMember, Sample, SampleShare, SoundFontFile

# pg_trgm's word similarity (the query against the closest words of search_text):
# "drumz" finds "drums" (0.67); unrelated words stay below.
WORD_SIMILARITY = 0.5


def visible_to(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Own samples, and samples shared with a project the user is a member of."""
    shared = exists().where(
        SampleShare.sample_id == Sample.id,
        ProjectMember.project_id == SampleShare.project_id,
        ProjectMember.user_id == user_id)
    return or_(Sample.owner_id == user_id, shared)


class LibraryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- presets -----------------------------------------------------------------------

    async def shipped_count(self) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(Preset).where(Preset.owner_id.is_(None))) or 0)

    async def insert_shipped(self, rows: list[dict[str, Any]]) -> None:
        await self.session.execute(
            insert(Preset).values(rows).on_conflict_do_nothing(index_elements=[Preset.id]))

    async def presets(self, user_id: uuid.UUID, search: str | None,
                      category: str | None) -> Sequence[Preset]:
        query = select(Preset).where(or_(Preset.owner_id.is_(None), Preset.owner_id == user_id))
        if category:
            query = query.where(Preset.category == category)
        if search:
            query = query.where(or_(
                literal(search).op("<%")(Preset.name),
                Preset.name.ilike(f"%{_escape_like(search)}%", escape="\\")))
        query = query.order_by(Preset.owner_id.is_not(None), Preset.category, Preset.name)
        return (await self.session.scalars(query)).all()

    async def preset(self, preset_id: uuid.UUID) -> Preset | None:
        return await self.session.get(Preset, preset_id)

    async def add(self, row: Preset | Sample | SoundFontFile) -> None:
        self.session.add(row)
        await self.session.flush()

    async def delete(self, row: Preset | Sample | SoundFontFile) -> None:
        await self.session.delete(row)
        await self.session.flush()

    # --- soundfonts --------------------------------------------------------------------

    async def soundfonts(self, user_id: uuid.UUID) -> Sequence[SoundFontFile]:
        return (await self.session.scalars(
            select(SoundFontFile).where(SoundFontFile.owner_id == user_id)
            .order_by(SoundFontFile.created_at.desc()))).all()

    async def soundfont(self, soundfont_id: uuid.UUID) -> SoundFontFile | None:
        return await self.session.get(SoundFontFile, soundfont_id)

    # --- samples -----------------------------------------------------------------------

    async def sample(self, sample_id: uuid.UUID, *, for_update: bool = False) -> Sample | None:
        return await self.session.get(Sample, sample_id, with_for_update=for_update)

    async def visible_sample(self, sample_id: uuid.UUID, user_id: uuid.UUID) -> Sample | None:
        return (await self.session.scalars(
            select(Sample).where(Sample.id == sample_id, visible_to(user_id)))).one_or_none()

    async def search_samples(self, user_id: uuid.UUID, *, category: str | None,
                             bpm: float | None, bpm_tolerance: float, keys: list[str],
                             search: str | None, project_id: uuid.UUID | None,
                             limit: int, offset: int) -> tuple[Sequence[Sample], int]:
        conditions: list[ColumnElement[bool]] = [visible_to(user_id)]
        if category:
            conditions.append(Sample.category == category)
        if bpm is not None:
            conditions.append(Sample.bpm.between(bpm - bpm_tolerance, bpm + bpm_tolerance))
        if keys:
            conditions.append(Sample.key.in_(keys))
        if project_id is not None:
            conditions.append(exists().where(SampleShare.sample_id == Sample.id,
                                             SampleShare.project_id == project_id))
        order: list[Any] = []
        if search:
            query_text = search.lower()
            conditions.append(or_(
                literal(query_text).op("<%")(Sample.search_text),
                Sample.search_text.like(f"%{_escape_like(query_text)}%", escape="\\")))
            order.append(func.word_similarity(query_text, Sample.search_text).desc())
        order += [Sample.created_at.desc(), Sample.id]
        total = int(await self.session.scalar(
            select(func.count()).select_from(Sample).where(*conditions)) or 0)
        rows = (await self.session.scalars(
            select(Sample).where(*conditions).order_by(*order).limit(limit).offset(offset)
        )).all()
        return rows, total

    async def set_word_similarity(self) -> None:
        await self.session.execute(text(
            f"SET LOCAL pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}"))

    async def shares(self, sample_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        found: dict[uuid.UUID, list[uuid.UUID]] = {sample_id: [] for sample_id in sample_ids}
        if sample_ids:
            rows = await self.session.execute(
                select(SampleShare.sample_id, SampleShare.project_id)
                .where(SampleShare.sample_id.in_(sample_ids))
                .order_by(SampleShare.project_id))
            for sample_id, project_id in rows:
                found[sample_id].append(project_id)
        return found

    async def share(self, sample_id: uuid.UUID, project_ids: Sequence[uuid.UUID]) -> None:
        if project_ids:
            await self.session.execute(
                insert(SampleShare).values(
                    [{"sample_id": sample_id, "project_id": project} for project in project_ids])
                .on_conflict_do_nothing())

    async def unshare(self, sample_id: uuid.UUID, project_ids: Sequence[uuid.UUID]) -> None:
        if project_ids:
            await self.session.execute(delete(SampleShare).where(
                SampleShare.sample_id == sample_id, SampleShare.project_id.in_(project_ids)))

    async def readable_by_project(self, project_id: uuid.UUID,
                                  sample_ids: Sequence[uuid.UUID]) -> Sequence[Sample]:
        """Samples of `sample_ids` shared with the project or owned by one of its members."""
        shared = exists().where(SampleShare.sample_id == Sample.id,
                                SampleShare.project_id == project_id)
        member = exists().where(ProjectMember.project_id == project_id,
                                ProjectMember.user_id == Sample.owner_id)
        return (await self.session.scalars(
            select(Sample).where(Sample.id.in_(sample_ids), or_(shared, member)))).all()

    # --- quota -------------------------------------------------------------------------

    async def lock_owner(self, user_id: uuid.UUID) -> None:
        """Serialises one user's uploads between the quota check and the insert."""
        await self.session.execute(select(func.pg_advisory_xact_lock(
            func.hashtext(f"library:{user_id}"))))

    async def stored_bytes(self, user_id: uuid.UUID) -> int:
        samples = select(func.coalesce(func.sum(Sample.size_bytes), 0)).where(
            Sample.owner_id == user_id).scalar_subquery()
        soundfonts = select(func.coalesce(func.sum(SoundFontFile.size_bytes), 0)).where(
            SoundFontFile.owner_id == user_id).scalar_subquery()
        return int(await self.session.scalar(select(samples + soundfonts)) or 0)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
