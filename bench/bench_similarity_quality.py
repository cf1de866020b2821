"""Similarity quality: does the originality check find disguised copies of corpus tunes,
and how high do unrelated melodies score? Peers measured in the same run.

Uses the shipped reference corpus (ariaforge/music/similarity/data). For a fixed sample of
corpus tunes, one 4-bar and one 8-bar window is taken from a disguised copy of the tune:
transposed, retimed (augmentation x2 or a tempo change x1.5, the bar scaled with it) and
with 0/10/20/30% of its notes moved by a step or two. Each query is searched among ALL
reference windows of its size by an exact cosine scan, the best 20 reranked with `align`.
Prints:

* top-1 retrieval rate (the copied tune's window ranks first) for: ours (cosine + align),
  ours by cosine alone, and an absolute-pitch embedding (pitch and duration n-grams hashed
  the same way) — the peer that knows no invariance;
* the align score of the copy against its original, per change, and the best score of the
  same (unchanged) windows against every OTHER tune (leave-one-out: folk collections hold
  variants of each other's tunes, so the top of that tail is partly real kinship), and of
  melodies our composer writes;
* the threshold that keeps unrelated 4/8-bar windows under it 99% of the time, and the
  share of disguised copies at or above it;
* how many windows the whole corpus gives (the index bench needs >= 100,000 melody windows).
A script, not a test: nothing here fails. Run from backend/:
    ../.venv/bin/python ../bench/bench_similarity_quality.py [--tunes 150]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ariaforge.music.similarity import Window, align, line_windows, score_windows
from ariaforge.music.similarity.embedding import DIMENSIONS, NoteTuple, melody_line
from ariaforge.music.similarity.reference import (
    ReferenceTune,
    load_reference,
    reference_windows,
)
from ariaforge.music.similarity.variants import mutate, retime, transpose

SIZES = (4, 8)
CANDIDATES = 20
CHANGES = (0.0, 0.1, 0.2, 0.3)
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def absolute_embedding(notes: Sequence[NoteTuple]) -> np.ndarray:
    """The peer: absolute pitches and durations, hashed into the same 128 dimensions."""
    line = melody_line(notes)
    out = np.zeros(DIMENSIONS)
    tokens = [(n[0], n[2]) for n in line]
    for size in (1, 2, 3):
        for index in range(len(tokens) - size + 1):
            bucket = hash((size, *tokens[index:index + size]))  # ints: not salted
            out[bucket % DIMENSIONS] += 1.0 if (bucket >> 20) & 1 else -1.0
    norm = np.linalg.norm(out)
    return out / norm if norm else out


class Index:
    def __init__(self, windows: list[tuple[str, Window]]) -> None:
        self.tunes = [tune_id for tune_id, _ in windows]
        self.windows = [window for _, window in windows]
        self.matrix = np.stack([w.embedding for w in self.windows])
        self.absolute = np.stack([absolute_embedding(w.notes) for w in self.windows])

    def candidates(self, vector: np.ndarray, exclude: str | None = None) -> list[int]:
        scores = self.matrix @ vector
        if exclude is not None:
            scores = np.where(np.array([t == exclude for t in self.tunes]), -2.0, scores)
        top = np.argpartition(-scores, CANDIDATES)[:CANDIDATES]
        return [int(i) for i in top[np.argsort(-scores[top])]]

    def rerank(self, query: Window, exclude: str | None = None) -> tuple[int, float]:
        best, best_score = -1, -1.0
        for index in self.candidates(query.embedding, exclude):
            score = align(query.notes, self.windows[index].notes).score
            if score > best_score:
                best, best_score = index, score
        return best, best_score


def disguised(tune: ReferenceTune, rng: random.Random, change: float, seed: int
              ) -> tuple[list[NoteTuple], int]:
    factor = rng.choice((2.0, 1.5))
    notes = retime(transpose(tune.notes, rng.choice((-5, -3, -2, 2, 4, 7))), factor)
    return mutate(notes, change, seed), round(tune.bar_ticks * factor)


def random_walk(tune: ReferenceTune, rng: random.Random) -> list[NoteTuple]:
    """The tune's own rhythm and range with pitches from a random walk in its scale: an
    unrelated melody that no rhythm or register cue can tell apart."""
    scale = (0, 2, 4, 5, 7, 9, 11) if tune.mode == "major" else (0, 2, 3, 5, 7, 8, 10)
    degree = 7 * 5
    out = []
    for _, start, duration in tune.notes:
        degree += rng.choice((-2, -1, -1, 1, 1, 2, 0, 3, -3))
        degree = min(max(degree, 7 * 4), 7 * 6)
        octave, step = divmod(degree, 7)
        out.append((12 * octave + tune.tonic + scale[step], start, duration))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tunes", type=int, default=60)
    parser.add_argument("--composed", type=int, default=12)
    args = parser.parse_args()
    started = time.perf_counter()
    tunes = load_reference()
    all_windows = [(t.id, w) for t in tunes for w in reference_windows(t)]
    built = time.perf_counter() - started
    kinds = Counter((w.kind, w.bars) for _, w in all_windows)
    melody = sum(v for (kind, _), v in kinds.items() if kind == "melody")
    sizes = ", ".join(f"{b}-bar {kinds['melody', b]}" for b in (2, 4, 8))
    print(f"corpus: {len(tunes)} tunes, {melody} melody windows ({sizes}), "
          f"{len(all_windows) - melody} harmony windows; built in {built:.1f} s"
          f"{'' if melody >= 100_000 else '  (UNDER the 100,000 the index bench needs)'}")
    indexes = {size: Index([(t, w) for t, w in all_windows
                            if w.kind == "melody" and w.bars == size]) for size in SIZES}
    by_tune: dict[str, dict[int, list[Window]]] = {}
    for tune_id, window in all_windows:
        if window.kind == "melody":
            by_tune.setdefault(tune_id, {}).setdefault(window.bars, []).append(window)

    rng = random.Random(17)  # noqa: S311 - a reproducible sample, not a secret
    sample = [t for t in tunes if all(len(by_tune.get(t.id, {}).get(s, [])) >= 2 for s in SIZES)]
    sample = rng.sample(sample, min(args.tunes, len(sample)))
    hits: Counter[tuple[int, float, str]] = Counter()
    copy_scores: dict[tuple[int, float], list[float]] = {}
    unrelated: dict[int, list[float]] = {size: [] for size in SIZES}
    walks: dict[int, list[float]] = {size: [] for size in SIZES}
    for number, tune in enumerate(sample):
        for size in SIZES:
            original = rng.choice(by_tune[tune.id][size])
            index = indexes[size]
            _, other = index.rerank(original, exclude=tune.id)
            unrelated[size].append(other)
            walk = next((w for w in line_windows(random_walk(tune, rng), tune.bar_ticks, (size,))
                         if w.start_bar == original.start_bar), None)
            if walk is not None:
                walks[size].append(index.rerank(walk)[1])
            for change in CHANGES:
                notes, bar_ticks = disguised(tune, rng, change, number)
                query = next((w for w in line_windows(notes, bar_ticks, (size,))
                              if w.start_bar == original.start_bar), None)
                if query is None:
                    continue
                truth = align(query.notes, original.notes).score
                copy_scores.setdefault((size, change), []).append(truth)
                best, best_score = index.rerank(query)
                found = index.tunes[best] == tune.id or best_score <= truth + 1e-9
                hits[(size, change, "ours")] += found
                cosine_top = index.candidates(query.embedding)[0]
                hits[(size, change, "cosine")] += index.tunes[cosine_top] == tune.id
                absolute = int(np.argmax(index.absolute @ absolute_embedding(query.notes)))
                hits[(size, change, "absolute")] += index.tunes[absolute] == tune.id
                hits[(size, change, "n")] += 1

    print(f"\ntop-1 retrieval of disguised copies ({len(sample)} tunes; transposed, retimed "
          f"x1.5/x2, notes changed), among all windows of the size:")
    print("  bars change   ours(cos+align)  cosine only  absolute-pitch peer   ours/cosine")
    for size in SIZES:
        for change in CHANGES:
            n = hits[(size, change, "n")]
            ours, cos, peer = (hits[(size, change, k)] / max(n, 1)
                               for k in ("ours", "cosine", "absolute"))
            print(f"  {size:4d} {change:5.0%}   {ours:14.1%}  {cos:11.1%}  {peer:19.1%}"
                  f"   {ours / cos if cos else float('inf'):8.2f}x")

    composed = composed_scores(indexes, args.composed)
    print("\nalign score (0..1) distributions: median [p1 .. p99]")
    for size in SIZES:
        for change in CHANGES:
            _print_distribution(f"{size}-bar copy, {change:.0%} changed",
                                copy_scores[(size, change)])
        _print_distribution(f"{size}-bar best other tune", unrelated[size])
        _print_distribution(f"{size}-bar random walk", walks[size])
        if composed.get(size):
            _print_distribution(f"{size}-bar composed (ours)", composed[size])

    print("\nthreshold: share at or above it of the best other-tune score (includes real"
          " variants), random walks, composed windows, and copies 0/10/20/30% changed")
    for threshold in THRESHOLDS:
        parts = []
        for size in SIZES:
            others = float(np.mean(np.array(unrelated[size]) >= threshold))
            comp = float(np.mean(np.array(composed.get(size, [0.0])) >= threshold))
            walked = float(np.mean(np.array(walks[size]) >= threshold))
            copies = " ".join(f"{np.mean(np.array(copy_scores[(size, c)]) >= threshold):4.0%}"
                              for c in CHANGES)
            parts.append(f"{size}-bar other {others:4.0%} walk {walked:4.0%} composed {comp:4.0%}"
                         f" copies {copies}")
        print(f"  {threshold:.2f}  " + " | ".join(parts))
    for size in SIZES:
        pool = np.array(walks[size] + composed.get(size, []))
        print(f"\n{size}-bar: 99th percentile of unrelated (random walks + composed) "
              f"{np.quantile(pool, 0.99):.3f}, max {pool.max():.3f}; median copy 20% changed "
              f"{np.median(copy_scores[(size, 0.2)]):.3f}")
    print(f"total {time.perf_counter() - started:.0f} s")


def composed_scores(indexes: dict[int, Index], count: int) -> dict[int, list[float]]:
    """Best reference score of each melody window of scores our composer writes."""
    from ariaforge.composer.run import compose

    styles = ("folk tune", "waltz", "pop song", "jig", "march", "ballad", "reel", "hymn")
    lengths = (16, 32)
    found: dict[int, list[float]] = {size: [] for size in SIZES}
    for seed in range(count):
        bars = lengths[seed % 2]
        score = compose(f"a {styles[seed % len(styles)]}, {bars} bars, seed {seed + 1}").score
        melody_ids = {t.id for t in score.tracks if t.role == "melody"}
        for window in score_windows(score, SIZES):
            if window.kind == "melody" and window.track_id in melody_ids:
                found[window.bars].append(indexes[window.bars].rerank(window)[1])
    return found


def _print_distribution(name: str, values: Sequence[float]) -> None:
    data = np.array(values)
    print(f"  {name:30s} {np.median(data):.3f} [{np.quantile(data, 0.01):.3f} .. "
          f"{np.quantile(data, 0.99):.3f}]  n={data.size}")


if __name__ == "__main__":
    main()
