"""Names downloaded files get: after the project ("Rainy waltz - mix.mp3"), safe on every
operating system, in a Content-Disposition header every browser reads (RFC 6266: an
ASCII `filename` fallback and the exact name as RFC 5987 `filename*`)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_STEM = 80  # characters of the project name kept (the suffix comes on top)
FALLBACK_STEM = "AriaForge"
# Separators and characters Windows, macOS or a shell refuse or read specially in a name.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\'`]+')
_SPACES = re.compile(r"\s+")
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9 ._()+,&!#-]+")


def _visible(text: str) -> str:
    """Without control and format characters (bidi overrides that disguise an
    extension, zero-widths, line breaks): those become spaces."""
    return "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) and ch != " "
                   else ch for ch in text)


def clean_stem(name: str) -> str:
    """The project's name as a file name stem: no separators, quotes or control
    characters, single spaces, no leading/trailing dots or spaces, bounded."""
    stem = _SPACES.sub(" ", _FORBIDDEN.sub(" ", _visible(unicodedata.normalize("NFC", name))))
    stem = stem.strip(" .")[:MAX_STEM].strip(" .")
    return stem or FALLBACK_STEM


def download_name(project_name: str, suffix: str) -> str:
    """`suffix` starts with "." (the project's own file: "Rainy waltz.mid") or names a
    part of it (" - mix.mp3")."""
    return f"{clean_stem(project_name)}{suffix}"


def ascii_fallback(filename: str) -> str:
    """For clients that ignore `filename*`: accents dropped, anything else non-ASCII
    replaced, so it is a legal quoted-string."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = _SPACES.sub(" ", _NOT_ASCII_SAFE.sub("_", plain)).strip(" ._-")
    _, dot, extension = filename.rpartition(".")
    if not plain or plain == extension:
        return f"{FALLBACK_STEM}.{extension}" if dot else FALLBACK_STEM
    return plain


def content_disposition(filename: str) -> str:
    return (f'attachment; filename="{ascii_fallback(filename)}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")
