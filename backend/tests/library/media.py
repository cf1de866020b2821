"""Test media made on the spot: FFmpeg renders clicks and chords, SF2 files built byte by
byte (valid ones, and hostile ones that lie about their sizes)."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
CODEC_ARGS = {"wav": [], "flac": [], "mp3": ["-b:a", "192k"], "ogg": ["-c:a", "libvorbis"]}


def ffmpeg_audio(folder: Path, name: str, expression: str, seconds: float, fmt: str, *,
                 channels: int = 1, rate: int = 44100, extra: list[str] | None = None) -> bytes:
    """`expression` (FFmpeg aevalsrc, in t) rendered for `seconds` and encoded as `fmt`."""
    target = folder / f"{name}.{fmt}"
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[channels]
    subprocess.run([FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"aevalsrc={expression}:d={seconds}:s={rate}:c={layout}",
                    *CODEC_ARGS[fmt], *(extra or []), str(target)],
                   check=True, capture_output=True, timeout=60)
    return target.read_bytes()


def click_track(folder: Path, bpm: float, fmt: str, seconds: float = 10.0) -> bytes:
    """A 1 kHz tone burst on every beat."""
    return ffmpeg_audio(folder, f"click{bpm:g}", f"0.8*exp(-mod(t\\,{60 / bpm})*30)"
                        "*sin(2*PI*1000*t)", seconds, fmt)


FREQUENCIES = {"A3": 220.0, "C4": 261.63, "D4": 293.66, "E4": 329.63, "F#4": 369.99,
               "G4": 392.0, "A4": 440.0}


def chord(folder: Path, notes: list[str], fmt: str, seconds: float = 6.0) -> bytes:
    expression = "+".join(f"0.25*sin(2*PI*{FREQUENCIES[note]}*t)" for note in notes)
    return ffmpeg_audio(folder, "chord-" + "-".join(notes), expression, seconds, fmt)


# --- SoundFont 2 -------------------------------------------------------------------------


def _chunk(chunk_id: bytes, body: bytes, declared: int | None = None) -> bytes:
    size = len(body) if declared is None else declared
    return chunk_id + struct.pack("<I", size) + body + (b"\0" if len(body) % 2 else b"")


def _list(kind: bytes, chunks: list[bytes], declared: int | None = None) -> bytes:
    body = kind + b"".join(chunks)
    return _chunk(b"LIST", body, None if declared is None else declared)


def sf2(presets: int = 2, *, samples: int = 100, sample_end: int | None = None,
        riff_declared: int | None = None, smpl_declared: int | None = None,
        nested: bool = False, version: int = 2) -> bytes:
    """A small SoundFont with `presets` presets (bank 0, numbers 0..n-1) over one sample."""
    info = _list(b"INFO", [_chunk(b"ifil", struct.pack("<HH", version, 1)),
                           _chunk(b"isng", b"EMU8000\0"), _chunk(b"INAM", b"Test Font\0")]
                 + ([_list(b"INFO", [])] if nested else []))
    smpl = b"\0\0" * samples
    sdta = _list(b"sdta", [_chunk(b"smpl", smpl, smpl_declared)])
    phdr = b"".join(struct.pack("<20sHHHIII", f"Preset {i}".encode(), i % 128, i // 128, i,
                                0, 0, 0) for i in range(presets))
    phdr += struct.pack("<20sHHHIII", b"EOP", 0, 0, presets, 0, 0, 0)
    pbag = b"".join(struct.pack("<HH", 0, 0) for _ in range(presets + 1))
    pmod = b"\0" * 10
    pgen = struct.pack("<HH", 0, 0)
    inst = struct.pack("<20sH", b"Inst", 0) + struct.pack("<20sH", b"EOI", 1)
    ibag = struct.pack("<HH", 0, 0) * 2
    imod = b"\0" * 10
    igen = struct.pack("<HH", 0, 0)
    end = samples if sample_end is None else sample_end
    shdr = struct.pack("<20sIIIIIBbHH", b"Sample", 0, end, 0, 0, 44100, 60, 0, 0, 1)
    shdr += struct.pack("<20sIIIIIBbHH", b"EOS", 0, 0, 0, 0, 0, 0, 0, 0, 0)
    pdta = _list(b"pdta", [_chunk(name, body) for name, body in (
        (b"phdr", phdr), (b"pbag", pbag), (b"pmod", pmod), (b"pgen", pgen), (b"inst", inst),
        (b"ibag", ibag), (b"imod", imod), (b"igen", igen), (b"shdr", shdr))])
    body = b"sfbk" + info + sdta + pdta
    return b"RIFF" + struct.pack("<I", len(body) if riff_declared is None else riff_declared) \
        + body
