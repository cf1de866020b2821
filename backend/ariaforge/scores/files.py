"""Import (MIDI, MusicXML, ABC) into a project's score, and export it (MIDI, MusicXML)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, File, Response, UploadFile

from ariaforge.api import API_PREFIX
from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import PayloadTooLargeError, ValidationFailed
from ariaforge.models import VersionReason
from ariaforge.music.interchange import InterchangeError, read_any, write_midi, write_musicxml
from ariaforge.music.score import Score
from ariaforge.projects.access import WRITERS, authorize
from ariaforge.scores import service
from ariaforge.scores.schemas import ScoreOut

router = APIRouter(prefix=f"{API_PREFIX}/projects/{{project_id}}", tags=["import and export"])
MAX_IMPORT_BYTES = 16 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9 _.-]+")
MIDI_TYPE = "audio/midi"
MUSICXML_TYPE = "application/vnd.recordare.musicxml+xml"


def _filename(name: str, extension: str) -> str:
    stem = _UNSAFE.sub("", name).strip(" .")[:80] or "score"
    return f"{stem}.{extension}"


def _describe(score: Score, filename: str) -> str:
    notes = sum(len(track.notes) for track in score.tracks)
    return f"imported {filename}: {len(score.tracks)} tracks, {notes} notes"


@router.post("/import", response_model=ScoreOut)
async def import_file(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                      response: Response,
                      file: Annotated[UploadFile, File(description=(
                          "a MIDI (.mid), MusicXML (.musicxml, .xml, .mxl) or ABC (.abc) "
                          "file, at most 16 MiB"))]) -> ScoreOut:
    """Replace the score with the file's music; the old score stays in the history."""
    await authorize(session, project_id, user, WRITERS)
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise PayloadTooLargeError(MAX_IMPORT_BYTES)
    filename = _filename(file.filename or "upload", "").rstrip(".") or "upload"
    try:
        score = await to_thread.run_sync(read_any, file.filename, data)
    except InterchangeError as error:
        raise ValidationFailed(f"cannot import {filename}: {error}", [
            {"loc": ["body", "file"], "msg": str(error), "type": "unreadable_file"}]) from None
    loaded = await service.replace_score(session, user, project_id, score,
                                         VersionReason.IMPORTED, _describe(score, filename))
    response.headers["ETag"] = f'"{loaded.row.revision}"'
    return ScoreOut(project_id=project_id, revision=loaded.row.revision,
                    updated_at=loaded.row.updated_at, score=loaded.score)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/export.mid", response_class=Response,
            responses={200: {"content": {MIDI_TYPE: {}}}})
async def export_midi(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """The score as a type 1 Standard MIDI File."""
    loaded = await service.get_score(session, user, project_id)
    body = await to_thread.run_sync(write_midi, loaded.score)
    return _download(body, MIDI_TYPE, _filename(loaded.project.name, "mid"))


@router.get("/export.musicxml", response_class=Response,
            responses={200: {"content": {MUSICXML_TYPE: {}}}})
async def export_musicxml(project_id: uuid.UUID, user: CurrentUser,
                          session: SessionDep) -> Response:
    """The score as MusicXML 4.0 (one part per track, chord symbols as <harmony>)."""
    loaded = await service.get_score(session, user, project_id)
    body = await to_thread.run_sync(write_musicxml, loaded.score)
    return _download(body, MUSICXML_TYPE, _filename(loaded.project.name, "musicxml"))
