"""Score use cases. Every change stores the new score and appends a version (who, when,
why) in the request's transaction; services never commit."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import Conflict, NotFound, ValidationFailed
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import Project, ProjectScore, ScoreVersion, User, VersionReason
from ariaforge.music.score import Key, Note, Score, Track
from ariaforge.scores import listeners, versions
from ariaforge.scores.compare import compare
from ariaforge.scores.repository import ScoreRepository
from ariaforge.scores.schemas import (
    AddNote,
    Author,
    DeleteNote,
    NoteBatch,
    NoteBatchResult,
    NoteOperation,
    SettingsChange,
    TrackCreate,
    TrackSummary,
    TrackUpdate,
    VersionComparison,
    VersionOut,
    VersionPage,
    VersionSummary,
)

# Checks another domain adds on every score write (the library: clips may name only
# samples the project can use), registered by the composition roots like `listeners`; each
# gets the writer, the project, the row's data before the write and the new score, runs in
# the write's transaction and raises an AppError (e.g. ValidationFailed) to refuse it.
ScoreCheck = Callable[[AsyncSession, User, uuid.UUID, dict[str, Any], Score], Awaitable[None]]
_score_checks: list[ScoreCheck] = []


def register_score_check(check: ScoreCheck) -> None:
    """Add a write check; registering the same one again changes nothing."""
    if check not in _score_checks:
        _score_checks.append(check)


@dataclass
class Loaded:
    project: Project
    row: ProjectScore
    score: Score


def _with_settings(score: Score, change: SettingsChange) -> Score:
    """`score` in the changed tempo, key and meter, validated, not copied: a slower tempo
    or a longer meter can make the piece too long."""
    key = Key(tonic=change.tonic or score.key.tonic, mode=change.mode or score.key.mode)
    settings = {"tempo": score.tempo if change.tempo is None else change.tempo, "key": key,
                "meter": change.meter or score.meter}
    try:
        return Score.model_validate({**score.model_dump(), **settings})
    except ValidationError as error:
        raise ValidationFailed(f"the score cannot take these settings: "
                               f"{_first_problem(error)}",
                               _details(error, ["body"])) from None


async def create_initial(session: AsyncSession, project_id: uuid.UUID, author: User | None,
                         settings: SettingsChange) -> None:
    """A new project's score: empty, in the tempo, key and meter it was created with."""
    data = _with_settings(Score(), settings).model_dump(mode="json")
    await ScoreRepository(session).create(project_id, data)
    await ScoreRepository(session).add_version(ScoreVersion(
        project_id=project_id, number=1, data=data, reason=VersionReason.CREATED,
        summary="new project", author_id=author.id if author else None))


def stored_score(data: dict[str, Any], what: str = "the stored score") -> Score:
    """A score read back from the database. One stored before today's limits may break
    them; every read path then answers 422 saying how to recover, never a 500 or an
    unbounded render."""
    try:
        return Score.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(
            f"{what} breaks a limit: {_first_problem(error)}; restore an earlier version "
            "or PUT a corrected score", _details(error, ["stored_score"])) from None


def _first_problem(error: ValidationError) -> str:
    """The first problem in words, with where it is when that is a field."""
    problems = error.errors(include_input=False)
    if not problems:
        return "invalid"
    message = str(problems[0]["msg"]).removeprefix("Value error, ")
    where = ".".join(str(part) for part in problems[0]["loc"])
    return f"{where}: {message}" if where else message


def _details(error: ValidationError, prefix: Sequence[str | int]) -> list[dict[str, Any]]:
    return [{"loc": [*prefix, *err["loc"]], "msg": err["msg"], "type": err["type"]}
            for err in error.errors(include_input=False)[:50]]


async def _load_row(session: AsyncSession, user: User, project_id: uuid.UUID, *,
                    write: bool) -> tuple[Project, ProjectScore]:
    """The project and its score row, authorized (and locked for a write); the row's data
    is not validated, so replacing a score that breaks a limit stays possible. Reading
    writes nothing."""
    project, _ = await authorize(session, project_id, user, WRITERS if write else None,
                                 for_update=write)
    row = await ScoreRepository(session).current(project.id, for_update=write)
    if row is None:
        # Every project has a score from its creation (migration 0007 gave older ones
        # theirs); none here means the project was deleted after it was authorized.
        raise NotFound("project not found")
    if write:
        await listeners.before_write(session, project.id)
    return project, row


async def _load(session: AsyncSession, user: User, project_id: uuid.UUID, *,
                write: bool) -> Loaded:
    project, row = await _load_row(session, user, project_id, write=write)
    return Loaded(project, row, stored_score(row.data))


async def _replace(session: AsyncSession, user: User, project_id: uuid.UUID, new: Score,
                   expected: int | None, reason: VersionReason,
                   summary: str | None) -> Loaded:
    """Replace the whole score (PUT, import, restore), even one stored before today's
    limits that no longer validates: that is how such a project is repaired."""
    project, row = await _load_row(session, user, project_id, write=True)
    listeners.check_revision(session, row.revision, expected, "score")
    return await _store_replacement(session, user, Loaded(project, row, new), reason, summary)


async def _store_replacement(session: AsyncSession, user: User, loaded: Loaded,
                             reason: VersionReason, summary: str | None) -> Loaded:
    """Store `loaded.score` over whatever the row holds (valid or not)."""
    if summary is None:
        try:
            summary = describe_change(Score.model_validate(loaded.row.data), loaded.score)
        except ValidationError:
            summary = "replaced a score that broke a limit"
    await _save(session, user, loaded, loaded.score, reason, summary)
    return loaded


async def _save(session: AsyncSession, user: User, loaded: Loaded, new: Score,
                reason: VersionReason, summary: str) -> int:
    data = new.model_dump(mode="json")
    old_data = loaded.row.data
    for check in _score_checks:
        await check(session, user, loaded.project.id, old_data, new)
    repository = ScoreRepository(session)
    await repository.store(loaded.row, data)
    await versions.record(session, loaded.project.id, loaded.row.revision, data, reason,
                          summary, user.id)
    await listeners.score_saved(session, listeners.ScoreSaved(
        loaded.project.id, user.id, old_data, new))
    loaded.score = new
    return loaded.row.revision


def _invalid(error: ValidationError, prefix: Sequence[str | int]) -> ValidationFailed:
    return ValidationFailed("the resulting score is not valid", _details(error, prefix))


def _note_counts(score: Score) -> Counter[str]:
    return Counter(note.id for _, note in score.all_notes())


def describe_change(old: Score, new: Score) -> str:
    old_ids, new_ids = set(_note_counts(old)), set(_note_counts(new))
    old_tracks, new_tracks = {t.id for t in old.tracks}, {t.id for t in new.tracks}
    parts = [f"tracks +{len(new_tracks - old_tracks)} -{len(old_tracks - new_tracks)}",
             f"notes +{len(new_ids - old_ids)} -{len(old_ids - new_ids)}"]
    return ", ".join(parts)


# --- whole score --------------------------------------------------------------------


async def get_score(session: AsyncSession, user: User, project_id: uuid.UUID) -> Loaded:
    return await _load(session, user, project_id, write=False)


async def put_score(session: AsyncSession, user: User, project_id: uuid.UUID, score: Score,
                    expected: int | None, message: str | None) -> Loaded:
    return await _replace(session, user, project_id, score, expected, VersionReason.EDITED,
                          message or None)


async def replace_score(session: AsyncSession, user: User, project_id: uuid.UUID,
                        score: Score, reason: VersionReason, summary: str,
                        expected: int | None = None) -> Loaded:
    """Imports and generators: the new score replaces the old, which stays in history.
    With `expected`, only if the score is still at that revision (checked under the row
    lock, so nothing can slip in between the check and the write)."""
    return await _replace(session, user, project_id, score, expected, reason, summary)


async def change_settings(session: AsyncSession, user: User, project_id: uuid.UUID,
                          change: SettingsChange) -> bool:
    """Tempo, key or meter edited in the project form: a score edit like any other (a new
    revision and version), unless the score already has them. Whether anything changed."""
    loaded = await _load(session, user, project_id, write=True)
    new = _with_settings(loaded.score, change)
    if (new.tempo, new.key, new.meter) == (loaded.score.tempo, loaded.score.key,
                                           loaded.score.meter):
        return False
    await _save(session, user, loaded, new, VersionReason.EDITED, "project settings")
    return True


# --- tracks -------------------------------------------------------------------------


async def list_tracks(session: AsyncSession, user: User,
                      project_id: uuid.UUID) -> list[TrackSummary]:
    loaded = await _load(session, user, project_id, write=False)
    return [TrackSummary.of(track) for track in loaded.score.tracks]


def _rebuilt(score: Score, tracks: list[Track], prefix: Sequence[str | int]) -> Score:
    try:
        return Score.model_validate({**score.model_dump(),
                                     "tracks": [t.model_dump() for t in tracks]})
    except ValidationError as error:
        raise _invalid(error, prefix) from None


async def add_track(session: AsyncSession, user: User, project_id: uuid.UUID,
                    body: TrackCreate, expected: int | None) -> tuple[TrackSummary, int]:
    loaded = await _load(session, user, project_id, write=True)
    listeners.check_revision(session, loaded.row.revision, expected, "score")
    fields = body.model_dump(exclude={"revision", "id"}, exclude_none=False)
    if body.id is not None:
        if any(t.id == body.id for t in loaded.score.tracks):
            raise Conflict(f"a track with id {body.id!r} already exists")
        fields["id"] = body.id
    try:
        track = Track.model_validate(fields)
    except ValidationError as error:
        raise _invalid(error, ["body"]) from None
    new = _rebuilt(loaded.score, [*loaded.score.tracks, track], ["body"])
    revision = await _save(session, user, loaded, new, VersionReason.EDITED,
                           f"added track {track.name}")
    return TrackSummary.of(track), revision


def _find_track(score: Score, track_id: str) -> Track:
    try:
        return score.track(track_id)
    except KeyError:
        raise NotFound("no such track in this project") from None


async def update_track(session: AsyncSession, user: User, project_id: uuid.UUID,
                       track_id: str, body: TrackUpdate,
                       expected: int | None) -> tuple[TrackSummary, int]:
    loaded = await _load(session, user, project_id, write=True)
    listeners.check_revision(session, loaded.row.revision, expected, "score")
    track = _find_track(loaded.score, track_id)
    changes = body.model_dump(exclude_unset=True, exclude={"revision"})
    if not changes:
        return TrackSummary.of(track), loaded.row.revision  # nothing to change, no version
    for field, value in changes.items():
        if value is None and field != "colour":
            raise ValidationFailed(f"{field} may not be null", [
                {"loc": ["body", field], "msg": "may not be null", "type": "null_not_allowed"}])
    updated = track.model_copy(update=changes)
    tracks = [updated if t.id == track_id else t for t in loaded.score.tracks]
    new = _rebuilt(loaded.score, tracks, ["body"])
    revision = await _save(session, user, loaded, new, VersionReason.EDITED,
                           f"changed track {updated.name}: {', '.join(sorted(changes)) or '-'}")
    return TrackSummary.of(updated), revision


async def delete_track(session: AsyncSession, user: User, project_id: uuid.UUID,
                       track_id: str, expected: int | None) -> int:
    loaded = await _load(session, user, project_id, write=True)
    listeners.check_revision(session, loaded.row.revision, expected, "score")
    track = _find_track(loaded.score, track_id)
    tracks = [t for t in loaded.score.tracks if t.id != track_id]
    new = loaded.score.model_copy(update={"tracks": tracks})
    return await _save(session, user, loaded, new, VersionReason.EDITED,
                       f"deleted track {track.name} ({len(track.notes)} notes)")


# --- notes --------------------------------------------------------------------------


class _NoteTable:
    """Notes by id with their track, for applying a batch of operations in order."""

    def __init__(self, score: Score) -> None:
        self.track_ids = [track.id for track in score.tracks]
        self.notes: dict[str, tuple[str, dict[str, Any]]] = {
            note.id: (track.id, note.model_dump()) for track, note in score.all_notes()}

    def rows(self, index: int, note_id: str) -> tuple[str, dict[str, Any]]:
        if note_id not in self.notes:
            raise _operation_error(index, "note_id", f"no note with id {note_id!r}")
        return self.notes[note_id]

    def tracks(self, score: Score) -> list[Track]:
        by_track: dict[str, list[dict[str, Any]]] = {tid: [] for tid in self.track_ids}
        for track_id, note in self.notes.values():
            by_track[track_id].append(note)
        return [track.model_copy(update={"notes": [Note.model_construct(**n) for n in
                                                   by_track[track.id]]})
                for track in score.tracks]


def _operation_error(index: int, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [{"loc": ["body", "operations", index, field],
                                       "msg": message, "type": "invalid_operation"}])


def _apply(table: _NoteTable, index: int, operation: NoteOperation,
           added: list[str]) -> str:
    if isinstance(operation, AddNote):
        if operation.track_id not in table.track_ids:
            raise _operation_error(index, "track_id", f"no track {operation.track_id!r}")
        note = Note(**operation.model_dump(exclude={"op", "track_id", "id"}),
                    **({"id": operation.id} if operation.id else {}))
        if note.id in table.notes:
            raise _operation_error(index, "id", f"note id {note.id!r} is taken")
        table.notes[note.id] = (operation.track_id, note.model_dump())
        added.append(note.id)
        return "added"
    track_id, note_fields = table.rows(index, operation.note_id)
    if isinstance(operation, DeleteNote):
        del table.notes[operation.note_id]
        return "deleted"
    changes = operation.model_dump(exclude={"op", "note_id", "track_id"}, exclude_none=True)
    if not changes and operation.track_id is None:
        raise _operation_error(index, "op", "nothing to change")
    if operation.track_id is not None:
        if operation.track_id not in table.track_ids:
            raise _operation_error(index, "track_id", f"no track {operation.track_id!r}")
        track_id = operation.track_id
    table.notes[operation.note_id] = (track_id, {**note_fields, **changes})
    return {"move": "moved", "resize": "resized"}.get(operation.op, "updated")


async def edit_notes(session: AsyncSession, user: User, project_id: uuid.UUID,
                     batch: NoteBatch, expected: int | None) -> NoteBatchResult:
    """All operations apply, in order, or none do."""
    loaded = await _load(session, user, project_id, write=True)
    listeners.check_revision(session, loaded.row.revision, expected, "score")
    table = _NoteTable(loaded.score)
    added: list[str] = []
    done = Counter(_apply(table, index, operation, added)
                   for index, operation in enumerate(batch.operations))
    new = _rebuilt(loaded.score, table.tracks(loaded.score), ["body", "operations"])
    summary = batch.message or ", ".join(f"{count} {verb}" for verb, count in
                                         sorted(done.items()))
    revision = await _save(session, user, loaded, new, VersionReason.EDITED, summary)
    return NoteBatchResult(revision=revision, added_note_ids=added, summary=summary)


# --- versions -----------------------------------------------------------------------


def _summary(version: ScoreVersion, author: User | None) -> dict[str, Any]:
    return {"number": version.number, "reason": VersionReason(version.reason),
            "summary": version.summary, "name": version.name,
            "created_at": version.created_at, "updated_at": version.updated_at,
            "author": Author(id=author.id, display_name=author.display_name) if author else None}


async def list_versions(session: AsyncSession, user: User, project_id: uuid.UUID,
                        page: int, limit: int) -> VersionPage:
    # Authorizes and creates v1 if missing; a current score that breaks a limit must not
    # hide the versions that can repair it.
    await _load_row(session, user, project_id, write=False)
    rows, total = await ScoreRepository(session).versions(project_id, page, limit)
    return VersionPage(items=[VersionSummary(**_summary(v, a)) for v, a in rows], total=total,
                       page=page, limit=limit)


async def get_version(session: AsyncSession, user: User, project_id: uuid.UUID,
                      number: int) -> VersionOut:
    await authorize(session, project_id, user)
    found = await ScoreRepository(session).version(project_id, number)
    if found is None:
        raise NotFound(f"no version {number} of this score")
    version, author = found
    return VersionOut(**_summary(version, author),
                      score=stored_score(version.data, f"version {number}"))


async def rename_version(session: AsyncSession, user: User, project_id: uuid.UUID,
                         number: int, name: str) -> VersionSummary:
    """Name (or, with "", unname) a version; a named version is kept when edits follow."""
    await authorize(session, project_id, user, WRITERS)
    repository = ScoreRepository(session)
    version = await repository.version_for_update(project_id, number)
    if version is None:
        raise NotFound(f"no version {number} of this score")
    version.name = name
    await session.flush()
    found = await repository.version(project_id, number)
    assert found is not None  # locked above
    return VersionSummary(**_summary(*found))


async def _version_score(session: AsyncSession, project_id: uuid.UUID,
                         number: int) -> Score:
    found = await ScoreRepository(session).version(project_id, number)
    if found is None:
        raise NotFound(f"no version {number} of this score")
    return stored_score(found[0].data, f"version {number}")


async def compare_versions(session: AsyncSession, user: User, project_id: uuid.UUID,
                           number: int, other: str) -> VersionComparison:
    """How `other` (a version number, or "current": the score as it is now) differs from
    version `number`."""
    await authorize(session, project_id, user)
    before = await _version_score(session, project_id, number)
    if other == "current":
        loaded = await _load(session, user, project_id, write=False)
        after, with_number, with_revision = loaded.score, None, loaded.row.revision
    else:
        with_number = with_revision = int(other)
        after = await _version_score(session, project_id, with_number)
    return VersionComparison.model_validate({
        "number": number, "with_number": with_number, "with_revision": with_revision,
        **compare(before, after)})


async def restore_version(session: AsyncSession, user: User, project_id: uuid.UUID,
                          number: int, expected: int) -> Loaded:
    """Make version `number` current; `expected` is required, as for every other write,
    so a restore never silently overwrites an edit made meanwhile."""
    project, row = await _load_row(session, user, project_id, write=True)
    listeners.check_revision(session, row.revision, expected, "score")
    found = await ScoreRepository(session).version(project_id, number)
    if found is None:
        raise NotFound(f"no version {number} of this score")
    restored = stored_score(found[0].data, f"version {number}")
    return await _store_replacement(session, user, Loaded(project, row, restored),
                                    VersionReason.RESTORED, f"restored version {number}")
