"""Composer musicality (issue 12): motif, rhythm reuse, steps, span, strong-beat chord
tones, comping parallels, melody swing and a classifier two-sample test, each printed for
AriaForge beside held-out corpus tunes (O'Neill's folk tunes shipped in the package, Bach
chorales training held out) and a random in-scale peer measured in the same run, with
issue 12's goal and ok / MISSED. Then composition latency on one core (32 bars, 4 tracks).

Exact definitions: the docstrings of bench/musicality/features.py (measures),
classifier.py (two-sample test), corpus.py, baseline.py and briefs.py (88 briefs over all
35 styles, seeds 0 and 1). Run from backend/: `python ../bench/bench_musicality.py`.
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence

from musicality import features as fx
from musicality.baseline import random_piece
from musicality.briefs import BARS, SEEDS, briefs
from musicality.classifier import two_sample_accuracy
from musicality.corpus import chorale_pieces, folk_pieces
from musicality.piece import Piece
from musicality.scores import piece_of

from ariaforge.composer.model.store import load_models
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose_async
from ariaforge.music.score import Mode
from ariaforge.music.theory.modes import MODE_INTERVALS
from ariaforge.music.theory.pitch import pitch_class_name

FOLK_TUNES = 120  # of the 200 shipped held-out folk tunes (all O'Neill's)
CHORALES = 30  # of the ~36 chorales training held out (parsing costs ~0.15 s each)
MATCHED = 40  # corpus tunes per family re-composed by AriaForge for the classifier
FOLK_STYLES = ("folk", "reel", "jig", "waltz", "march")


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def median(values: Sequence[float | int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def pooled(counts: Sequence[tuple[int, int]]) -> float | None:
    hits, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return hits / total if total else None


def cell(value: float | None, percent: bool) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.0f}%" if percent else f"{value:.1f}"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def row(name: str, measure: Callable[[list[Piece]], float | None],
        columns: Sequence[list[Piece]], goal: str, met: Callable[[float], bool],
        percent: bool = True) -> None:
    values = [measure(pieces) for pieces in columns]
    ours = values[0]
    verdict = "-" if ours is None else ("ok" if met(ours) else "MISSED")
    print(f"  {name:38s}" + "".join(f"{cell(v, percent):>9s}" for v in values)
          + f"   {goal:14s} {verdict}")


async def compose_piece(prompt: str, seed: int, bars: int | None = None
                        ) -> tuple[Piece, float, int, Mode]:
    """Compose one brief: its piece, seconds taken, tracks with notes, key mode."""
    tick = time.perf_counter()
    result = await compose_async(ComposeRequest(prompt=prompt, seed=seed, bars=bars))
    seconds = time.perf_counter() - tick
    score = result.score
    piece = piece_of(score, result.brief.style.value, swung=result.brief.swing,
                     group=f"{prompt}#{seed}")
    return piece, seconds, len([t for t in score.tracks if t.notes]), score.key.mode


def matched_prompt(piece: Piece, mode: str, style: str) -> tuple[str, int]:
    """A brief asking for what the corpus tune is: style, key, metre, length."""
    bars = max(8, min(32, piece.melody[-1].start // piece.bar + 1))
    noun = "folk tune" if style == "folk" else style
    return (f"a {noun} in {pitch_class_name(piece.tonic)} {mode} in "
            f"{piece.numerator}/{piece.denominator}"), bars


async def main() -> None:
    pin_one_core()
    started = time.perf_counter()
    load_models()
    rng = random.Random(12)  # noqa: S311 - a baseline, not a secret
    brief_set = briefs()
    await compose_piece(brief_set[0][1], 0, BARS)  # warm caches
    ours: list[Piece] = []
    noise: list[Piece] = []
    latencies: list[float] = []
    short = 0
    for _, prompt in brief_set:
        for seed in SEEDS:
            piece, seconds, tracks, mode = await compose_piece(prompt, seed, BARS)
            latencies.append(seconds)
            short += tracks < 4
            ours.append(piece)
            noise.append(random_piece(piece, MODE_INTERVALS[mode], rng))
    composed = time.perf_counter() - started

    tick = time.perf_counter()
    folk = folk_pieces(FOLK_TUNES)
    chorales = chorale_pieces(CHORALES)
    corpus_seconds = time.perf_counter() - tick

    print(f"{len(brief_set)} briefs x seeds {SEEDS} = {len(ours)} pieces of {BARS} bars "
          f"({len(ours) - short} with >= 4 tracks), composed in {composed:.0f} s on one core")
    print(f"corpus: {len(folk)} of the 200 shipped held-out folk tunes (O'Neill's), "
          f"{len(chorales)} held-out Bach chorales (fewer than all, to keep the run short); "
          f"read in {corpus_seconds:.0f} s")
    print("medians over pieces unless marked 'pooled'; ok/MISSED judge the AriaForge "
          "column\n")
    print(f"  {'measure':38s}{'AriaForge':>9s}{'folk':>9s}{'chorale':>9s}{'random':>9s}"
          f"   {'goal':14s}")
    columns = [ours, [p for p, _ in folk], [p for p, _ in chorales], noise]

    def over(measure: Callable[[Piece], float | int | None]
             ) -> Callable[[list[Piece]], float | None]:
        return lambda pieces: median([measure(p) for p in pieces])

    row("first 8 bars: motif near-repeat", over(fx.motif_repeat_share), columns,
        ">= 20%", lambda v: v >= 0.20)
    row("first 8 bars: bar-rhythm reuse", over(fx.rhythm_reuse_share), columns,
        ">= 35%", lambda v: v >= 0.35)
    row("steps / moves (repeats excluded)", over(fx.step_share), columns,
        ">= 62%", lambda v: v >= 0.62)
    row("melody span, semitones", over(fx.span), columns, "<= 17",
        lambda v: v <= 17, percent=False)
    row("strong-beat chord tones", over(fx.chord_tone_share), columns,
        "70%-92%", lambda v: 0.70 <= v <= 0.92)
    row("strong-beat NCTs resolved (pooled)",
        lambda ps: pooled([fx.strong_nct_resolution(p) for p in ps]), columns,
        "100%", lambda v: v >= 1.0)
    row("comping changes w/ parallels (pooled)",
        lambda ps: pooled([fx.parallel_changes(p) for p in ps]), columns,
        "<= 5%", lambda v: v <= 0.05)
    ncts = [sum(fx.strong_nct_resolution(p)[1] for p in c) for c in columns]
    changes = [sum(fx.parallel_changes(p)[1] for p in c) for c in columns]
    print(f"  (strong-beat NCTs counted: {ncts}; comping chord changes: {changes})")
    print("  folk tunes carry no chords: chord-tone rows skip them. Chorale harmony: the "
          "4-voice sonority when it is a triad/7th, else the lower voices'; chorale "
          "comping = alto + tenor (inner voices)")

    print_swing(ours)
    print_classifier(await matched_sets(folk, chorales, rng))
    print_latency(latencies)


def print_swing(ours: list[Piece]) -> None:
    print("\nswing ratio (off-beat eighth position / beat; 0.50 straight, 0.67 triplet), "
          "median per style over swung pieces; goal |melody - comping| <= 0.03")
    styles = sorted({p.style for p in ours if p.swung})
    for style in styles:
        pieces = [p for p in ours if p.swung and p.style == style]
        melody = median([fx.melody_swing(p) for p in pieces])
        comps = [fx.comping_swing(p) for p in pieces]
        comp = median([c[0] for c in comps])
        where = "/".join(sorted({c[1] for c in comps if c[0] is not None})) or "-"
        gap = None if melody is None or comp is None else abs(melody - comp)
        verdict = "-" if gap is None else ("ok" if gap <= 0.03 else "MISSED")
        print(f"  {style:14s} pieces {len(pieces):2d}  melody {ratio(melody)}  "
              f"comping ({where}) {ratio(comp)}  {verdict}")
    if not styles:
        print("  no brief came out swung")
    print("  (no peers: the corpus is not swung and the random peer has no feel)")


async def matched_sets(folk: list[tuple[Piece, dict[str, object]]],
                       chorales: list[tuple[Piece, dict[str, object]]],
                       rng: random.Random) -> list[tuple[str, list[Piece], list[Piece],
                                                         list[Piece]]]:
    """Per family: (name, corpus pieces, AriaForge pieces composed from briefs naming
    each corpus tune's style, key, metre and length, random pieces on the same frames)."""
    sets = []
    for name, pairs in (("folk", folk[:MATCHED]), ("chorale", chorales[:MATCHED])):
        corpus, generated, noise = [], [], []
        for index, (piece, data) in enumerate(pairs):
            mode = str(data["mode"])
            prompt, bars = matched_prompt(piece, mode, piece.style)
            made, _, _, _ = await compose_piece(prompt, index % 2, bars)
            corpus.append(piece)
            generated.append(made)
            noise.append(random_piece(piece, MODE_INTERVALS[Mode(mode)], rng))
        sets.append((name, corpus, generated, noise))
    return sets


def print_classifier(sets: list[tuple[str, list[Piece], list[Piece], list[Piece]]]) -> None:
    print("\nclassifier two-sample test (logistic regression on 4-bar phrase features, "
          "5-fold CV by piece; 0.5 = indistinguishable), goal <= 0.70")
    for name, corpus, generated, noise in sets:
        ours, count = two_sample_accuracy(corpus, generated)
        peer, peer_count = two_sample_accuracy(corpus, noise)
        verdict = "ok" if ours <= 0.70 else "MISSED"
        print(f"  {name:8s} {len(corpus)} tunes: AriaForge vs corpus {ours:.2f} "
              f"({count} phrases a side)   random vs corpus {peer:.2f} ({peer_count})   "
              f"{verdict}")


def print_latency(latencies: list[float]) -> None:
    latencies = sorted(latencies)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"\ncomposition latency, one core, {BARS} bars x 4 tracks, {len(latencies)} "
          f"pieces: p50 {statistics.median(latencies) * 1000:.0f} ms, p95 "
          f"{p95 * 1000:.0f} ms (goal < 1000 ms) {'ok' if p95 < 1 else 'MISSED'}")


if __name__ == "__main__":
    asyncio.run(main())
