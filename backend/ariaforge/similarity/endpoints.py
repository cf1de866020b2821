"""Similarity and originality: melody and harmony windows in pgvector, the reference
corpus, the check, find similar and search by phrase (docs/similarity.md)."""
from __future__ import annotations

import inspect
import logging
import uuid
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import AppError, PayloadTooLargeError, ValidationFailed
from ariaforge.core.quotas import take
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.scores.files import MAX_IMPORT_BYTES, read_upload
from ariaforge.similarity.schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    CheckRequest,
    CheckResult,
    Scope,
    SearchRequest,
    SimilarityStatus,
    SimilarProjects,
)

# The service is imported in each handler: it loads NumPy and pgvector, which the API
# process does not load to start (tests/test_import_weight.py).
logger = logging.getLogger(__name__)
router = APIRouter(prefix=API_PREFIX, tags=["similarity"])
AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".ogg", ".oga")
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such project (or not one you may read)"},
    422: {"description": "the request or the file is not valid"}}


@router.get("/similarity/status", response_model=SimilarityStatus)
async def similarity_status(user: CurrentUser, session: SessionDep,
                            request: Request) -> SimilarityStatus:
    """The reference corpus as stored (ready once the shipped corpus is ingested), the
    threshold a check decides with, and how many project versions are indexed."""
    settings = request.app.state.settings
    from ariaforge.similarity import service  # loads NumPy: not at start
    return await service.status(session, settings.reference_corpus_limit,
                                settings.similarity_threshold)


@router.post("/similarity/check", response_model=CheckResult, responses=_ERRORS)
async def check(body: CheckRequest, user: CurrentUser, session: SessionDep,
                request: Request) -> CheckResult:
    """How close a project's score (or one of its versions) comes to the reference
    corpus and to the other projects you may read. Not safe: a melody passage of 4 bars
    or more matches at the threshold or above; 2-bar figures and harmony are shown but do
    not decide."""
    settings = request.app.state.settings
    from ariaforge.similarity import service  # loads NumPy: not at start
    return await service.check_project(session, user, body.project_id, body.version,
                                       body.scope, body.limit, settings.similarity_threshold,
                                       settings.reference_corpus_limit)


@router.post("/similarity/check-file", response_model=CheckResult, responses={
    **_ERRORS, 413: {"description": "the file is over 16 MiB"},
    429: {"description": "over UPLOADS_PER_HOUR"}})
async def check_file(
        user: CurrentUser, session: SessionDep, redis: RedisDep, request: Request,
        file: Annotated[UploadFile, File(description=(
            "a MIDI, MusicXML or ABC file, or audio (WAV, FLAC, MP3, OGG; the first "
            "SIMILARITY_AUDIO_MAX_SECONDS are transcribed), at most 16 MiB"))],
        scope: Annotated[Scope, Form()] = Scope.ALL,
        limit: Annotated[int, Form(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT) -> CheckResult:
    """Check a file that is not (yet) a project. Counts against UPLOADS_PER_HOUR."""
    settings = request.app.state.settings
    await take(redis, "uploads", str(user.id), settings.uploads_per_hour, "uploads")
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise PayloadTooLargeError(MAX_IMPORT_BYTES)
    if not data:
        raise _bad_file("the file is empty")
    name = (file.filename or "upload")[:200]
    threshold, corpus = settings.similarity_threshold, settings.reference_corpus_limit
    from ariaforge.music.similarity import phrase_windows
    from ariaforge.similarity import service  # loads NumPy: not at start
    if _is_audio(name, data):
        notes = await _transcribe(data, name, settings.similarity_audio_max_seconds)
        windows = await to_thread.run_sync(phrase_windows, notes)
        if not windows:
            raise _bad_file("no melody could be heard in the recording")
        return await service.search_phrase(session, user, notes, scope, limit, threshold,
                                           corpus, kind="audio", filename=name,
                                           windows=windows)
    score = await read_upload(file.filename, data, name)
    return await service.check_score(session, user, score, name, scope, limit, threshold,
                                     corpus)


@router.post("/similarity/search", response_model=CheckResult, responses=_ERRORS)
async def search(body: SearchRequest, user: CurrentUser, session: SessionDep,
                 request: Request) -> CheckResult:
    """Search by a phrase (hummed, played or selected notes): where it occurs in your
    projects (scope "projects"), the reference corpus, or both."""
    settings = request.app.state.settings
    notes = [(n.pitch, n.start, n.duration) for n in body.notes]
    from ariaforge.similarity import service  # loads NumPy: not at start
    return await service.search_phrase(session, user, notes, body.scope, body.limit,
                                       settings.similarity_threshold,
                                       settings.reference_corpus_limit)


@router.get("/projects/{project_id}/similar", response_model=SimilarProjects,
            tags=["similarity"], responses=_ERRORS)
async def similar(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                  limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
                  ) -> SimilarProjects:
    """Your other projects (and those shared with you) closest to this one's score."""
    from ariaforge.similarity import service  # loads NumPy: not at start
    return await service.similar_projects(session, user, project_id, limit)


def _is_audio(name: str, data: bytes) -> bool:
    head = data[:12]
    return (name.lower().endswith(AUDIO_EXTENSIONS) or head[:4] in (b"RIFF", b"fLaC", b"OggS")
            or head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF
                                      and head[1] & 0xE0 == 0xE0))


async def _transcribe(data: bytes, name: str, max_seconds: float) -> list[tuple[int, int, int]]:
    """The recording's notes (similarity/transcribe.py, DESIGN §3)."""
    try:
        from ariaforge.similarity.transcribe import transcribe
    except ImportError:
        raise _bad_file("audio files cannot be checked on this server") from None
    try:
        if inspect.iscoroutinefunction(transcribe):
            result = await transcribe(data, name, max_seconds)
        else:
            result = await to_thread.run_sync(transcribe, data, name, max_seconds)
    except ValueError as error:  # undecodable or unusable audio: said for the uploader
        raise _bad_file(str(error)) from None
    except AppError:
        raise
    except Exception as error:  # a decoder failing in a way nobody foresaw: not a 500
        logger.warning("transcribing %s failed: %r", name, error)
        raise _bad_file("the recording could not be decoded") from None
    return [(int(p), int(s), int(d)) for p, s, d in result.notes]


def _bad_file(reason: str) -> ValidationFailed:
    return ValidationFailed(f"cannot check the file: {reason}", [
        {"loc": ["body", "file"], "msg": reason, "type": "unreadable_file"}])
