"""Import (MIDI, MusicXML, ABC) into a project's score, and export it (MIDI, MusicXML).

Parsing and writing run in worker processes (`ariaforge.core.isolation`) under time
limits (IMPORT_TIMEOUT_S, 60 s; EXPORT_TIMEOUT_S, 30 s): a hostile file that would keep a
parser busy for minutes is refused with a 422 instead, and the API keeps answering.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import PayloadTooLargeError, ValidationFailed
from ariaforge.core.isolation import (
    WorkCrashed,
    WorkFailed,
    WorkPool,
    WorkTimedOut,
    WorkUnavailable,
    seconds_from_env,
)
from ariaforge.core.quotas import count_upload
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import VersionReason
from ariaforge.music.interchange import (
    InterchangeError,
    detect_format,
    read_any,
    write_midi,
    write_musicxml,
)
from ariaforge.music.score import Score
from ariaforge.scores import service
from ariaforge.scores.download_names import content_disposition, download_name
from ariaforge.scores.notation import ServerBusy
from ariaforge.scores.schemas import ScoreOut

logger = logging.getLogger(__name__)
routes = APIRouter(prefix=f"{API_PREFIX}/projects/{{project_id}}", tags=["import and export"])
MAX_IMPORT_BYTES = 16 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9 _.-]+")
MIDI_TYPE = "audio/midi"
MUSICXML_TYPE = "application/vnd.recordare.musicxml+xml"
DEFAULT_IMPORT_LIMIT_S = 60.0
DEFAULT_EXPORT_LIMIT_S = 30.0
_FORMAT_NAMES = {"midi": "MIDI", "musicxml": "MusicXML", "mxl": "MusicXML", "abc": "ABC"}
# Readers import music21 (about 2 s) once per worker; writers only our own modules.
readers = WorkPool("import", preload=(
    "ariaforge.music.interchange", "ariaforge.music.interchange.from_music21",
    "music21.abcFormat.translate", "music21.musicxml.xmlToM21"))
writers = WorkPool("export", preload=("ariaforge.music.interchange",))


def _filename(name: str, extension: str) -> str:
    stem = _UNSAFE.sub("", name).strip(" .")[:80] or "score"
    return f"{stem}.{extension}"


def _describe(score: Score, filename: str) -> str:
    notes = sum(len(track.notes) for track in score.tracks)
    return f"imported {filename}: {len(score.tracks)} tracks, {notes} notes"


_BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "the server is busy or shutting down; try again shortly"}}


@routes.post("/import", response_model=ScoreOut, responses={
    422: {"description": "the file could not be read (or not within the time limit)"},
    **_BUSY})
async def import_file(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                      response: Response, request: Request, redis: RedisDep,
                      file: Annotated[UploadFile, File(description=(
                          "a MIDI (.mid), MusicXML (.musicxml, .xml, .mxl) or ABC (.abc) "
                          "file, at most 16 MiB"))]) -> ScoreOut:
    """Replace the score with the file's music; the old score stays in the history."""
    await authorize(session, project_id, user, WRITERS)
    # Counted once the request is well-formed and allowed: a malformed or refused request
    # costs nothing, a file that turns out unreadable does (the parsing is the cost).
    await count_upload(request, user, redis)
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise PayloadTooLargeError(MAX_IMPORT_BYTES)
    filename = _filename(file.filename or "upload", "").rstrip(".") or "upload"
    score = await read_upload(file.filename, data, filename)
    loaded = await service.replace_score(session, user, project_id, score,
                                         VersionReason.IMPORTED, _describe(score, filename))
    response.headers["ETag"] = f'"{loaded.row.revision}"'
    return ScoreOut(project_id=project_id, revision=loaded.row.revision,
                    updated_at=loaded.row.updated_at, score=loaded.score)


async def read_upload(name: str | None, data: bytes, shown: str) -> Score:
    """The file's score, parsed in a worker under the import time limit; 422 otherwise."""
    try:
        what = _FORMAT_NAMES[detect_format(name, data)]
    except InterchangeError as error:
        raise _unreadable(shown, str(error)) from None
    limit = seconds_from_env("IMPORT_TIMEOUT_S", DEFAULT_IMPORT_LIMIT_S)
    try:
        score: Score = await readers.run(limit, read_any, name, data)
    except InterchangeError as error:  # ours: written for the person who uploaded it
        raise _unreadable(shown, str(error)) from None
    except WorkTimedOut:
        raise _unreadable(shown, f"reading it took longer than {limit:g} s; the {what} file "
                          "is too large or too complex to import", "import_timeout") from None
    except WorkUnavailable as error:
        raise ServerBusy(str(error)) from None
    except (WorkCrashed, WorkFailed, ValueError) as error:
        # A parser failing in a way we did not foresee: its text is not for users.
        logger.warning("import of a %s file failed: %s", what, error)
        raise _unreadable(shown, f"the file could not be read as {what}") from None
    return score


def _unreadable(shown: str, reason: str, kind: str = "unreadable_file") -> ValidationFailed:
    return ValidationFailed(f"cannot import {shown}: {reason}", [
        {"loc": ["body", "file"], "msg": reason, "type": kind}])


async def write_file(writer: Callable[[Score], bytes], score: Score, what: str) -> bytes:
    """`writer(score)` in a worker under the export time limit; 422 if it cannot finish."""
    limit = seconds_from_env("EXPORT_TIMEOUT_S", DEFAULT_EXPORT_LIMIT_S)
    try:
        return await writers.run(limit, writer, score)
    except WorkTimedOut:
        reason = f"writing it took longer than {limit:g} s"
    except WorkUnavailable as error:
        raise ServerBusy(str(error)) from None
    except (WorkCrashed, WorkFailed, ValueError) as error:
        logger.warning("%s export failed: %s", what, error)
        reason = "the score holds something the writer cannot express"
    raise ValidationFailed(f"the score could not be exported as {what}: {reason}", [
        {"loc": ["score"], "msg": reason, "type": "export_failed"}])


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": content_disposition(filename)})


@routes.get("/export.mid", response_class=Response,
            responses={200: {"content": {MIDI_TYPE: {}}},
                       422: {"description": "the score could not be written"}, **_BUSY})
async def export_midi(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """The score as a type 1 Standard MIDI File."""
    loaded = await service.get_score(session, user, project_id)
    body = await write_file(write_midi, loaded.score, "MIDI")
    return _download(body, MIDI_TYPE, download_name(loaded.project.name, ".mid"))


@routes.get("/export.musicxml", response_class=Response,
            responses={200: {"content": {MUSICXML_TYPE: {}}},
                       422: {"description": "the score could not be written"}, **_BUSY})
async def export_musicxml(project_id: uuid.UUID, user: CurrentUser,
                          session: SessionDep) -> Response:
    """The score as MusicXML 4.0 (one part per track, chord symbols as <harmony>)."""
    loaded = await service.get_score(session, user, project_id)
    body = await write_file(write_musicxml, loaded.score, "MusicXML")
    return _download(body, MUSICXML_TYPE,
                     download_name(loaded.project.name, ".musicxml"))
