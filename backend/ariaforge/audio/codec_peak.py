"""Keeping a lossy file under the true-peak ceiling after encoding.

A lossy codec does not keep the waveform: MP3, Vorbis and Opus add ringing that lifts
the decoded true peak above the master's (measured on TimGM6mb renders limited at
-1 dBTP: MP3 up to +1.1 dB at "low", Vorbis +0.8, Opus +1.5). So a lossy master is
limited `LOSSY_HEADROOM_DB` under the ceiling, and the encoded mix is decoded and
measured; if its true peak is still over the ceiling, the master is turned down by the
overshoot (plus `RETRY_MARGIN_DB`) and encoded again. A static gain: nothing pumps, and
the result depends only on the audio and the encoder, so renders stay deterministic.
WAV and FLAC are lossless (the 16-bit dither adds under 0.001 dB): no headroom.

The decoded file is measured as FFmpeg decodes it, `DECODE_CHUNK_FRAMES` at a time
(`loudness.true_peak_stream`), so the check holds one chunk (512 kB), not the whole
decoded mix. The chunks are read whole (a pipe read returns them filled), so the
measurement, and with it the file, is the same on every run.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ariaforge.audio.encode import decode_command, supervised
from ariaforge.audio.errors import EncodeError
from ariaforge.audio.loudness.gain import Audio, apply_gain
from ariaforge.audio.loudness.true_peak_stream import TruePeakStream
from ariaforge.audio.options import AudioFormat, MasterSettings

LOSSY_HEADROOM_DB: dict[str, float] = {"mp3": 0.5, "ogg": 0.5, "opus": 1.0}
RETRY_MARGIN_DB = 0.1
MAX_RETRIES = 3
DECODE_CHUNK_FRAMES = 1 << 16  # stereo float32 frames read from FFmpeg at a time


def codec_master(master: MasterSettings, fmt: AudioFormat) -> MasterSettings:
    """The master settings for a file in `fmt`: the ceiling lowered by the codec's
    headroom when the limiter is on (not validated again: a -6 dBTP ceiling may go
    lower)."""
    headroom = LOSSY_HEADROOM_DB.get(fmt, 0.0)
    if not headroom or not master.limiter:
        return master
    return master.model_copy(update={"ceiling_dbtp": master.ceiling_dbtp - headroom})


def encode_under_ceiling(audio: Audio, encode_to: Callable[[Audio], Path], fmt: AudioFormat,
                         ceiling_dbtp: float | None, *,
                         ffmpeg_binary: str | os.PathLike[str] | None = None) -> Path:
    """`encode_to(audio)`, and for a lossy `fmt` with a ceiling, again turned down until
    the decoded file's true peak is at most `ceiling_dbtp` (at most `MAX_RETRIES` times;
    the last attempt turns down by twice the overshoot)."""
    path = encode_to(audio)
    if ceiling_dbtp is None or fmt not in LOSSY_HEADROOM_DB:
        return path
    turned = 0.0
    for attempt in range(MAX_RETRIES):
        peak = decoded_true_peak(path, floor_db=ceiling_dbtp, ffmpeg_binary=ffmpeg_binary)
        if peak is None or peak <= ceiling_dbtp:
            return path
        over = peak - ceiling_dbtp + RETRY_MARGIN_DB
        turned -= over * (2.0 if attempt == MAX_RETRIES - 1 else 1.0)
        path = encode_to(apply_gain(audio, turned))
    return path


def decoded_true_peak(path: str | os.PathLike[str], *, floor_db: float | None = None,
                      ffmpeg_binary: str | os.PathLike[str] | None = None) -> float | None:
    """`true_peak_dbtp(decode(path))`, measured chunk by chunk as FFmpeg decodes; with a
    `floor_db`, exact only when it reaches the floor (see `TruePeakStream`)."""
    meter = TruePeakStream(floor_db)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                decode_command(path, ffmpeg_binary=ffmpeg_binary),
                stdout=subprocess.PIPE, stderr=errors)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EncodeError(f"FFmpeg failed to run: {exc}") from exc
        with supervised(process):
            assert process.stdout is not None
            while chunk := process.stdout.read(DECODE_CHUNK_FRAMES * 8):
                samples = np.frombuffer(chunk, dtype="<f4")
                meter.feed(samples[:len(samples) // 2 * 2].reshape(-1, 2))
            returncode = process.wait()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip()[-2000:]
    if returncode != 0:
        raise EncodeError(f"FFmpeg could not decode {path}: {message}")
    return meter.peak_db()
