"""Encoding with the real FFmpeg: every format decodes back at the expected rate and
duration (within one codec frame)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ariaforge.audio.encode import (
    _MP3_Q,
    ENCODERS,
    available_encoders,
    decode,
    duration_tolerance_s,
    encode,
    ffmpeg_path,
    probe,
)
from ariaforge.audio.errors import EncodeError
from ariaforge.audio.options import AudioFormat, Quality

SECONDS = 1.5

# (format, bit depth): wav16, wav24, mp3, flac, ogg, opus.
FORMATS: list[tuple[AudioFormat, int]] = [("wav", 16), ("wav", 24), ("mp3", 16),
                                          ("flac", 16), ("ogg", 16), ("opus", 16)]


def chord(rate: int, seconds: float = SECONDS) -> npt.NDArray[np.float32]:
    t = np.arange(round(rate * seconds)) / rate
    left = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 330 * t)
    right = 0.3 * np.sin(2 * np.pi * 277 * t) + 0.1 * np.sin(2 * np.pi * 440 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


def test_bundled_ffmpeg_has_every_encoder() -> None:
    assert set(ENCODERS.values()) <= available_encoders()
    assert "pcm_s24le" in available_encoders()


@pytest.mark.parametrize("rate", [44100, 48000])
@pytest.mark.parametrize(("fmt", "bit_depth"), FORMATS)
def test_every_format_decodes_to_the_expected_rate_and_length(
        tmp_path: Path, fmt: AudioFormat, bit_depth: int, rate: int) -> None:
    audio = chord(rate)
    path = encode(audio, rate, tmp_path / f"out.{fmt}", fmt, bit_depth=bit_depth)
    assert path.is_file() and path.stat().st_size > 0
    info = probe(path)
    expected_rate = 48000 if fmt == "opus" else rate
    assert info.sample_rate == expected_rate and info.channels == 2
    if fmt == "wav":
        assert info.codec == f"pcm_s{bit_depth}le"
    decoded = decode(path)
    # The decoded audio's length in samples, as seconds of sound (not a speed measure).
    sound_length_s = len(decoded) / info.sample_rate
    assert abs(sound_length_s - SECONDS) <= duration_tolerance_s(fmt, info.sample_rate)
    # Not just the right length: the right sound (lossy codecs included).
    reference = decode(path, rate)[: len(audio)]
    rms_in = float(np.sqrt(np.mean(audio[: len(reference)] ** 2)))
    rms_out = float(np.sqrt(np.mean(reference ** 2)))
    assert rms_out == pytest.approx(rms_in, rel=0.1)


def test_lossless_round_trip_is_exact_to_the_bit_depth(tmp_path: Path) -> None:
    audio = chord(48000)
    for bit_depth, step in ((24, 2.0 ** -23), (16, 2.0 ** -15)):
        for fmt in ("wav", "flac"):
            path = encode(audio, 48000, tmp_path / f"x{bit_depth}.{fmt}", fmt,
                          bit_depth=bit_depth)
            error = np.max(np.abs(decode(path) - audio))
            assert error <= 2 * step  # rounding (24-bit) or TPDF dither (16-bit)


def test_resampling_to_the_requested_rate(tmp_path: Path) -> None:
    audio = chord(22050)
    path = encode(audio, 22050, tmp_path / "up.flac", "flac", sample_rate=48000)
    assert probe(path).sample_rate == 48000
    assert len(decode(path)) == round(SECONDS * 48000)


def test_bytes_output_and_determinism(tmp_path: Path) -> None:
    audio = chord(44100)
    for fmt in ("mp3", "ogg", "opus", "wav"):
        as_bytes = encode(audio, 44100, None, fmt)
        again = encode(audio, 44100, tmp_path / f"file.{fmt}", fmt)
        assert hashlib.sha256(as_bytes).digest() == hashlib.sha256(again.read_bytes()).digest()
    assert not list(tmp_path.glob(".*.part"))  # no temporary files left behind


def test_encode_errors_are_clear(tmp_path: Path) -> None:
    audio = chord(44100, 0.1)
    with pytest.raises(EncodeError, match="cannot run FFmpeg"):
        encode(audio, 44100, tmp_path / "x.mp3", "mp3", ffmpeg_binary=tmp_path / "no-ffmpeg")
    with pytest.raises(EncodeError, match="bit_depth"):
        encode(audio, 44100, tmp_path / "x.wav", "wav", bit_depth=8)
    with pytest.raises(EncodeError, match="unknown format"):
        encode(audio, 44100, tmp_path / "x.aac", "aac")  # type: ignore[call-overload]
    with pytest.raises(EncodeError, match="NaN"):
        encode(np.full((10, 2), np.nan, np.float32), 44100, None, "wav")
    with pytest.raises(EncodeError):
        decode(tmp_path / "missing.wav")


@pytest.mark.parametrize("quality", ["medium", "high"])
def test_mp3_fast_huffman_search_decodes_to_the_same_samples(tmp_path: Path,
                                                             quality: Quality) -> None:
    # "medium" and "high" skip LAME's exhaustive Huffman table search
    # (-compression_level 5): the same quantised audio, coded a little less tightly.
    audio = chord(44100, 4.0)
    ours = encode(audio, 44100, tmp_path / "ours.mp3", "mp3", quality=quality)
    lame_default = tmp_path / "default.mp3"
    subprocess.run([ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-f", "f32le", "-ar", "44100", "-ac", "2", "-i", "pipe:0",
                    "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
                    "-c:a", "libmp3lame", "-q:a", _MP3_Q[quality], "-f", "mp3",
                    str(lame_default)], input=audio.astype("<f4").tobytes(), check=True)
    assert np.array_equal(decode(ours), decode(lame_default))
