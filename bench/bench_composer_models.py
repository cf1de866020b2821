"""Composer models: how well the learned melody model predicts and imitates folk tunes it
never saw, against simpler peers measured in the same run.

Uses only what ships in the package (ariaforge/composer/data): the models, 200 held-out
tunes and hashes of the training tunes' bars. Prints:

* held-out negative log-likelihood per interval token, in nats, of our conditioned melody
  model, of a plain interval 6-gram and of a random in-scale choice;
* overlapping area (Yang & Lerch 2018: the shared area of two normalised distributions,
  1 = identical) of pitch-class, interval and inter-onset-interval histograms between the
  held-out tunes and, on the same plans, our melodies vs random in-scale melodies;
* the longest run of bars copied verbatim (key-relative, same metric position) from the
  training tunes, for our melodies and, as calibration, for the held-out tunes themselves
  (goal for ours: < 2 bars);
* decoding time of compose_harmony + compose_melody for 32 bars (goal < 150 ms).
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody
from ariaforge.composer.model.corpus import Tune, read_tune
from ariaforge.composer.model.evaluate import heldout_figures, longest_copy_bars, tune_bars
from ariaforge.composer.model.store import load_copycheck, load_heldout, load_models
from ariaforge.composer.plan import Plan, plan_form
from ariaforge.music.score import Note
from ariaforge.music.theory.modes import MODE_INTERVALS
from ariaforge.music.theory.pitch import pitch_class_name
from ariaforge.music.theory.scales import tonic_pc

GENERATED = 80  # held-out tunes to imitate
MAX_BARS = 32
REPEATS = 5


def plan_like(tune: Tune, seed: int) -> Plan:
    bars = max(4, min(MAX_BARS, (tune.notes[-1].onset // tune.bar) + 1))
    tonic = pitch_class_name(tune.tonic)
    text = (f"folk tune in {tonic} {tune.mode.value} in {tune.numerator}/{tune.denominator},"
            f" {bars} bars, seed {seed}")
    return plan_form(parse_brief(text))


def register_of(tune: Tune) -> tuple[int, int]:
    low, high = min(n.pitch for n in tune.notes), max(n.pitch for n in tune.notes)
    while high - low < 12:
        low, high = low - 1, high + 1
    return low, high


def random_melody(plan: Plan, register: tuple[int, int], rng: random.Random) -> list[Note]:
    tonic = _tonic(plan)
    scale = {(tonic + s) % 12 for s in MODE_INTERVALS[plan.key.mode]}
    pool = [p for p in range(register[0], register[1] + 1) if p % 12 in scale]
    lengths = (240, 480, 720) if plan.beat_ticks == 720 else (240, 480, 960)
    notes, tick = [], 0
    while tick < plan.total_ticks:
        bar_end = (tick // plan.bar_ticks + 1) * plan.bar_ticks
        length = min(rng.choice(lengths), bar_end - tick)
        notes.append(Note(pitch=rng.choice(pool), start=tick, duration=length))
        tick += length
    return notes


def _tonic(plan: Plan) -> int:
    return tonic_pc(plan.key)


def features(notes: Sequence[tuple[int, int, int]], tonic: int) -> tuple[Counter[int], ...]:
    """(pitch class above the tonic, interval, inter-onset interval in sixteenths)."""
    pcs: Counter[int] = Counter((p - tonic) % 12 for p, _, _ in notes)
    steps: Counter[int] = Counter(max(-12, min(12, b[0] - a[0]))
                                  for a, b in itertools.pairwise(notes))
    iois: Counter[int] = Counter(min(16, (b[1] - a[1]) // 120)
                                 for a, b in itertools.pairwise(notes))
    return pcs, steps, iois


def overlap(first: Counter[int], second: Counter[int]) -> float:
    total_a, total_b = sum(first.values()), sum(second.values())
    return sum(min(first[k] / total_a, second[k] / total_b) for k in set(first) | set(second))


def merged(groups: Iterable[tuple[Counter[int], ...]]) -> list[Counter[int]]:
    result: list[Counter[int]] = [Counter(), Counter(), Counter()]
    for group in groups:
        for total, part in zip(result, group, strict=True):
            total.update(part)
    return result


def bars_of(notes: Sequence[Note], plan: Plan) -> list[list[tuple[int, int, int]]]:
    bars: list[list[tuple[int, int, int]]] = [[] for _ in range(plan.bars)]
    for note in notes:
        bars[note.start // plan.bar_ticks].append(
            (note.pitch, note.start % plan.bar_ticks, note.duration))
    return bars


def main() -> None:
    started = time.perf_counter()
    models = load_models()
    loaded = time.perf_counter() - started
    tunes = [t for t in (read_tune(d) for d in load_heldout()) if t is not None]
    check = load_copycheck()
    singles, pairs = set(check.singles), set(check.pairs)
    print(f"models loaded in {loaded * 1000:.0f} ms; {len(tunes)} held-out tunes")

    figures = heldout_figures(models.melody, models.plain, tunes)
    ours, plain, rand = (figures["melody_nats"], figures["plain_6gram_nats"],
                         figures["random_in_scale_nats"])
    print(f"\nheld-out NLL per interval token ({figures['tokens']} tokens, nats):")
    print(f"  our melody model    {ours:.3f}")
    print(f"  plain 6-gram        {plain:.3f}   ours/6-gram = {ours / plain:.2f}x")
    print(f"  random in-scale     {rand:.3f}   ours/random = {ours / rand:.2f}x")

    rng = random.Random(1)  # noqa: S311 - a baseline melody, not a secret
    real, generated, baseline = [], [], []
    copies_ours, copies_real, copies_random = [], [], []
    for index, tune in enumerate(tunes[:GENERATED]):
        plan = plan_like(tune, seed=index)
        register = register_of(tune)
        melody = compose_melody(plan, compose_harmony(plan), register)
        noise = random_melody(plan, register, rng)
        tonic = _tonic(plan)
        real.append(features([(n.pitch, n.onset, n.duration) for n in tune.notes], tune.tonic))
        generated.append(features([(n.pitch, n.start, n.duration) for n in melody], tonic))
        baseline.append(features([(n.pitch, n.start, n.duration) for n in noise], tonic))
        copies_ours.append(longest_copy_bars(bars_of(melody, plan), tonic, singles, pairs))
        copies_random.append(longest_copy_bars(bars_of(noise, plan), tonic, singles, pairs))
        copies_real.append(longest_copy_bars(tune_bars(tune), tune.tonic, singles, pairs))
    reference, ours_h, random_h = merged(real), merged(generated), merged(baseline)
    print(f"\nhistogram overlapping area with the held-out tunes ({len(real)} plans, 1 = same):")
    for name, index in (("pitch class", 0), ("interval", 1), ("inter-onset", 2)):
        a, b = overlap(reference[index], ours_h[index]), overlap(reference[index],
                                                                  random_h[index])
        print(f"  {name:12s} ours {a:.3f}   random in-scale {b:.3f}   ratio {a / b:.2f}x")

    print("\nlongest run of bars copied verbatim from the training tunes:")
    print(f"  ours       max {max(copies_ours)} bars, mean {_mean(copies_ours):.2f} "
          f"(goal < 2)")
    print(f"  held-out   max {max(copies_real)} bars, mean {_mean(copies_real):.2f} "
          "(real tunes the model never saw)")
    print(f"  random     max {max(copies_random)} bars, mean {_mean(copies_random):.2f}")

    plan = plan_form(parse_brief("lofi hip hop in Eb minor, 32 bars, seed 3"))
    times = []
    for _ in range(REPEATS):
        begin = time.perf_counter()
        compose_melody(plan, compose_harmony(plan), (62, 86))
        times.append(time.perf_counter() - begin)
    print(f"\n32-bar harmony + melody: first {times[0] * 1000:.1f} ms (new contexts), best "
          f"{min(times) * 1000:.1f} ms of {REPEATS} (goal < 150 ms; model load "
          f"{loaded * 1000:.0f} ms, once)")


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    main()
