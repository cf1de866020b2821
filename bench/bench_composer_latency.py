"""Composer latency and output soundness, on one CPU core.

For 32 briefs (every style, major, minor and modal keys, 3/4, 6/8, 2/4, 4/4), each asking
for a 32-bar arrangement on 4 tracks (melody, chords, bass, drums), the whole LangGraph
pipeline runs in-process (`ariaforge.composer.run.compose_async`, no checkpointer): brief ->
plan -> harmony -> melody -> arrange -> validate (-> repair) -> finalize.

Prints p50/p95 latency (goal p95 < 1 s, printed as a ratio to that goal), the latency of a
peer measured in the same run (a random in-scale baseline that only draws notes and builds
the same 4-track Score: the floor any generator pays), hard validator errors per 100 bars
after repair (goal 0), and the share of pieces the music core's key estimator hears in the
key that was asked for.
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time

from ariaforge.composer.model.store import load_models
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose_async
from ariaforge.composer.tonality import key_margin, note_histogram
from ariaforge.music.score import Note, Role, Score, Track
from ariaforge.music.theory.scales import scale_pitch_classes
from ariaforge.music.validation import validate
from ariaforge.music.validation.model import Severity

BARS = 32
BAND = "for piano, electric piano, bass and drums"
BRIEFS = [
    f"a happy pop song in C major {BAND}", f"an energetic rock song in E minor {BAND}",
    f"a jazz tune in F {BAND}", f"a swing tune in Bb {BAND}", f"a slow blues in A {BAND}",
    f"a bossa nova in D minor {BAND}", f"a folk song in G {BAND}", f"a reel in D {BAND}",
    f"a jig in E minor {BAND}", f"a melancholic waltz in D minor {BAND}",
    f"a march in Bb {BAND}", f"a chorale in G {BAND}", f"a classical piece in C minor {BAND}",
    f"a calm ambient piece in D dorian {BAND}", f"lo-fi hip hop in F minor {BAND}",
    f"an EDM track in A minor {BAND}", f"house music in C minor {BAND}",
    f"a dreamy pop song in Ab major {BAND}", f"a dark rock song in C# minor {BAND}",
    f"a romantic waltz in A major {BAND}", f"an epic theme in D minor {BAND}",
    f"a playful jig in A {BAND}", f"a sad folk song in B minor {BAND}",
    f"a jazz ballad in Eb {BAND}", f"a march in F {BAND}", f"a reel in G {BAND}",
    f"a swing tune in G minor {BAND}", f"a bossa nova in F {BAND}",
    f"an ambient piece in E mixolydian {BAND}", f"lo-fi in Eb {BAND}",
    f"an EDM track in F# minor {BAND}", f"a pop song in E major in 3/4 {BAND}",
]


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def random_baseline(seed: int) -> Score:
    """Random in-scale notes in the same shape: 4 tracks, 32 bars of 4/4, 8th notes."""
    rng = random.Random(seed)  # noqa: S311 - a music baseline, not secrets
    scale = [60 + pc for pc in (0, 2, 4, 5, 7, 9, 11)]
    tracks = []
    for role, density in ((Role.MELODY, 8), (Role.CHORDS, 4), (Role.BASS, 4),
                          (Role.DRUMS, 8)):
        step = 1920 // density
        notes = [Note(pitch=rng.choice(scale) - (24 if role is Role.BASS else 0),
                      start=bar * 1920 + i * step, duration=step)
                 for bar in range(BARS) for i in range(density)]
        tracks.append(Track(role=role, is_drum=role is Role.DRUMS, notes=notes))
    return Score(bars=BARS, tracks=tracks)


async def main() -> None:
    pin_one_core()
    started = time.perf_counter()
    load_models()
    print(f"model load (once per process): {time.perf_counter() - started:.3f} s")
    await compose_async(ComposeRequest(prompt=BRIEFS[0], bars=BARS))  # warm caches
    latencies, peer, errors, bars, key_hits, in_scale = [], [], 0, 0, 0, []
    for index, brief in enumerate(BRIEFS):
        tick = time.perf_counter()
        result = await compose_async(ComposeRequest(prompt=brief, bars=BARS))
        latencies.append(time.perf_counter() - tick)
        tick = time.perf_counter()
        random_baseline(index)
        peer.append(time.perf_counter() - tick)
        score = result.score
        report = validate(score, result.brief.validation_style)
        errors += report.counts.get(Severity.ERROR, 0)
        bars += score.bars
        # Heard in the asked key (modes by family: dorian as minor, mixolydian as major).
        key_hits += key_margin(note_histogram(score.pitched_notes()), score.key) >= 0
        scale = set(scale_pitch_classes(score.key))
        pitched = score.pitched_notes()
        in_scale.append(sum(n.pitch % 12 in scale for n in pitched) / len(pitched))
        tracks = len([t for t in score.tracks if t.notes])
        assert tracks >= 4, brief
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"briefs: {len(BRIEFS)}, {BARS} bars, 4 tracks, one core")
    print(f"latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max "
          f"{latencies[-1] * 1000:.0f} ms; p95 / 1 s goal = {p95:.2f} (goal < 1)")
    print(f"peer (random in-scale baseline, same score shape): p50 "
          f"{statistics.median(peer) * 1000:.1f} ms; composer p50 = "
          f"{p50 / statistics.median(peer):.0f}x the peer")
    print(f"hard validator errors per 100 bars after repair: {100 * errors / bars:.2f} "
          "(goal 0)")
    print(f"heard in the requested key: {key_hits}/{len(BRIEFS)}; mean in-scale share "
          f"{statistics.mean(in_scale):.3f}")


if __name__ == "__main__":
    asyncio.run(main())
