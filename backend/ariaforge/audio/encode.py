"""Encoding float audio to files with FFmpeg (a subprocess, no shell), and decoding back.

Formats: wav (PCM 16- or 24-bit), flac (16- or 24-bit), both with TPDF dither at 16 bits
(done here, deterministic, and none on exact digital silence, which stays silent),
mp3 (libmp3lame VBR), ogg (libvorbis VBR), opus (libopus VBR in Ogg; always 48 kHz, the
rate Opus works at). Audio goes to FFmpeg's stdin as raw interleaved float32; the output
is written to a temporary file beside the destination and renamed into place, so a
failed encode never leaves a partial file. Metadata and encoder version strings are left
out (`-fflags +bitexact`, `-map_metadata -1`), so the same input gives the same bytes.

Resampling (when `sample_rate` differs from the input's) is done here with a polyphase
filter (`scipy.signal.resample_poly`), not by FFmpeg, so the result does not depend on
how FFmpeg was built.

`quality` is one of "low", "medium", "high", "best":

| format | low | medium | high | best |
| mp3 (VBR -q:a) | 7 (~100 kb/s) | 4 (~165) | 2 (~190) | 0 (~245) |
| mp3 (LAME -q, `-compression_level`) | 7 | 5 | 5 | (LAME's default) |
| ogg (-q:a) | 3 (~112 kb/s) | 5 (~160) | 6 (~192) | 8 (~256) |
| opus (-b:a) | 64k | 96k | 128k | 192k |
| flac (compression level) | 2 | 5 | 5 | 8 |
| wav | (ignored) | | | |

LAME's algorithm quality (`-compression_level`): in VBR mode level 5 only skips the
exhaustive Huffman table search, so "medium" and "high" decode to exactly the same
samples as with LAME's default (checked by the tests; files ~2% larger) and encode ~14%
faster. "low" (previews) uses 7, which also drops LAME's noise shaping: ~16% faster than
the default, for 0.3 dB less signal-to-noise ratio overall (1.7 dB less per frame,
median) on a 3-minute test mix at the same VBR level. "best" keeps LAME's default (there
level 5 would change the audio).

Long MP3s (`MP3_SPLIT_S` seconds and more) are encoded by `MP3_PARTS` LAME processes at
once and joined into one stream (see `mp3split`): the decoded samples are those of a
one-process encode, so quality is unchanged; only the wall time is shorter (when a core
is free: ADR 17 has the measurements and when to drop it).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import overload

import imageio_ffmpeg
import numpy as np
import numpy.typing as npt
from scipy import signal

from ariaforge.audio import mp3split
from ariaforge.audio.errors import EncodeError
from ariaforge.audio.loudness.gain import Audio, as_stereo
from ariaforge.audio.options import AudioFormat, Quality

FORMATS: tuple[AudioFormat, ...] = ("wav", "mp3", "flac", "ogg", "opus")
EXTENSIONS: dict[str, str] = {"wav": ".wav", "mp3": ".mp3", "flac": ".flac", "ogg": ".ogg",
                              "opus": ".opus"}
ENCODERS: dict[str, str] = {"mp3": "libmp3lame", "ogg": "libvorbis", "opus": "libopus",
                            "flac": "flac", "wav": "pcm_s16le"}
OUTPUT_RATES = (44100, 48000)
OPUS_RATE = 48000
# Samples per frame of each codec, for "the decoded length is within one frame".
FRAME_SAMPLES: dict[str, int] = {"wav": 1, "flac": 4608, "mp3": 1152, "ogg": 2048,
                                 "opus": 960}
TIMEOUT_S = 600.0
_DITHER_CHUNK = 1 << 20

_MP3_Q = {"low": "7", "medium": "4", "high": "2", "best": "0"}
_MP3_LEVEL: dict[str, str | None] = {"low": "7", "medium": "5", "high": "5", "best": None}
MP3_PARTS = 2
MP3_SPLIT_S = 20.0
_OGG_Q = {"low": "3", "medium": "5", "high": "6", "best": "8"}
_OPUS_B = {"low": "64k", "medium": "96k", "high": "128k", "best": "192k"}
_FLAC_LEVEL = {"low": "2", "medium": "5", "high": "5", "best": "8"}


def ffmpeg_path(ffmpeg_binary: str | os.PathLike[str] | None = None) -> str:
    """`ffmpeg_binary`, or the FFmpeg shipped with imageio-ffmpeg."""
    if ffmpeg_binary is not None and str(ffmpeg_binary):
        return str(ffmpeg_binary)
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # pragma: no cover - the wheel ships a binary
        raise EncodeError(f"no FFmpeg binary: {exc}") from exc


_encoders: dict[str, frozenset[str]] = {}
_encoders_lock = threading.Lock()


def available_encoders(ffmpeg_binary: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """Names of the audio encoders the FFmpeg binary has (cached per binary)."""
    binary = ffmpeg_path(ffmpeg_binary)
    with _encoders_lock:
        cached = _encoders.get(binary)
    if cached is not None:
        return cached
    try:
        listing = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [binary, "-hide_banner", "-nostdin", "-encoders"], capture_output=True,
            timeout=60, check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as exc:
        raise EncodeError(f"cannot run FFmpeg at {binary}: {exc}") from exc
    names = frozenset(m.group(1) for m in re.finditer(r"^\s*A[.\w]{5}\s+(\S+)", listing,
                                                      re.MULTILINE))
    with _encoders_lock:
        _encoders[binary] = names
    return names


def check_encoder(fmt: AudioFormat, ffmpeg_binary: str | os.PathLike[str] | None = None) -> None:
    """EncodeError when the binary cannot encode `fmt`."""
    if fmt not in ENCODERS:
        raise EncodeError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    needed = ENCODERS[fmt]
    if needed not in available_encoders(ffmpeg_binary):
        raise EncodeError(f"FFmpeg at {ffmpeg_path(ffmpeg_binary)} has no {needed} encoder, "
                          f"needed for {fmt}")


def resample(audio: npt.ArrayLike, from_rate: int, to_rate: int) -> Audio:
    """Polyphase resampling of (frames, 2) float32 audio."""
    data = as_stereo(audio)
    if from_rate == to_rate:
        return data
    ratio = Fraction(to_rate, from_rate)
    out = signal.resample_poly(data, ratio.numerator, ratio.denominator, axis=0)
    result: Audio = np.ascontiguousarray(out, dtype=np.float32)
    return result


def output_rate(fmt: AudioFormat, input_rate: int, sample_rate: int | None) -> int:
    """The rate a file of `fmt` is written at."""
    if fmt == "opus":
        return OPUS_RATE
    if sample_rate is None:
        return input_rate
    if sample_rate not in OUTPUT_RATES:
        raise EncodeError(f"sample_rate must be one of {OUTPUT_RATES}")
    return sample_rate


def _hash32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """A fixed integer hash (lowbias32): deterministic noise on any platform."""
    x = values.copy()
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def dither_to_int16(audio: Audio) -> npt.NDArray[np.int16]:
    """16-bit PCM with triangular (TPDF, +-1 LSB) dither from a fixed hash of the sample
    index, so the same audio always gives the same bytes. Exact zeros get no dither."""
    flat = audio.reshape(-1)
    out = np.empty(flat.shape, np.int16)
    for begin in range(0, len(flat), _DITHER_CHUNK):
        chunk = flat[begin:begin + _DITHER_CHUNK].astype(np.float64)
        index = np.arange(begin, begin + len(chunk), dtype=np.uint64).astype(np.uint32)
        first = _hash32(index).astype(np.float64)
        second = _hash32(index ^ np.uint32(0xA5A5A5A5)).astype(np.float64)
        noise = (first - second) / 2.0**32  # triangular on (-1, 1)
        noise[chunk == 0.0] = 0.0
        scaled = np.floor(chunk * 32768.0 + noise + 0.5)
        out[begin:begin + len(chunk)] = np.clip(scaled, -32768, 32767).astype(np.int16)
    return out.reshape(audio.shape)


def _codec_args(fmt: AudioFormat, bit_depth: int, quality: Quality) -> list[str]:
    if fmt == "wav":
        return ["-c:a", "pcm_s16le" if bit_depth == 16 else "pcm_s24le", "-f", "wav"]
    if fmt == "flac":
        depth = (["-sample_fmt", "s16"] if bit_depth == 16
                 else ["-sample_fmt", "s32", "-bits_per_raw_sample", "24"])
        return ["-c:a", "flac", *depth, "-compression_level", _FLAC_LEVEL[quality],
                "-f", "flac"]
    if fmt == "mp3":
        level = _MP3_LEVEL[quality]
        return ["-c:a", "libmp3lame", "-q:a", _MP3_Q[quality],
                *(["-compression_level", level] if level else []), "-f", "mp3"]
    if fmt == "ogg":
        return ["-c:a", "libvorbis", "-q:a", _OGG_Q[quality], "-f", "ogg"]
    return ["-c:a", "libopus", "-b:a", _OPUS_B[quality], "-vbr", "on", "-f", "opus"]


@overload
def encode(audio: npt.ArrayLike, sr: int, destination: None, fmt: AudioFormat, *,
           bit_depth: int = 16, quality: Quality = "high", sample_rate: int | None = None,
           ffmpeg_binary: str | os.PathLike[str] | None = None) -> bytes: ...


@overload
def encode(audio: npt.ArrayLike, sr: int, destination: str | os.PathLike[str],
           fmt: AudioFormat, *, bit_depth: int = 16, quality: Quality = "high",
           sample_rate: int | None = None,
           ffmpeg_binary: str | os.PathLike[str] | None = None) -> Path: ...


def encode(audio: npt.ArrayLike, sr: int, destination: str | os.PathLike[str] | None,
           fmt: AudioFormat, *, bit_depth: int = 16, quality: Quality = "high",
           sample_rate: int | None = None,
           ffmpeg_binary: str | os.PathLike[str] | None = None) -> bytes | Path:
    """Encode (frames, 2) float audio at `sr` Hz as `fmt`. With a `destination` path the
    file is written there (atomically) and its Path returned; with None the encoded bytes
    are returned. `sample_rate` (44100 or 48000) resamples first; opus is always 48 kHz.
    `bit_depth` (16 or 24) applies to wav and flac."""
    if bit_depth not in (16, 24):
        raise EncodeError("bit_depth must be 16 or 24")
    if quality not in _MP3_Q:
        raise EncodeError(f"quality must be one of {', '.join(_MP3_Q)}")
    check_encoder(fmt, ffmpeg_binary)
    data = as_stereo(audio)
    # One float64 sum, no temporary array: NaN or +-inf anywhere makes it non-finite,
    # and finite float32 samples cannot overflow it.
    if not math.isfinite(float(np.sum(data, dtype=np.float64))):
        raise EncodeError("audio holds NaN or infinite samples")
    rate = output_rate(fmt, sr, sample_rate)
    data = resample(data, sr, rate)
    if destination is None:
        with tempfile.TemporaryDirectory(prefix="ariaforge-encode-") as folder:
            path = Path(folder) / f"out{EXTENSIONS[fmt]}"
            _run_encoder(data, rate, path, fmt, bit_depth, quality, ffmpeg_binary)
            return path.read_bytes()
    target = Path(destination)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        _run_encoder(data, rate, temporary, fmt, bit_depth, quality, ffmpeg_binary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _run_encoder(data: Audio, rate: int, path: Path, fmt: AudioFormat, bit_depth: int,
                 quality: Quality, ffmpeg_binary: str | os.PathLike[str] | None) -> None:
    if fmt == "mp3" and len(data) >= MP3_SPLIT_S * rate and _encode_mp3_parts(
            data, rate, path, quality, ffmpeg_binary):
        return
    _encode_file(data, rate, path, fmt, bit_depth, quality, ffmpeg_binary)


def _encode_file(data: Audio, rate: int, path: Path, fmt: AudioFormat, bit_depth: int,
                 quality: Quality, ffmpeg_binary: str | os.PathLike[str] | None) -> None:
    """One FFmpeg process encodes `data` to `path`."""
    if fmt in ("wav", "flac") and bit_depth == 16:
        raw: npt.NDArray[np.generic] = dither_to_int16(data).astype("<i2", copy=False)
        sample_format = "s16le"
    else:
        raw, sample_format = np.ascontiguousarray(data, dtype="<f4"), "f32le"
    command = [
        ffmpeg_path(ffmpeg_binary), "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", sample_format, "-ar", str(rate), "-ac", "2", "-i", "pipe:0",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        *_codec_args(fmt, bit_depth, quality), "-y", str(path),
    ]
    returncode, message = _feed(command, np.ascontiguousarray(raw).data.cast("B"))
    if returncode != 0:
        raise EncodeError(f"FFmpeg could not encode {fmt}: {message}")


@contextlib.contextmanager
def supervised(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Kill FFmpeg after `TIMEOUT_S`, and on the way out if it still runs (an exception
    in the block): no process outlives the call that started it."""
    timer = threading.Timer(TIMEOUT_S, process.kill)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if process.poll() is None:  # pragma: no cover - an exception in the block
            process.kill()
            process.wait()


def _feed(command: list[str], data: memoryview) -> tuple[int, str]:
    """Run `command` with `data` on its stdin: (exit status, the end of its stderr)."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EncodeError(f"FFmpeg failed to run: {exc}") from exc
        with supervised(process):
            assert process.stdin is not None
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write(data)  # one call: no Python loop, GIL released
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
            returncode = process.wait()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip()[-2000:]
    if returncode < 0 and not message:
        message = f"killed by signal {-returncode} (timeout {TIMEOUT_S:.0f} s?)"
    return returncode, message


def _encode_mp3_parts(data: Audio, rate: int, path: Path, quality: Quality,
                      ffmpeg_binary: str | os.PathLike[str] | None) -> bool:
    """Encode `data` in `MP3_PARTS` concurrent LAME processes and join the parts into
    `path`; False (nothing written) when the parts cannot be joined."""
    part_plan = mp3split.plan(len(data), MP3_PARTS)
    if part_plan is None:
        return False
    names = [path.with_name(f"{path.name}.{i}.mp3") for i in range(len(part_plan))]
    try:
        with ThreadPoolExecutor(max_workers=len(part_plan)) as pool:
            futures = [pool.submit(_encode_file, data[part.start:part.stop], rate, name,
                                   "mp3", 16, quality, ffmpeg_binary)
                       for part, name in zip(part_plan, names, strict=True)]
            for future in futures:
                future.result()
        joined = mp3split.join([name.read_bytes() for name in names], part_plan)
    finally:
        for name in names:
            name.unlink(missing_ok=True)
    if joined is None:
        return False
    path.write_bytes(joined)
    return True


@dataclass(frozen=True)
class ProbeInfo:
    codec: str
    sample_rate: int
    channels: int


def probe(path: str | os.PathLike[str], *,
          ffmpeg_binary: str | os.PathLike[str] | None = None) -> ProbeInfo:
    """Codec, sample rate and channel count of the first audio stream of a file."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [ffmpeg_path(ffmpeg_binary), "-hide_banner", "-nostdin", "-i", str(path)],
            capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise EncodeError(f"FFmpeg failed to run: {exc}") from exc
    text = result.stderr.decode("utf-8", "replace")
    match = re.search(r"Audio: (\w+).*?, (\d+) Hz, (mono|stereo|\d+ channels)", text)
    if match is None:
        raise EncodeError(f"no audio stream in {path}: {text.strip()[-500:]}")
    layout = match.group(3)
    channels = {"mono": 1, "stereo": 2}.get(layout) or int(layout.split()[0])
    return ProbeInfo(match.group(1), int(match.group(2)), channels)


def decode_command(path: str | os.PathLike[str], sr: int | None = None, *,
                   ffmpeg_binary: str | os.PathLike[str] | None = None) -> list[str]:
    """The FFmpeg command writing the file's audio to stdout as stereo float32 frames
    (little-endian), resampled to `sr` when given."""
    command = [ffmpeg_path(ffmpeg_binary), "-hide_banner", "-nostdin", "-loglevel", "error",
               "-i", str(path), "-map", "0:a:0", "-f", "f32le", "-ac", "2"]
    if sr is not None:
        command += ["-ar", str(sr)]
    command.append("pipe:1")
    return command


def decode(path: str | os.PathLike[str], sr: int | None = None, *,
           ffmpeg_binary: str | os.PathLike[str] | None = None) -> Audio:
    """The file's audio as (frames, 2) float32, resampled by FFmpeg to `sr` when given
    (else at the file's own rate; `probe` tells it)."""
    command = decode_command(path, sr, ffmpeg_binary=ffmpeg_binary)
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, capture_output=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise EncodeError(f"FFmpeg failed to run: {exc}") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise EncodeError(f"FFmpeg could not decode {path}: {message}")
    samples = np.frombuffer(result.stdout, dtype="<f4")
    audio: Audio = samples[: len(samples) // 2 * 2].reshape(-1, 2).astype(np.float32)
    return audio


def duration_tolerance_s(fmt: AudioFormat, rate: int) -> float:
    """One codec frame, in seconds."""
    return math.ceil(FRAME_SAMPLES[fmt]) / rate
