"""Long MP3s encoded by several LAME processes at once and joined: the joined file must
decode to exactly the samples of a one-process encode, with a correct Xing/LAME header."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ariaforge.audio import encode as encode_module
from ariaforge.audio import mp3split
from ariaforge.audio.encode import decode, encode, ffmpeg_path, probe
from ariaforge.audio.options import Quality

SECONDS = 24.0
Audio = npt.NDArray[np.float32]


def music_like(rate: int, seconds: float = SECONDS) -> Audio:
    """Chords, noise bursts, short clicks after silence and a silent stretch: what moves
    LAME's block switching, bit reservoir and ATH adaptation around."""
    rng = np.random.default_rng(7)
    t = np.arange(round(rate * seconds)) / rate
    chords = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * 331 * t)
    audio = np.stack([chords, 0.2 * np.sin(2 * np.pi * 277 * t)], axis=1)
    for start in rng.integers(0, len(t) - 4000, 40):
        audio[start:start + 3000] += rng.standard_normal((3000, 2)) * 0.2
    clicks = np.sin(2 * np.pi * 1000 * t) * (t % 1.3 < 0.04)
    audio += np.stack([clicks, -clicks], axis=1) * 0.5
    middle = len(t) // 2
    audio[middle - rate * 2:middle + rate] = 0.0
    return (audio * 0.8).astype(np.float32)


def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encode_module, "MP3_SPLIT_S", float("inf"))


@pytest.mark.parametrize(("rate", "quality"), [(44100, "high"), (48000, "low"),
                                               (44100, "best")])
def test_joined_parts_decode_exactly_like_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rate: int, quality: Quality) -> None:
    audio = music_like(rate)
    joins: list[bytes | None] = []
    join = mp3split.join

    def spy(files: list[bytes], part_plan: list[mp3split.Part]) -> bytes | None:
        joins.append(join(files, part_plan))
        return joins[-1]

    monkeypatch.setattr(mp3split, "join", spy)
    split = encode(audio, rate, tmp_path / "split.mp3", "mp3", quality=quality)
    assert len(joins) == 1 and joins[0] is not None  # really encoded in parts
    monkeypatch.undo()
    one_process(monkeypatch)
    single = encode(audio, rate, tmp_path / "single.mp3", "mp3", quality=quality)
    # The bytes may be packed differently (bit reservoir, frame sizes): the samples not.
    assert np.array_equal(decode(split), decode(single))
    assert len(decode(split)) == len(audio)
    assert probe(split).sample_rate == rate
    # FFmpeg reads the joined stream without a complaint.
    check = subprocess.run([ffmpeg_path(), "-hide_banner", "-v", "warning", "-i", str(split),
                            "-f", "null", "-"], capture_output=True, check=True)
    assert not check.stderr


def test_joining_is_deterministic(tmp_path: Path) -> None:
    audio = music_like(44100)
    first = encode(audio, 44100, tmp_path / "a.mp3", "mp3").read_bytes()
    assert first == encode(audio, 44100, None, "mp3")


def test_header_is_rebuilt_exactly_as_ffmpeg_writes_it(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    one_process(monkeypatch)
    data = encode(music_like(44100, 12.0), 44100, None, "mp3")
    stream = mp3split._parse(data)
    assert stream is not None
    audio = data[stream.offsets[0]:]
    tag = int.from_bytes(stream.xing[36 + 141:36 + 144], "big")
    rebuilt = mp3split.xing_frame(stream.xing, audio, stream.lengths, stream.bitrates,
                                  tag >> 12, tag & 0xFFF)
    assert rebuilt == stream.xing


def test_a_join_that_cannot_be_made_falls_back_to_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    audio = music_like(44100)
    def refuse(*_args: object) -> None:
        return None

    monkeypatch.setattr(mp3split, "join", refuse)
    fallback = encode(audio, 44100, tmp_path / "fallback.mp3", "mp3").read_bytes()
    monkeypatch.undo()
    one_process(monkeypatch)
    assert fallback == encode(audio, 44100, None, "mp3")
    assert not [p for p in tmp_path.iterdir() if p.name != "fallback.mp3"]  # no leftovers


def test_parts_that_are_not_mp3_are_not_joined() -> None:
    part_plan = mp3split.plan(44100 * 60, 2)
    assert part_plan is not None
    assert mp3split.join([b"not an mp3", b"\xff\xfb" * 100], part_plan) is None


def test_plan_covers_the_input_with_overlaps() -> None:
    assert mp3split.plan(44100 * 5, 2) is None  # too short to split
    frames = 44100 * 100 + 123
    part_plan = mp3split.plan(frames, 3)
    assert part_plan is not None and len(part_plan) == 3
    assert part_plan[0].start == 0 and part_plan[-1].stop == frames
    for before, after in itertools.pairwise(part_plan):
        assert after.start == after.first * mp3split.FRAME
        join = after.first + mp3split.PREROLL
        assert before.stop >= (join + mp3split.SEARCH + mp3split.CHECK) * mp3split.FRAME
        assert after.start < before.stop


@pytest.mark.parametrize("size", [0, 1, 2, 3, 255, 64 * 4096 - 1, 64 * 4096 + 3, 1_000_001])
def test_crc16_matches_the_bytewise_definition(size: int) -> None:
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    crc = 0
    for byte in data:  # CRC-16/ARC, bit by bit
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    assert mp3split.crc16(data) == crc
