"""Dynamics that follow the sections: the composer plays quiet sections softer, and the
role-balanced mix (one static trim per track) keeps that contrast (real synth, real
FFmpeg)."""

from __future__ import annotations

from pathlib import Path

from ariaforge.audio.encode import decode
from ariaforge.audio.loudness.meter import integrated_lufs, loudness_range_lu
from ariaforge.audio.options import MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_score
from ariaforge.composer.run import compose
from ariaforge.music.score import Note, Role, Score, Section, Track
from tests.audio import scores

Q, BAR = scores.Q, scores.BAR
RATE = 44100


def section_loudness(score: Score, folder: Path) -> dict[str, float]:
    """Integrated loudness of each section's bars in the rendered mix (the first
    occurrence of each name), and the mix's loudness range as "LRA"."""
    result = render_score(score, MixSettings(), RenderOptions(), folder)
    mix = decode(result.files[0].path)
    levels: dict[str, float] = {}
    for section in score.sections:
        begin = round(score.seconds_at(score.bar_start(section.start_bar)) * RATE)
        end = round(score.seconds_at(score.bar_start(section.start_bar + section.bars))
                    * RATE)
        value = integrated_lufs(mix[begin:end], RATE)
        if value is not None:
            levels.setdefault(section.name.lower(), value)
    lra = loudness_range_lu(mix, RATE)
    assert lra is not None
    levels["LRA"] = lra
    return levels


def verse_chorus(bars: int = 4) -> Score:
    """A verse at velocity 55 then a chorus at 100, every role playing in both."""
    def part(pitches: tuple[int, ...], step: int) -> list[Note]:
        return [Note(pitch=p, start=t, duration=step - 30, velocity=55 if t < bars * BAR
                     else 100) for t in range(0, 2 * bars * BAR, step) for p in pitches]
    drums = scores.drum_track(bars=2 * bars)
    drums = drums.model_copy(update={"role": Role.DRUMS, "notes": [
        n.model_copy(update={"velocity": 55 if n.start < bars * BAR else 105})
        for n in drums.notes]})
    return Score(bars=2 * bars, sections=[
        Section(name="verse", start_bar=1, bars=bars),
        Section(name="chorus", start_bar=bars + 1, bars=bars)], tracks=[
        Track(id="melody", role=Role.MELODY, program=73, notes=part((72,), Q)),
        Track(id="chords", role=Role.CHORDS, program=0, notes=part((60, 64, 67), 2 * Q)),
        Track(id="bass", role=Role.BASS, program=33, notes=part((36,), Q)),
        drums])


def test_the_balanced_mix_keeps_the_sections_contrast(tmp_path: Path) -> None:
    levels = section_loudness(verse_chorus(), tmp_path)
    assert levels["chorus"] - levels["verse"] >= 2.0
    assert levels["LRA"] >= 2.0


def test_a_composed_quiet_verse_is_softer_than_its_chorus(tmp_path: Path) -> None:
    score = compose("a pop song in C major with piano, bass and drums, 120 bpm: an intro, "
                    "a verse and a chorus, 16 bars").score
    names = [s.name.lower() for s in score.sections]
    quiet = next(n for n in names if n in ("intro", "verse", "breakdown", "outro"))
    loud = next(n for n in names if n in ("chorus", "drop"))
    levels = section_loudness(score, tmp_path)
    assert levels[loud] - levels[quiet] >= 2.0
