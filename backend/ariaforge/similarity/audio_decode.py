"""Uploaded audio to mono float32 at 22050 Hz with FFmpeg, through pipes (ADR 0033).

FFmpeg reads the bytes on stdin and writes raw float32 on stdout: nothing touches the
disk. It may only use the pipe protocol and the WAV, FLAC, MP3 and Ogg demuxers, so a
file that claims to be audio but is, say, an HLS playlist cannot make it open other
files or URLs. Decoding stops a little past `max_seconds` (`-t`), so a long upload
costs no more than that to refuse. Imported lazily by `transcribe` (NumPy, FFmpeg's
locator), never at API start.
"""

from __future__ import annotations

import subprocess
from typing import Final

import imageio_ffmpeg
import numpy as np
import numpy.typing as npt

from ariaforge.similarity.transcribe import TranscriptionError

SAMPLE_RATE: Final = 22050  # basic-pitch's AUDIO_SAMPLE_RATE
DEMUXERS: Final = "wav,flac,mp3,ogg"
TIMEOUT_S: Final = 60.0
# Codec padding (an MP3's encoder delay, a Vorbis block) may make a clip of exactly
# `max_seconds` decode a few milliseconds longer: tolerated, not reported as too long.
LENGTH_SLACK_S: Final = 0.1
# Silence: no 50 ms block louder than -60 dBFS RMS.
SILENCE_RMS: Final = 10 ** (-60 / 20)
_BLOCK: Final = SAMPLE_RATE // 20

Mono = npt.NDArray[np.float32]


def decode(data: bytes, max_seconds: float, *, name: str = "") -> Mono:
    """The first audio stream of `data` as mono float32 at SAMPLE_RATE. Raises
    TranscriptionError when FFmpeg cannot read it, it has no audio, or it lasts more
    than `max_seconds`."""
    label = f"'{name}'" if name.strip() else "the file"
    if not data:
        raise TranscriptionError(f"{label} is empty")
    limit = max_seconds + LENGTH_SLACK_S
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostats", "-loglevel", "error",
               "-protocol_whitelist", "pipe", "-format_whitelist", DEMUXERS,
               "-i", "pipe:0", "-map", "0:a:0", "-vn", "-sn", "-dn",
               "-ac", "1", "-ar", str(SAMPLE_RATE), "-t", f"{limit + 0.05:.3f}",
               "-f", "f32le", "pipe:1"]
    try:
        done = subprocess.run(command, input=data, capture_output=True,  # noqa: S603 - fixed argv, no shell
                              timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise TranscriptionError(f"{label} took too long to decode") from exc
    audio = np.frombuffer(done.stdout[: len(done.stdout) // 4 * 4], dtype="<f4")
    if done.returncode != 0 or audio.size == 0:
        raise TranscriptionError(f"{label} could not be read as audio (WAV, FLAC, MP3 or Ogg); "
                                 "it may be damaged or in another format")
    if audio.size > limit * SAMPLE_RATE:
        raise TranscriptionError(f"{label} is longer than {max_seconds:g} seconds: "
                                 f"send at most {max_seconds:g} seconds of audio")
    audio = audio.astype(np.float32)  # a writable copy, in native byte order
    np.nan_to_num(audio, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return audio


def is_silent(audio: Mono) -> bool:
    """No 50 ms block is louder than -60 dBFS (RMS)."""
    if audio.size == 0:
        return True
    blocks = max(1, len(audio) // _BLOCK)
    usable = audio[: blocks * _BLOCK] if len(audio) >= _BLOCK else audio[None, :]
    power = np.square(usable.astype(np.float64)).reshape(blocks, -1)
    return float(np.sqrt(power.mean(axis=1).max())) < SILENCE_RMS
