from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.responses import RedirectResponse, StreamingResponse

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep, commit
from ariaforge.core.errors import AppError, ErrorCode, NotFound, ValidationFailed
from ariaforge.core.redis import RedisDep
from ariaforge.core.revisions import IfMatch, expected_revision
from ariaforge.core.routing import API_PREFIX
from ariaforge.core.storage import ObjectNotFoundError
from ariaforge.exports import limits, previews, service
from ariaforge.exports.schemas import CONTENT_TYPES, ExportOut, ExportRequest, MixOut, MixPut
from ariaforge.scores import service as scores
from ariaforge.scores.download_names import ascii_fallback, content_disposition

logger = logging.getLogger(__name__)
router = APIRouter(prefix=API_PREFIX, tags=["mix and export"])
FileName = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
SIGNED_URL_SECONDS = 300
# A failed render is retried later; a preview still rendering, shortly.
FAILED_RETRY_AFTER_S = 30
RENDERING_RETRY_AFTER_S = 2
# The form in the schema too, so that clients (and the contract test) know it before they
# send; whether the ids are tracks of this score is the handler's (422 unknown_track).
ListenerIds = Annotated[str | None, Query(
    max_length=previews.LISTENER_IDS_MAX_CHARS,
    pattern=r"^\s*(?:[A-Za-z0-9_.:-]{1,64}\s*(?:,\s*[A-Za-z0-9_.:-]{1,64}\s*)*)?$",
    description="track ids, comma separated")]


class RenderUnavailable(AppError):
    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE

    def __init__(self, message: str, retry_after_s: int = FAILED_RETRY_AFTER_S) -> None:
        super().__init__(message, None, headers={"Retry-After": str(retry_after_s)})


@router.get("/projects/{project_id}/mix", response_model=MixOut)
async def get_mix(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> MixOut:
    """Master gain and limiter, and each track's gain and effects (EQ, compressor, reverb).
    Revision 0 means the defaults were never changed."""
    revision, settings = await service.get_mix(session, user, project_id)
    return MixOut(revision=revision, settings=settings)


@router.put("/projects/{project_id}/mix", response_model=MixOut)
async def put_mix(project_id: uuid.UUID, body: MixPut, user: CurrentUser, session: SessionDep,
                  if_match: IfMatch = None) -> MixOut:
    """Replace the mix settings (unknown effect or out-of-range parameter: 422)."""
    revision = await service.put_mix(session, user, project_id, body.settings,
                                     expected_revision(body.revision, if_match))
    return MixOut(revision=revision, settings=body.settings)


@router.post("/projects/{project_id}/exports", status_code=status.HTTP_202_ACCEPTED,
             response_model=ExportOut)
async def create_export(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                        redis: RedisDep, request: Request,
                        body: ExportRequest | None = None) -> ExportOut:
    """Render the score to audio in the background. Poll `GET /exports/{id}` (or follow
    the job's events) for progress, the quality report and the files."""
    settings = request.app.state.settings
    export, job = await service.create_export(session, redis, user, project_id,
                                              body or ExportRequest(), settings)
    return service.export_out(export, job, API_PREFIX, settings)


@router.get("/projects/{project_id}/exports", response_model=list[ExportOut])
async def list_exports(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                       request: Request) -> list[ExportOut]:
    rows = await service.list_exports(session, user, project_id)
    settings = request.app.state.settings
    return [service.export_out(export, job, API_PREFIX, settings) for export, job in rows]


@router.get("/exports/{export_id}", response_model=ExportOut)
async def get_export(export_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                     request: Request) -> ExportOut:
    export, job = await service.visible_export(session, user, export_id)
    return service.export_out(export, job, API_PREFIX, request.app.state.settings)


@router.get("/exports/{export_id}/files/{name}", response_class=Response,
            responses={307: {"description": "a short-lived signed URL (S3 storage)"}})
async def download(export_id: uuid.UUID, name: FileName, user: CurrentUser,
                   session: SessionDep, request: Request) -> Response:
    """One file of a finished export, for anyone who may see the project: streamed
    through the API, or (with S3 storage) a redirect to a URL valid for 5 minutes. Saved
    as a name after the project ("Rainy waltz - mix.mp3", "Rainy waltz.mid")."""
    export, project = await service.downloadable(session, user, export_id)
    if service.is_expired(export, request.app.state.settings):
        raise NotFound("this export has expired; its files were deleted")
    entry = next((f for f in service.stored_files(export) if f.name == name), None)
    if entry is None:
        raise NotFound("no such file in this export")
    saved_as = service.download_file_name(export, project.name, entry)
    storage = request.app.state.storage
    key = f"exports/{export_id}/{name}"
    url = await storage.signed_url(key, ascii_fallback(saved_as), SIGNED_URL_SECONDS)
    if url:
        return RedirectResponse(url, status_code=status.HTTP_307_TEMPORARY_REDIRECT)
    if await storage.size(key) is None:
        raise NotFound("the file is no longer stored")
    return StreamingResponse(storage.stream(key),
                             media_type=CONTENT_TYPES.get(entry.format),
                             headers={"Content-Disposition": content_disposition(saved_as),
                                      "Content-Length": str(entry.bytes)})


@router.get("/projects/{project_id}/preview", response_class=Response,
            responses={200: {"content": {"audio/mpeg": {}}}, 304: {"description": "cached"}})
async def preview(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                  redis: RedisDep, request: Request, if_none_match: Annotated[
                      str | None, Header(max_length=128)] = None,
                  mute: ListenerIds = None, solo: ListenerIds = None) -> Response:
    """The current score as MP3, rendered once per distinct score and mix: from the start
    to the last note (plus its release), at most PREVIEW_MAX_SECONDS (10 minutes by
    default; less for many tracks with effects). 422 when the score has no notes.
    Rendered by a job: when it takes longer than PREVIEW_WAIT_SECONDS, 503 with a short
    Retry-After (the job carries on; asking again joins it or finds its file).
    `mute` and `solo` (track ids, comma separated; empty: none) replace the score's own
    flags for this render only: mute and solo are the listener's, not the song's."""
    listener = previews.listener_mix(mute, solo)
    loaded = await scores.get_score(session, user, project_id)
    _, mix = await service.current_mix(session, project_id)
    # Committed now, as the edge would: no transaction (or pooled connection) idles
    # through the wait for the render job.
    await commit(session)
    settings = request.app.state.settings
    heard = previews.for_listener(loaded.score, listener)
    key = previews.preview_key(project_id, heard, mix, settings)
    etag = f'"{key.rsplit("/", 1)[1].removesuffix(".mp3")}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    storage = request.app.state.storage
    if await storage.size(key) is None:
        if not limits.has_notes(loaded.score):
            message = "the score has no notes to render"
            raise ValidationFailed(f"nothing to preview: {message}", [{
                "loc": ["path", "project_id"], "msg": message, "type": "empty_score"}])
        sessionmaker = request.app.state.sessionmaker
        job_id = await service.preview_job(sessionmaker, redis, user, project_id, key,
                                           previews.sound_of(settings), listener.to_payload())
        waited = await previews.wait_for_preview(storage, redis, sessionmaker, job_id, key,
                                                 settings.preview_wait_seconds)
        if waited.failed is not None:
            logger.warning("preview job %s of %s ended %s without the preview", job_id,
                           project_id, waited.failed)
            if (reason := await previews.permanent_failure(sessionmaker, job_id)) is not None:
                raise ValidationFailed(f"the preview cannot be rendered: {reason}", [{
                    "loc": ["path", "project_id"], "msg": reason, "type": "unrenderable"}])
            raise RenderUnavailable("the preview cannot be rendered right now")
        if not waited.stored:
            raise RenderUnavailable("the preview is still rendering; ask again shortly",
                                    RENDERING_RETRY_AFTER_S)
    try:
        size = await storage.size(key)
        return StreamingResponse(storage.stream(key), media_type="audio/mpeg",
                                 headers={"ETag": etag, "Content-Length": str(size),
                                          "Cache-Control": "private, max-age=0"})
    except ObjectNotFoundError:
        raise NotFound("preview not available") from None
