"""The scores domain's HTTP API: `router`, one for the whole domain.

Its operations live in three modules: the score, its tracks, notes, validation and
history here; file import and export in `files`; engraved notation in `notation`. Each
keeps the full path prefix on its own routes, so the route template that metrics and logs
see is the real path.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Path, Query, Response, status

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import ValidationFailed
from ariaforge.core.metrics import MUSIC_THEORY_VALIDATIONS
from ariaforge.core.revisions import IfMatch, expected_revision
from ariaforge.core.routing import API_PREFIX
from ariaforge.music.score import ID_PATTERN
from ariaforge.music.validation import UnknownRuleError, validate
from ariaforge.scores import files, notation, service
from ariaforge.scores.project_style import StyleSource, ValidationOut, project_style
from ariaforge.scores.schemas import (
    COMPARE_WITH_PATTERN,
    NoteBatch,
    NoteBatchResult,
    RestoreRequest,
    ScoreOut,
    ScorePut,
    TrackCreate,
    TrackSummary,
    TrackUpdate,
    ValidationRequest,
    VersionComparison,
    VersionOut,
    VersionPage,
    VersionQuery,
    VersionRename,
    VersionSummary,
)

routes = APIRouter(prefix=f"{API_PREFIX}/projects/{{project_id}}", tags=["scores"])
TrackId = Annotated[str, Path(pattern=ID_PATTERN)]
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _etag(response: Response, revision: int) -> None:
    response.headers["ETag"] = f'"{revision}"'


def _score_out(loaded: service.Loaded) -> ScoreOut:
    return ScoreOut(project_id=loaded.project.id, revision=loaded.row.revision,
                    updated_at=loaded.row.updated_at, score=loaded.score)


@routes.get("/score", response_model=ScoreOut)
async def get_score(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                    response: Response) -> ScoreOut:
    """The project's current score; its revision is also the ETag."""
    loaded = await service.get_score(session, user, project_id)
    _etag(response, loaded.row.revision)
    return _score_out(loaded)


@routes.put("/score", response_model=ScoreOut)
async def put_score(project_id: uuid.UUID, body: ScorePut, user: CurrentUser,
                    session: SessionDep, response: Response,
                    if_match: IfMatch = None) -> ScoreOut:
    """Replace the whole score. Requires the revision you edited (409 if it is stale)."""
    expected = expected_revision(body.revision, if_match, required=True)
    loaded = await service.put_score(session, user, project_id, body.score, expected,
                                     body.message)
    _etag(response, loaded.row.revision)
    return _score_out(loaded)


@routes.get("/tracks", response_model=list[TrackSummary])
async def list_tracks(project_id: uuid.UUID, user: CurrentUser,
                      session: SessionDep) -> list[TrackSummary]:
    return await service.list_tracks(session, user, project_id)


@routes.post("/tracks", status_code=status.HTTP_201_CREATED, response_model=TrackSummary)
async def add_track(project_id: uuid.UUID, body: TrackCreate, user: CurrentUser,
                    session: SessionDep, response: Response,
                    if_match: IfMatch = None) -> TrackSummary:
    track, revision = await service.add_track(
        session, user, project_id, body, expected_revision(body.revision, if_match))
    _etag(response, revision)
    return track


@routes.patch("/tracks/{track_id}", response_model=TrackSummary)
async def update_track(project_id: uuid.UUID, track_id: TrackId, body: TrackUpdate,
                       user: CurrentUser, session: SessionDep, response: Response,
                       if_match: IfMatch = None) -> TrackSummary:
    """Mute, solo, volume, pan, program, colour, name or role of one track."""
    track, revision = await service.update_track(
        session, user, project_id, track_id, body, expected_revision(body.revision, if_match))
    _etag(response, revision)
    return track


@routes.delete("/tracks/{track_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_track(project_id: uuid.UUID, track_id: TrackId, user: CurrentUser,
                       session: SessionDep, response: Response,
                       if_match: IfMatch = None) -> None:
    revision = await service.delete_track(session, user, project_id, track_id,
                                          expected_revision(None, if_match))
    _etag(response, revision)


@routes.post("/notes/batch", response_model=NoteBatchResult)
async def edit_notes(project_id: uuid.UUID, body: NoteBatch, user: CurrentUser,
                     session: SessionDep, response: Response,
                     if_match: IfMatch = None) -> NoteBatchResult:
    """Add, move, resize, update and delete many notes in one atomic step.

    Operations apply in order; if any fails, none is applied and the answer says which
    (`details[].loc` = ["body", "operations", index, field]). Requires the revision you
    edited (409 if it is stale).
    """
    expected = expected_revision(body.revision, if_match, required=True)
    result = await service.edit_notes(session, user, project_id, body, expected)
    _etag(response, result.revision)
    return result


@routes.post("/validate", response_model=ValidationOut)
async def validate_score(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                         body: ValidationRequest | None = None) -> ValidationOut:
    """Check the score against music theory: violations with their place (track, bar,
    beat, notes) and a 0-100 summary. `style` (default: the style the project was composed
    in) switches rules that do not apply and accepts the style's idiomatic chromaticism (a
    blues is not flagged for its blue notes, jazz not for its approach notes)."""
    loaded = await service.get_score(session, user, project_id)
    request = body or ValidationRequest()
    composed_in = await project_style(session, project_id)
    style = request.style or composed_in
    source: StyleSource = ("request" if request.style else
                           "project" if composed_in else "default")
    try:
        report = await to_thread.run_sync(
            lambda: validate(loaded.score, style, request.disabled_rules))
    except UnknownRuleError as error:
        raise ValidationFailed(str(error)) from None
    MUSIC_THEORY_VALIDATIONS.inc()
    return ValidationOut(**report.model_dump(), style_source=source,
                         project_style=composed_in)


@routes.get("/versions", response_model=VersionPage)
async def list_versions(project_id: uuid.UUID, query: Annotated[VersionQuery, Query()],
                        user: CurrentUser, session: SessionDep) -> VersionPage:
    """Every change to the score, newest first: who, when and why."""
    return await service.list_versions(session, user, project_id, query.page, query.limit)


@routes.get("/versions/{number}", response_model=VersionOut)
async def get_version(project_id: uuid.UUID, number: VersionNumber, user: CurrentUser,
                      session: SessionDep) -> VersionOut:
    return await service.get_version(session, user, project_id, number)


@routes.patch("/versions/{number}", response_model=VersionSummary)
async def rename_version(project_id: uuid.UUID, number: VersionNumber, body: VersionRename,
                         user: CurrentUser, session: SessionDep) -> VersionSummary:
    """Name a version ("verse idea 2"; trimmed, at most 80 characters) or clear its name
    with "". Owners and editors. A named version is never rewritten by later edits."""
    return await service.rename_version(session, user, project_id, number, body.name)


@routes.get("/versions/{number}/compare", response_model=VersionComparison)
async def compare_versions(project_id: uuid.UUID, number: VersionNumber, user: CurrentUser,
                           session: SessionDep,
                           other: Annotated[str, Query(
                               alias="with", pattern=COMPARE_WITH_PATTERN,
                               description='a version number, or "current"')]
                           ) -> VersionComparison:
    """How the score `with` names (a version number, or `current`) differs from version
    `number`: per track the notes added, removed and changed, tracks added and removed,
    and changed tempo, key, meter, length, sections, chords, tempo and meter changes."""
    return await service.compare_versions(session, user, project_id, number, other)


@routes.post("/versions/{number}/restore", response_model=ScoreOut)
async def restore_version(project_id: uuid.UUID, number: VersionNumber, user: CurrentUser,
                          session: SessionDep, response: Response,
                          body: RestoreRequest | None = None,
                          if_match: IfMatch = None) -> ScoreOut:
    """Make an old version current again (as a new version: history is never rewritten).
    Requires the revision you looked at (`revision` or If-Match; 409 if it is stale), so a
    restore never silently overwrites someone else's edit."""
    expected = expected_revision(body.revision if body else None, if_match, required=True)
    assert expected is not None  # required=True refuses a request without one
    loaded = await service.restore_version(session, user, project_id, number, expected)
    _etag(response, loaded.row.revision)
    return _score_out(loaded)


# In this order in the OpenAPI document, and so in the generated web client.
router = APIRouter()
router.include_router(routes)
router.include_router(files.routes)
router.include_router(notation.routes)
