"""Locating and loading SoundFonts (sf2/sf3) for the synthesizer.

The default is `TimGM6mb.sf2`, a small General MIDI bank shipped inside the pretty-midi
package. Callers pass a better one as a path (the service reads it from `SOUNDFONT_PATH`;
this library reads no environment variables).

Each file is parsed once per (path, size, modification time) and kept as a template;
every render takes its own clone (`LoadedSoundFont.instance`), which shares the sample
data but has its own voices and channels, so concurrent renders in threads are safe.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinysoundfont import _tinysoundfont

from ariaforge.audio.errors import SoundFontError

DEFAULT_SOUNDFONT_PACKAGE = "pretty_midi"
DEFAULT_SOUNDFONT_NAME = "TimGM6mb.sf2"
MAX_VOICES = 256
DRUM_BANK = 128

SoundFontPath = str | os.PathLike[str]


def default_soundfont_path() -> Path:
    """The General MIDI SoundFont shipped inside pretty-midi (found without importing
    pretty-midi itself)."""
    spec = importlib.util.find_spec(DEFAULT_SOUNDFONT_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / DEFAULT_SOUNDFONT_NAME
        if path.is_file():
            return path
    raise SoundFontError(  # pragma: no cover - pretty-midi is a dependency
        f"the default SoundFont {DEFAULT_SOUNDFONT_NAME} needs the "
        f"{DEFAULT_SOUNDFONT_PACKAGE} package")


def resolve_soundfont(path: SoundFontPath | None) -> Path:
    """`path` made absolute, or the default SoundFont when `path` is None or empty."""
    if path is None or str(path) == "":
        return default_soundfont_path()
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise SoundFontError(f"SoundFont not found: {resolved}")
    return resolved


@dataclass
class LoadedSoundFont:
    """A parsed SoundFont, used only as a template for per-render clones."""

    path: Path
    size: int
    mtime_ns: int
    _template: Any
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _digest: str | None = None

    def instance(self, sample_rate: int, gain_db: float) -> Any:
        """A fresh synthesizer on this SoundFont: stereo interleaved float32 output at
        `sample_rate` with `gain_db` of global gain, all voices silent."""
        with self._lock:
            synth = _tinysoundfont.SoundFont(self._template)
        synth.set_output(_tinysoundfont.OutputMode.StereoInterleaved, sample_rate, gain_db)
        synth.set_max_voices(MAX_VOICES)
        return synth

    def has_preset(self, bank: int, program: int) -> bool:
        with self._lock:
            return str(self._template.get_preset_name(bank, program)) != "<None>"

    def digest(self) -> str:
        """SHA-256 of the file's bytes (computed once), for cache keys."""
        with self._lock:
            if self._digest is None:
                sha = hashlib.sha256()
                with self.path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        sha.update(block)
                self._digest = sha.hexdigest()
            return self._digest


_cache: dict[Path, LoadedSoundFont] = {}
_cache_lock = threading.Lock()


def load_soundfont(path: SoundFontPath | None = None) -> LoadedSoundFont:
    """The SoundFont at `path` (default: `default_soundfont_path()`), parsed at most once
    while the file is unchanged."""
    resolved = resolve_soundfont(path)
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise SoundFontError(f"cannot read SoundFont {resolved}: {exc}") from exc
    with _cache_lock:
        cached = _cache.get(resolved)
        if cached is not None and (cached.size, cached.mtime_ns) == (stat.st_size,
                                                                     stat.st_mtime_ns):
            return cached
        try:
            template = _tinysoundfont.SoundFont(str(resolved))
        except Exception as exc:
            raise SoundFontError(f"cannot load SoundFont {resolved}: {exc}") from exc
        if int(template.get_preset_count()) == 0:
            raise SoundFontError(f"SoundFont {resolved} has no presets")
        loaded = LoadedSoundFont(resolved, stat.st_size, stat.st_mtime_ns, template)
        _cache[resolved] = loaded
        return loaded
