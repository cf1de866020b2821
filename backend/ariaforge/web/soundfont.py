"""The render SoundFont, served to the browser's synthesizer (ADR 0025).

The in-browser player sounds through the same SoundFont file the worker renders with
(`SOUNDFONT_PATH`, else `TimGM6mb.sf2` shipped inside pretty-midi), so what a musician
hears while editing is what the export will hold. The file is a shipped asset, not user
data: both routes are public (the shared listen page plays without an account).

`GET /api/v1/soundfont` says which file it is; `GET /api/v1/soundfont/{sha256}.sf2`
answers it under a content-addressed name, so browsers keep it for a year and never ask
again until the file changes (then the name changes).

This module runs in the API process, which must not load the audio stack (NumPy,
TinySoundFont; tests/test_import_weight.py): the default file is located the way
`ariaforge.audio.soundfont.default_soundfont_path` does it (`importlib.util.find_spec`,
pretty-midi itself is never imported), and a test checks that the two agree.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from ariaforge.config import Settings
from ariaforge.core.errors import AppError, ErrorCode, NotFound
from ariaforge.core.routing import API_PREFIX

DEFAULT_PACKAGE = "pretty_midi"
DEFAULT_NAME = "TimGM6mb.sf2"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
IMMUTABLE = "public, max-age=31536000, immutable"

router = APIRouter(prefix=API_PREFIX, tags=["playback"])


class SoundFontUnavailable(AppError):
    """SOUNDFONT_PATH names a file that is gone or unreadable (or pretty-midi is absent):
    an operator's fault, not the client's."""

    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE


class SoundFontInfo(BaseModel):
    url: str = Field(description="where the file is, under its content hash")
    sha256: str = Field(pattern=SHA256_PATTERN)
    bytes: int = Field(ge=0)
    name: str = Field(description="the file's name (e.g. TimGM6mb.sf2)")


@dataclass(frozen=True)
class _Stamped:
    path: Path
    size: int
    mtime_ns: int
    sha256: str


_known: dict[Path, _Stamped] = {}
_lock = threading.Lock()


def default_soundfont() -> Path | None:
    """The General MIDI SoundFont inside the pretty-midi package, found without importing
    it (None when the package is absent)."""
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / DEFAULT_NAME
        if candidate.is_file():
            return candidate
    return None


def soundfont_path(settings: Settings) -> Path | None:
    configured = settings.soundfont_path
    if configured is not None and str(configured) != "":
        resolved = Path(configured).expanduser().resolve()
        return resolved if resolved.is_file() else None
    return default_soundfont()


def stamped(path: Path) -> _Stamped:
    """The file with its SHA-256, hashed once while its size and mtime stay the same."""
    info = path.stat()
    with _lock:
        known = _known.get(path)
        if known is not None and (known.size, known.mtime_ns) == (info.st_size,
                                                                  info.st_mtime_ns):
            return known
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    fresh = _Stamped(path, info.st_size, info.st_mtime_ns, digest.hexdigest())
    with _lock:
        _known[path] = fresh
    return fresh


async def _current(request: Request) -> _Stamped:
    settings: Settings = request.app.state.settings
    path = soundfont_path(settings)
    if path is None:
        raise SoundFontUnavailable("no SoundFont is installed on this server")
    try:
        return await asyncio.to_thread(stamped, path)  # hashing 6 MB+ blocks ~20 ms
    except OSError:
        raise SoundFontUnavailable("the SoundFont cannot be read") from None


@router.get("/soundfont", response_model=SoundFontInfo,
            responses={503: {"description": "no readable SoundFont on this server"}})
async def soundfont_info(request: Request) -> SoundFontInfo:
    """Which SoundFont the server renders with, for the browser player: its address
    (content-addressed, cacheable for ever), SHA-256, size and name. Public."""
    current = await _current(request)
    return SoundFontInfo(url=f"{API_PREFIX}/soundfont/{current.sha256}.sf2",
                         sha256=current.sha256, bytes=current.size, name=current.path.name)


@router.get("/soundfont/{sha256}.sf2", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}},
                       304: {"description": "the browser's copy is current"},
                       404: {"description": "not the hash of the server's SoundFont"},
                       503: {"description": "no readable SoundFont on this server"}})
async def soundfont_file(
    request: Request,
    sha256: Annotated[str, PathParam(pattern=SHA256_PATTERN, min_length=64, max_length=64,
                                     description="the SHA-256 from GET /soundfont")],
    if_none_match: Annotated[str | None, Header(max_length=256)] = None,
) -> Response:
    """The SoundFont file, public and immutable (its name is its hash); 404 for any other
    hash (an old one after the server's SoundFont changed: ask GET /soundfont again)."""
    current = await _current(request)
    if sha256 != current.sha256:
        raise NotFound("no SoundFont with this hash; GET /api/v1/soundfont names the current one")
    etag = f'"{current.sha256}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag}
    if if_none_match is not None and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return FileResponse(current.path, media_type="application/octet-stream", headers=headers)
