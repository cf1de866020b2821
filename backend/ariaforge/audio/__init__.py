"""Score → finished audio: synthesis, mixing, loudness, encoding and quality checks.

A pure library: no web, database, queue or storage imports, and no environment reads
(callers pass the SoundFont path and FFmpeg binary in). Modules:

* `synth.render_stems`: one stereo float32 stem per track through a SoundFont.
* `mix.mix` / `process_stems` / `master_chain` and `MixSettings`.
* `loudness`: integrated LUFS, LRA, true peak, true-peak limiter, `normalize`.
* `encode.encode` / `decode` / `probe`: FFmpeg subprocess (wav, flac, mp3, ogg, opus).
* `quality.analyze` → `QualityReport`.
* `pipeline.render_score`: all of it, to files.
"""

from ariaforge.audio.encode import FORMATS, AudioFormat, Quality, decode, encode, probe
from ariaforge.audio.errors import (
    BadInputError,
    BadScoreError,
    EncodeError,
    RenderError,
    SoundFontError,
)
from ariaforge.audio.loudness import (
    integrated_lufs,
    normalize,
    normalize_detailed,
    true_peak_dbtp,
    true_peak_limit,
)
from ariaforge.audio.mix import (
    CompressorEffect,
    EqEffect,
    MasterSettings,
    MixSettings,
    ReverbEffect,
    TrackMix,
    mix,
)
from ariaforge.audio.pipeline import (
    RenderedFile,
    RenderOptions,
    RenderResult,
    render_cache_key,
    render_score,
)
from ariaforge.audio.quality import QualityReport, analyze
from ariaforge.audio.soundfont import default_soundfont_path, load_soundfont
from ariaforge.audio.synth import render_stems

__all__ = [
    "FORMATS",
    "AudioFormat",
    "BadInputError",
    "BadScoreError",
    "CompressorEffect",
    "EncodeError",
    "EqEffect",
    "MasterSettings",
    "MixSettings",
    "Quality",
    "QualityReport",
    "RenderError",
    "RenderOptions",
    "RenderResult",
    "RenderedFile",
    "ReverbEffect",
    "SoundFontError",
    "TrackMix",
    "analyze",
    "decode",
    "default_soundfont_path",
    "encode",
    "integrated_lufs",
    "load_soundfont",
    "mix",
    "normalize",
    "normalize_detailed",
    "probe",
    "render_cache_key",
    "render_score",
    "render_stems",
    "true_peak_dbtp",
    "true_peak_limit",
]
