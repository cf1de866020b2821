"""The render memory an export is charged (`limits.export_cost`) against what a real
render holds at its peak (traced allocations: the synth's stems, the bus, the master
chain, the encoder's conversions, the balance probe and the codec check)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from ariaforge.audio.options import MixSettings, ReverbEffect, TrackMix
from ariaforge.audio.pipeline import render_score
from ariaforge.exports.limits import RENDER_MEMORY_BYTES, export_cost
from ariaforge.exports.schemas import ExportRequest
from ariaforge.music.score import PPQ, Note, Role, Score, Track

ROLES = [Role.MELODY, Role.CHORDS, Role.BASS, Role.PAD]


def band(bars: int, tracks: int = 4, per_bar: int = 4) -> Score:
    step = 4 * PPQ // per_bar
    return Score(bars=bars, tracks=[
        Track(id=f"t{t}", role=ROLES[t % len(ROLES)], program=(56, 0, 33, 48)[t % 4],
              notes=[Note(pitch=40 + 6 * (t % 8) + (i * 5) % 9, start=i * step,
                          duration=step - 40, velocity=60 + (i * 7) % 40)
                     for i in range(bars * per_bar)]) for t in range(tracks)])


def traced_peak(score: Score, mix: MixSettings, request: ExportRequest, out: Path) -> int:
    tracemalloc.start()
    try:
        render_score(score, mix, request, out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


REVERB = MixSettings(tracks={"t1": TrackMix(fx=[ReverbEffect()])})


@pytest.mark.parametrize(("fmt", "stems", "mix"), [
    ("wav", False, MixSettings()), ("mp3", False, MixSettings()), ("mp3", True, MixSettings()),
    ("ogg", False, REVERB)])
def test_the_charge_covers_what_a_render_holds(tmp_path: Path, fmt: str, stems: bool,
                                               mix: MixSettings) -> None:
    score = band(30)  # one minute
    request = ExportRequest(format=fmt, include_stems=stems, target_lufs=-9.0)
    charged = export_cost(score, mix, request).render_memory
    held = traced_peak(score, mix, request, tmp_path)
    assert held <= charged <= 2.5 * held  # an upper bound, not a wild one


def test_ten_minutes_of_sixteen_tracks_fit_and_sixty_four_with_effects_do_not() -> None:
    long = band(300, tracks=16)
    assert export_cost(long, MixSettings(), ExportRequest()).render_memory < RENDER_MEMORY_BYTES
    many = band(300, tracks=64, per_bar=1)
    reverb = MixSettings(tracks={t.id: TrackMix(fx=[ReverbEffect()]) for t in many.tracks})
    assert export_cost(many, reverb, ExportRequest()).render_memory > RENDER_MEMORY_BYTES
