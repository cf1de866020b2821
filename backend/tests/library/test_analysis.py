"""Decoding, detection and SF2 checks on real FFmpeg output and hand-built SoundFonts."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from ariaforge.library import decode
from ariaforge.library.detect import detect
from ariaforge.library.soundfonts import parse_sf2
from tests.library.media import FFMPEG, chord, click_track, ffmpeg_audio, sf2

FORMATS = ("wav", "flac", "mp3", "ogg")


def analyse(path: Path, data: bytes,
            max_seconds: float = 120.0) -> tuple[decode.Decoded, dict[str, Any]]:
    path.write_bytes(data)
    kind = decode.file_kind(path.name, data[:64])
    assert kind != "sf2"
    decoded = decode.decode(path, kind, max_seconds, FFMPEG)
    return decoded, detect(decoded.pcm, decode.ANALYSIS_RATE).as_json()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bpm", [90, 128, 174])
def test_tempo_of_a_click_track_is_found_in_every_format(tmp_path: Path, fmt: str,
                                                         bpm: int) -> None:
    decoded, found = analyse(tmp_path / f"x.{fmt}", click_track(tmp_path, bpm, fmt))
    assert found["bpm"] == pytest.approx(bpm, abs=1.5)
    assert found["bpm_confidence"] > 0.3
    assert decoded.duration_s == pytest.approx(10.0, abs=0.1)
    assert decoded.channels == 1 and decoded.sample_rate == 44100


@pytest.mark.parametrize("bpm", [100, 120, 140])
def test_tempo_of_a_drum_loop(tmp_path: Path, bpm: int) -> None:
    """Kick on 1 and 3, snare on 2 and 4, eighth-note hats (noise bursts)."""
    beat = 60 / bpm
    expression = (f"0.8*exp(-mod(t\\,{2 * beat})*20)*sin(2*PI*60*t)"
                  f"+0.6*exp(-mod(t+{beat}\\,{2 * beat})*30)*(random(0)*2-1)"
                  f"+0.2*exp(-mod(t\\,{beat / 2})*60)*(random(0)*2-1)")
    _, found = analyse(tmp_path / "loop.wav",
                       ffmpeg_audio(tmp_path, "loop", expression, 8.0, "wav"))
    assert found["bpm"] == pytest.approx(bpm, abs=1.5)


@pytest.mark.parametrize(("notes", "key"), [
    (["A3", "C4", "E4"], "A minor"), (["C4", "E4", "G4"], "C major"),
    (["D4", "F#4", "A4"], "D major")])
@pytest.mark.parametrize("fmt", ["flac", "ogg"])
def test_key_of_a_held_chord_and_no_tempo(tmp_path: Path, notes: list[str], key: str,
                                         fmt: str) -> None:
    _, found = analyse(tmp_path / f"x.{fmt}", chord(tmp_path, notes, fmt))
    assert found["key"] == key
    assert found["bpm"] is None  # a held chord has no beat, even though its partials beat


def test_noise_has_neither_tempo_nor_key(tmp_path: Path) -> None:
    data = ffmpeg_audio(tmp_path, "noise", "random(0)*2-1", 5.0, "wav")
    _, found = analyse(tmp_path / "n.wav", data)
    assert found["bpm"] is None and found["key"] is None


def test_stereo_is_reported_as_two_channels(tmp_path: Path) -> None:
    data = ffmpeg_audio(tmp_path, "st", "sin(2*PI*440*t)|sin(2*PI*660*t)", 1.0, "flac",
                        channels=2, rate=48000)
    decoded, _ = analyse(tmp_path / "s.flac", data)
    assert (decoded.channels, decoded.sample_rate) == (2, 48000)


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("a.wav", b"RIFF\0\0\0\0WAVEfmt ", "wav"), ("a.flac", b"fLaC\0\0\0\x22", "flac"),
    ("a.ogg", b"OggS\0\x02", "ogg"), ("a.mp3", b"ID3\x04\0\0", "mp3"),
    ("a.MP3", b"\xff\xfb\x90\x64", "mp3"), ("a.sf2", b"RIFF\0\0\0\0sfbk", "sf2")])
def test_content_decides_the_type(name: str, head: bytes, kind: str) -> None:
    assert decode.file_kind(name, head) == kind


@pytest.mark.parametrize(("name", "head", "reason"), [
    ("a.wav", b"fLaC\0\0\0\x22", "content_mismatch"), ("a.mp3", b"OggS\0\x02", "content_mismatch"),
    ("a.wav", b"MZ\x90\0garbage", "unrecognised_content"), ("a.exe", b"RIFF", "unsupported_type"),
    ("noextension", b"fLaC", "unsupported_type"),
    ("a.sf2", b"RIFF\0\0\0\0WAVE", "content_mismatch")])
def test_names_that_do_not_match_the_content_are_refused(name: str, head: bytes,
                                                         reason: str) -> None:
    with pytest.raises(decode.Refused) as refused:
        decode.file_kind(name, head)
    assert refused.value.kind == reason


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_truncated_file_is_refused(tmp_path: Path, fmt: str) -> None:
    whole = click_track(tmp_path, 100, fmt, seconds=4.0)
    with pytest.raises(decode.Refused) as refused:
        analyse(tmp_path / f"cut.{fmt}", whole[: len(whole) // 2])
    assert refused.value.kind == "truncated_or_corrupt"


def test_a_wav_header_claiming_hours_is_refused_without_decoding_them(tmp_path: Path) -> None:
    whole = bytearray(click_track(tmp_path, 100, "wav", seconds=1.0))
    at = whole.index(b"data")
    whole[at + 4:at + 8] = struct.pack("<I", 0xFFFFFF00)  # about 6 hours at 44.1 kHz mono
    with pytest.raises(decode.Refused) as refused:
        analyse(tmp_path / "liar.wav", bytes(whole))
    assert refused.value.kind == "truncated_or_corrupt"


def test_audio_past_the_duration_limit_is_refused(tmp_path: Path) -> None:
    data = ffmpeg_audio(tmp_path, "long", "sin(2*PI*440*t)", 4.0, "flac", rate=8000)
    with pytest.raises(decode.Refused) as refused:
        analyse(tmp_path / "long.flac", data, max_seconds=2.0)
    assert refused.value.kind == "too_long"


def test_more_than_two_channels_are_refused(tmp_path: Path) -> None:
    data = ffmpeg_audio(tmp_path, "surround", "|".join(["sin(2*PI*440*t)"] * 6), 1.0,
                        "wav", channels=6)
    with pytest.raises(decode.Refused) as refused:
        analyse(tmp_path / "s.wav", data)
    assert refused.value.kind == "too_many_channels"


def test_garbage_behind_a_valid_magic_is_refused(tmp_path: Path) -> None:
    data = b"fLaC" + bytes(range(256)) * 40
    with pytest.raises(decode.Refused) as refused:
        analyse(tmp_path / "g.flac", data)
    assert refused.value.kind in {"unreadable_audio", "truncated_or_corrupt", "no_audio"}


def test_a_small_soundfont_lists_its_presets() -> None:
    info = parse_sf2(sf2(3))
    assert [(p.bank, p.preset, p.name) for p in info.presets] == [
        (0, 0, "Preset 0"), (0, 1, "Preset 1"), (0, 2, "Preset 2")]
    assert info.name == "Test Font" and info.samples == 100


def test_the_shipped_general_midi_soundfont_passes() -> None:
    import importlib.util

    spec = importlib.util.find_spec("pretty_midi")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "TimGM6mb.sf2"
    info = parse_sf2(path.read_bytes())
    assert len(info.presets) > 128
    assert (128, 0) in {(p.bank, p.preset) for p in info.presets}  # the drum kit


@pytest.mark.parametrize(("options", "says"), [
    ({"riff_declared": 2**31}, "declares 2147483648 bytes"),
    ({"smpl_declared": 2**31 - 2}, "smpl"),
    ({"nested": True}, "nested"),
    ({"presets": 1025}, "at most 1024"),
    ({"sample_end": 10**6}, "holds only 100 sample points"),
    ({"version": 3}, "not SoundFont 2")])
def test_hostile_or_broken_soundfonts_are_refused(options: dict[str, Any], says: str) -> None:
    with pytest.raises(decode.Refused) as refused:
        parse_sf2(sf2(**options))
    assert refused.value.kind == "invalid_soundfont"
    assert says in refused.value.message


def test_a_truncated_soundfont_is_refused() -> None:
    whole = sf2(2)
    for cut in (11, 40, len(whole) // 2, len(whole) - 3):
        with pytest.raises(decode.Refused):
            parse_sf2(whole[:cut])
