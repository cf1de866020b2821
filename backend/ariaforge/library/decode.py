"""What an uploaded file is, and its audio decoded by FFmpeg within fixed limits.

The content decides the type (magic bytes), and it must agree with the file name's
extension: a `.wav` that is really an MP3 is refused rather than guessed. FFmpeg is told
the demuxer (`-f wav|flac|mp3|ogg`), so it never probes a playlist or any other format
that could make it open other files, and it reads only the temporary file we wrote.

Bounded work: the decoded PCM (mono float32 at ANALYSIS_RATE) is read from FFmpeg's
stdout in chunks and never past `max_seconds` worth of samples; a header that claims
hours only makes us stop reading and refuse. The banner FFmpeg prints (format, rate,
channel layout, declared duration) gives the channel count and rate of the source; a
decode shorter than the declared duration, decoding errors, a WAV whose `data` chunk is
larger than the file or an Ogg stream without its last page are "truncated".

No NumPy and no imageio_ffmpeg at import: the API process loads this module, and loads
those only when a file is actually decoded (in a worker thread).
"""

from __future__ import annotations

import re
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SampleFormat = Literal["wav", "flac", "mp3", "ogg"]
FileKind = Literal["wav", "flac", "mp3", "ogg", "sf2"]
ANALYSIS_RATE = 22050
MAX_CHANNELS = 2
MIN_RATE, MAX_RATE = 8000, 192000
DECODE_TIMEOUT_S = 60.0
_CHUNK = 1 << 16
EXTENSIONS: dict[str, FileKind] = {
    "wav": "wav", "wave": "wav", "flac": "flac", "mp3": "mp3", "ogg": "ogg", "oga": "ogg",
    "sf2": "sf2"}
CONTENT_TYPES: dict[str, str] = {
    "wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg",
    "sf2": "audio/x-soundfont"}
_NAMES = {"wav": "WAV", "flac": "FLAC", "mp3": "MP3", "ogg": "Ogg", "sf2": "SoundFont (SF2)"}


class Refused(Exception):
    """The file is not accepted; `kind` is the stable machine-readable reason."""

    def __init__(self, kind: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


def sniff(head: bytes) -> FileKind | None:
    """The file type its first bytes show, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"RIFF" and head[8:12] == b"sfbk":
        return "sf2"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:3] == b"ID3":
        return "mp3"
    # An MPEG audio frame header: 11 sync bits, layer III (01), a valid bitrate and rate.
    if len(head) >= 4 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 \
            and head[1] & 0x06 == 0x02 and head[2] >> 4 not in (0, 15) \
            and (head[2] >> 2) & 0x03 != 3:
        return "mp3"
    return None


def file_kind(filename: str | None, head: bytes) -> FileKind:
    """The type of an upload: the content's, which must match the name's extension."""
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise Refused("unsupported_type", "the file name must end in .wav, .flac, .mp3, .ogg "
                      "or .sf2")
    found = sniff(head)
    if found is None:
        raise Refused("unrecognised_content", f"the file is not a {_NAMES[claimed]} file: its "
                      "content is none of WAV, FLAC, MP3, Ogg or SF2")
    if found != claimed:
        raise Refused("content_mismatch", f"the file is named .{extension} but its content is "
                      f"{_NAMES[found]}; rename it or upload the right file")
    return found


@dataclass(frozen=True)
class Decoded:
    """A decoded upload: `pcm` is mono float32 (little-endian bytes) at ANALYSIS_RATE."""

    format: SampleFormat
    pcm: bytes
    duration_s: float
    sample_rate: int
    channels: int


def ffmpeg_exe(configured: str | None) -> str:
    if configured:
        return configured
    import imageio_ffmpeg  # the binary's locator; loaded only when decoding

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def decode(path: Path, fmt: SampleFormat, max_seconds: float, ffmpeg: str) -> Decoded:
    """Decode `path` (already sniffed as `fmt`); Refused when it is not acceptable audio."""
    data_head = _read_head(path)
    if fmt == "wav":
        _check_wav(path, data_head)
    elif fmt == "ogg":
        _check_ogg_end(path)
    limit_bytes = int((max_seconds + 0.5) * ANALYSIS_RATE) * 4
    pcm, log = _run(ffmpeg, path, fmt, limit_bytes)
    banner = _banner(log)
    if banner is None:
        raise Refused("unreadable_audio", f"the file could not be decoded as {_NAMES[fmt]}")
    rate, channels, declared = banner
    if channels > MAX_CHANNELS:
        raise Refused("too_many_channels", f"the audio has {channels} channels; at most "
                      f"{MAX_CHANNELS} (mono or stereo) are accepted")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise Refused("unsupported_rate", f"the sample rate {rate} Hz is outside "
                      f"{MIN_RATE}-{MAX_RATE} Hz")
    if pcm is None or (declared is not None and declared > max_seconds + 0.5):
        raise Refused("too_long", f"the audio is longer than {max_seconds:g} s")
    errors = [line for line in log.splitlines() if line.startswith(("[error]", "[fatal]"))]
    if errors:
        raise Refused("truncated_or_corrupt", f"the {_NAMES[fmt]} file is damaged or "
                      "truncated: decoding it failed part-way")
    duration = len(pcm) / 4 / ANALYSIS_RATE
    if duration < 0.05:
        raise Refused("no_audio", "the file holds no audio (or less than 50 ms)")
    if declared is not None and declared - duration > 0.1 + 0.01 * declared:
        raise Refused("truncated_or_corrupt", f"the file is truncated: its header declares "
                      f"{declared:.2f} s but only {duration:.2f} s could be decoded")
    return Decoded(fmt, pcm, round(duration, 3), rate, channels)


def _read_head(path: Path, size: int = 64) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _check_wav(path: Path, head: bytes) -> None:
    """Every chunk up to `data` lies within the file, and `data` is complete."""
    total = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(12)
        offset = 12
        for _ in range(64):
            header = handle.read(8)
            if len(header) < 8:
                break
            chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
            if offset + 8 + size > total:
                raise Refused("truncated_or_corrupt", f"the WAV file is truncated: its "
                              f"'{chunk_id.decode('latin-1', 'replace')}' chunk declares "
                              f"{size} bytes but only {total - offset - 8} follow")
            if chunk_id == b"data":
                return
            offset += 8 + size + (size & 1)
            handle.seek(offset)
    raise Refused("truncated_or_corrupt", "the WAV file has no complete 'data' chunk")


_OGG_MAX_PAGE = 27 + 255 + 255 * 255


def _check_ogg_end(path: Path) -> None:
    """The last Ogg page is complete and ends the stream (a cut file loses that page)."""
    total = path.stat().st_size
    with path.open("rb") as handle:
        start = max(0, total - _OGG_MAX_PAGE - 4)
        handle.seek(start)
        tail = handle.read()
    at = len(tail)
    for _ in range(16):  # "OggS" may also occur inside packet data: try a few
        at = tail.rfind(b"OggS", 0, at)
        if at < 0:
            break
        page = tail[at:]
        if len(page) >= 27 and page[4] == 0 and len(page) >= 27 + page[26]:
            segments = page[26]
            body = sum(page[27:27 + segments])
            if 27 + segments + body == len(page) and page[5] & 0x04:
                return
    raise Refused("truncated_or_corrupt", "the Ogg file is truncated: its last page is "
                  "missing or incomplete")


def _run(ffmpeg: str, path: Path, fmt: SampleFormat, limit_bytes: int) -> tuple[bytes | None, str]:
    """FFmpeg's mono float32 output (None past `limit_bytes`) and its log."""
    command = [ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info",
               "-protocol_whitelist", "file", "-f", fmt, "-i", str(path), "-map", "0:a:0",
               "-vn", "-sn", "-dn", "-f", "f32le", "-ac", "1", "-ar", str(ANALYSIS_RATE),
               "pipe:1"]
    with tempfile.TemporaryFile() as log_file:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL,  # noqa: S603
                                   stdout=subprocess.PIPE, stderr=log_file)
        assert process.stdout is not None
        pieces: list[bytes] = []
        received = 0
        over = False
        try:
            while chunk := process.stdout.read(_CHUNK):
                received += len(chunk)
                if received > limit_bytes:
                    over = True
                    break
                pieces.append(chunk)
        finally:
            if over:
                process.kill()
            process.stdout.close()
            try:
                process.wait(timeout=DECODE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log_file.seek(0)
        log = log_file.read(1 << 20).decode("utf-8", "replace")
    if over:
        return None, log
    if process.returncode != 0 and not pieces:
        return b"", log
    return b"".join(pieces), log


_STREAM = re.compile(r"Stream #0:\d+.*?: Audio: .*?, (\d+) Hz, ([^,]+)")
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_LAYOUTS = {"mono": 1, "stereo": 2, "2.1": 3, "3.0": 3, "3.0(back)": 3, "quad": 4,
            "quad(side)": 4, "4.0": 4, "5.0": 5, "5.0(side)": 5, "5.1": 6, "5.1(side)": 6,
            "6.1": 7, "7.1": 8}
_CHANNELS = re.compile(r"(\d+) channels")


def _banner(log: str) -> tuple[int, int, float | None] | None:
    """(sample rate, channels, declared duration) of the input's first audio stream."""
    input_part = log.split("Output #0", 1)[0]
    stream = _STREAM.search(input_part)
    if stream is None:
        return None
    layout = stream.group(2).strip()
    counted = _CHANNELS.fullmatch(layout)
    channels = int(counted.group(1)) if counted else _LAYOUTS.get(layout, MAX_CHANNELS + 1)
    duration = _DURATION.search(input_part)
    declared = None
    if duration:
        hours, minutes, seconds = duration.groups()
        declared = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return int(stream.group(1)), channels, declared
