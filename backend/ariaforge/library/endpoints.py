"""The sound library: instrument presets, uploaded SoundFonts and audio samples
(docs/library.md)."""
from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from ariaforge.auth.deps import CurrentUser
from ariaforge.core import quotas
from ariaforge.core.db import SessionDep, commit
from ariaforge.core.errors import NotFound
from ariaforge.core.redis import RedisDep
from ariaforge.core.storage import ObjectNotFoundError
from ariaforge.library import service
from ariaforge.library.decode import CONTENT_TYPES
from ariaforge.library.schemas import (
    FORM_BPM_PATTERN,
    FORM_KEY_PATTERN,
    KEY_PATTERN,
    MAX_BPM,
    MIN_BPM,
    OPTIONAL_NAME_PATTERN,
    TAGS_PATTERN,
    PresetCategory,
    PresetCreate,
    PresetList,
    PresetOut,
    SampleCategory,
    SampleOut,
    SamplePage,
    SamplePatch,
    SoundFontList,
    UploadOut,
    normalise_key,
)
from ariaforge.scores.download_names import content_disposition

router = APIRouter(prefix="/api/v1/library", tags=["library"])
SearchText = Annotated[str | None, Query(
    max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$",
    description="text search (typo tolerant) over name, category, tags and key")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not found (or not yours)"}}


@router.get("/presets", response_model=PresetList)
async def list_presets(user: CurrentUser, session: SessionDep, search: SearchText = None,
                       category: PresetCategory | None = None) -> PresetList:
    """The shipped presets and your own."""
    return PresetList(items=await service.list_presets(session, user, search, category))


@router.post("/presets", status_code=status.HTTP_201_CREATED, response_model=PresetOut)
async def create_preset(body: PresetCreate, user: CurrentUser,
                        session: SessionDep) -> PresetOut:
    """A preset of your own: a GM program, or a preset of one of your SoundFonts."""
    return await service.create_preset(session, user, body)


@router.delete("/presets/{preset_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**_NOT_FOUND, 403: {"description": "a shipped preset"}})
async def delete_preset(preset_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    await service.delete_preset(session, user, preset_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/soundfonts", response_model=SoundFontList)
async def list_soundfonts(user: CurrentUser, session: SessionDep) -> SoundFontList:
    """Your uploaded SoundFonts with the presets each offers."""
    return SoundFontList(items=await service.list_soundfonts(session, user))


@router.delete("/soundfonts/{soundfont_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=_NOT_FOUND)
async def delete_soundfont(soundfont_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                           request: Request) -> Response:
    """The SoundFont and the presets made from it."""
    await service.delete_soundfont(session, request.app.state.storage, user, soundfont_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/samples", response_model=SamplePage, responses=_NOT_FOUND)
async def list_samples(
        user: CurrentUser, session: SessionDep,
        category: SampleCategory | None = None,
        bpm: Annotated[float | None, Query(ge=MIN_BPM, le=MAX_BPM, allow_inf_nan=False)] = None,
        bpm_tolerance: Annotated[float, Query(ge=0, le=20, allow_inf_nan=False)] = 3.0,
        key: Annotated[str | None, Query(pattern=KEY_PATTERN, max_length=8)] = None,
        key_match: Literal["exact", "relative"] = "exact",
        search: SearchText = None,
        project_id: Annotated[uuid.UUID | None, Query(
            description="only samples shared with this project (you must be a member)")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> SamplePage:
    """Your samples and those shared with your projects. `bpm` matches within
    `bpm_tolerance`; `key_match=relative` also finds the relative major/minor."""
    items, total = await service.search_samples(session, user, service.SampleQuery(
        category=category, bpm=bpm, bpm_tolerance=bpm_tolerance,
        key=normalise_key(key) if key else None, key_match=key_match, search=search,
        project_id=project_id, limit=limit, offset=offset))
    return SamplePage(items=items, total=total)


@router.get("/samples/{sample_id}", response_model=SampleOut, responses=_NOT_FOUND)
async def get_sample(sample_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> SampleOut:
    return await service.get_sample(session, user, sample_id)


@router.patch("/samples/{sample_id}", response_model=SampleOut,
              responses={**_NOT_FOUND, 403: {"description": "not your sample"}})
async def patch_sample(sample_id: uuid.UUID, body: SamplePatch, user: CurrentUser,
                       session: SessionDep) -> SampleOut:
    """Edit name, category, bpm, key, tags; `project_ids` sets the projects it is shared
    with (you must be an owner or editor of each one added)."""
    return await service.patch_sample(session, user, sample_id, body)


@router.delete("/samples/{sample_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**_NOT_FOUND, 403: {"description": "not your sample"}})
async def delete_sample(sample_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                        request: Request) -> Response:
    await service.delete_sample(session, request.app.state.storage, user, sample_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/samples/{sample_id}/audio", response_class=StreamingResponse,
            responses={200: {"content": {media: {} for media in (
                "audio/wav", "audio/flac", "audio/mpeg", "audio/ogg")}}, **_NOT_FOUND})
async def sample_audio(sample_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                       request: Request) -> StreamingResponse:
    """The sample's file as uploaded (for preview and the renderer)."""
    row = await service.visible_sample(session, user, sample_id)
    storage = request.app.state.storage
    size = await storage.size(row.storage_key)
    if size is None:
        raise NotFound("the sample's file is missing")
    filename = f"{row.name}.{row.format}"

    async def body() -> Any:
        try:
            async for chunk in storage.stream(row.storage_key):
                yield chunk
        except ObjectNotFoundError:
            return

    return StreamingResponse(body(), media_type=CONTENT_TYPES[row.format], headers={
        "Content-Length": str(size),
        "Content-Disposition": content_disposition(filename).replace("attachment", "inline", 1),
        "Cache-Control": "private, max-age=3600"})


@router.post("/upload", status_code=status.HTTP_201_CREATED, response_model=UploadOut,
             responses={413: {"description": "the file or your library is over its limit"},
                        422: {"description": "not a .wav, .flac, .mp3, .ogg or .sf2 file, or "
                                             "the file is damaged, truncated, too long, has "
                                             "too many channels or does not match its name"},
                        429: {"description": "too many uploads this hour"}})
async def upload(
        user: CurrentUser, session: SessionDep, redis: RedisDep, request: Request,
        file: Annotated[UploadFile, File(description=(
            "a sample (.wav, .flac, .mp3, .ogg: mono or stereo, at most "
            "LIBRARY_MAX_SAMPLE_SECONDS long) or a SoundFont (.sf2); at most "
            "LIBRARY_MAX_FILE_BYTES"))],
        name: Annotated[str, Form(max_length=100, pattern=OPTIONAL_NAME_PATTERN, description=(
            "empty: from the file name (or the SoundFont's own name)"))] = "",
        category: Annotated[SampleCategory, Form()] = "other",
        tags: Annotated[str, Form(max_length=700, pattern=TAGS_PATTERN, description=(
            "comma-separated tags, at most 16"))] = "",
        bpm: Annotated[str, Form(max_length=6, pattern=FORM_BPM_PATTERN, description=(
            "20-300, instead of the detected tempo; empty: detect it"))] = "",
        key: Annotated[str, Form(max_length=8, pattern=FORM_KEY_PATTERN, description=(
            "e.g. 'A minor', instead of the detected key; empty: detect it"))] = "",
) -> UploadOut:
    """Upload a sample (bpm and key are detected unless given) or a SoundFont. The file is
    checked by decoding it; a refused file stores nothing. Counts against
    UPLOADS_PER_HOUR (shared with score imports and similarity file checks)."""
    settings = request.app.state.settings
    storage = request.app.state.storage
    limit: int = settings.library_max_file_bytes
    filename = (file.filename or "upload")[:200]
    form = service.UploadForm(filename=filename, name=name or None, category=category,
                              tags=service.parse_tags(tags), bpm=float(bpm) if bpm else None,
                              key=normalise_key(key) if key else None)
    if file.size is not None and file.size > limit:
        raise _too_large(filename, limit)
    await quotas.count_upload(request, user, redis)  # one budget with imports (ADR 0038)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(filename, limit)
    stored = await service.upload(session, storage, settings, user, data, form)
    try:
        await commit(session)
    except BaseException:
        await service.discard(storage, stored.key)
        raise
    return stored.out


def _too_large(filename: str, limit: int) -> service.PayloadTooLarge:
    message = f"the file is larger than {limit / 1_048_576:g} MiB"
    return service.PayloadTooLarge(f"cannot accept {filename}: {message}", [
        {"loc": ["body", "file"], "msg": message, "type": "file_too_large"}])
