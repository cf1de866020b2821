"""Arrangement (issue 13): does every style word sound like its style, does every named
instrument play an idiomatic part, and are the brief's controls obeyed? On 72 briefs over
all 35 styles (bench/arrangement/briefs.py), seeds 0 and 1, 16 bars each:

- style traits obeyed: one operational check per trait (bench/arrangement/traits.py: a
  groove or figure is a per-bar check from kit_checks.py or part_checks.py that most
  groove bars pass, the rest read the whole piece in piece_traits.py; the style
  signature tests use the same per-bar checks), beside a peer measured in the same run:
  the same checks run on the pieces of every *other* style, which shows how often a
  trait appears where it was not asked for;
- texture failures: no harmony although a chord instrument was named, or two chord parts
  sharing their voicings (texture.py);
- unrequested tracks without a warning (texture.py);
- pieces whose last repair round had to delete notes the validator still rejected;
- controls obeyed: style, key heard, the mode's characteristic degree, metre, bars, tempo
  range, every named instrument on its program (controls.py).

Run from backend/: `python ../bench/bench_arrangement.py`. A script, not a test.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from arrangement.briefs import BARS, BRIEFS, SEEDS, Brief
from arrangement.controls import control_failures, named_programs
from arrangement.texture import chord_capable, has_harmony, shared_voicings, unrequested
from arrangement.traits import STYLE_TRAITS

from ariaforge.composer.model.store import load_models
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import Composition, compose_async

TRAIT_GOAL = 0.95


async def composed() -> list[tuple[Brief, int, Composition]]:
    pieces = []
    for brief in BRIEFS:
        for seed in SEEDS:
            result = await compose_async(ComposeRequest(prompt=brief.text, seed=seed,
                                                        bars=BARS))
            pieces.append((brief, seed, result))
    return pieces


def trait_table(pieces: list[tuple[Brief, int, Composition]]) -> None:
    print(f"\nstyle traits ({TRAIT_GOAL:.0%} goal): obeyed / judged per style; 'elsewhere' "
          "= the same checks on the other styles' pieces (the peer)")
    obeyed = judged = peer_obeyed = peer_judged = 0
    missed: list[str] = []
    for style, checks in STYLE_TRAITS.items():
        mine = [(b, s, r) for b, s, r in pieces if b.style == style]
        others = [r for b, _, r in pieces if b.style != style]
        ok = total = 0
        for brief, seed, result in mine:
            for check in checks:
                verdict = check(result.score)
                total += 1
                ok += verdict is True
                if verdict is not True:
                    missed.append(f"{brief.text!r} seed {seed}: {check.__name__} "
                                  f"{'not judged' if verdict is None else 'broken'}")
        elsewhere = [check(r.score) for r in others for check in checks]
        p_ok = sum(v is True for v in elsewhere)
        obeyed, judged = obeyed + ok, judged + total
        peer_obeyed, peer_judged = peer_obeyed + p_ok, peer_judged + len(elsewhere)
        names = ", ".join(c.__name__ for c in checks)
        print(f"  {style:13s} {ok:3d}/{total:<3d}  elsewhere {p_ok / len(elsewhere):4.0%}"
              f"   {names}")
    ours, peer = obeyed / judged, peer_obeyed / peer_judged
    print(f"  all: {ours:.1%} obeyed ({obeyed}/{judged}), elsewhere {peer:.1%}; ratio "
          f"{ours / peer:.1f}x   {'ok' if ours >= TRAIT_GOAL else 'MISSED'}")
    for line in missed:
        print(f"    {line}")


def texture_table(pieces: list[tuple[Brief, int, Composition]]) -> None:
    failures: list[str] = []
    added: list[str] = []
    dropped: list[str] = []  # the last repair round's deletions: parts that broke a rule
    for brief, seed, result in pieces:
        score = result.score
        programs, drums = named_programs(brief)
        if any(chord_capable(p) for p in programs) and not has_harmony(score):
            failures.append(f"{brief.text!r} seed {seed}: no harmony")
        failures += [f"{brief.text!r} seed {seed}: {a} = {b} at {share:.0%} of changes"
                     for a, b, share in shared_voicings(score)]
        extra = unrequested(score, programs, drums, result.brief.warnings)
        added += [f"{brief.text!r} seed {seed}: {name}" for name in extra]
        dropped += [f"{brief.text!r} seed {seed}: {w}" for w in result.warnings
                    if "validator still rejected" in w]
    print(f"\ntexture failures (goal 0): {len(failures)} in {len(pieces)} pieces   "
          f"{'ok' if not failures else 'MISSED'}")
    for line in failures:
        print(f"    {line}")
    print(f"unrequested tracks without a warning (goal 0): {len(added)}   "
          f"{'ok' if not added else 'MISSED'}")
    for line in added:
        print(f"    {line}")
    print(f"pieces whose notes the validator still rejected (goal 0): {len(dropped)}   "
          f"{'ok' if not dropped else 'MISSED'}")
    for line in dropped:
        print(f"    {line}")


def controls_table(pieces: list[tuple[Brief, int, Composition]]) -> None:
    failures = [(brief, seed, control_failures(brief, result.brief, result.score))
                for brief, seed, result in pieces]
    bad = [(b, s, f) for b, s, f in failures if f]
    share = 1 - len(bad) / len(pieces)
    print(f"\ncontrols obeyed (goal 100%): {share:.1%} of {len(pieces)} pieces   "
          f"{'ok' if not bad else 'MISSED'}")
    for brief, seed, found in bad:
        print(f"    {brief.text!r} seed {seed}: {'; '.join(found)}")


async def main() -> None:
    load_models()
    pieces = await composed()
    by_style: dict[str, int] = defaultdict(int)
    for brief, _, _ in pieces:
        by_style[brief.style] += 1
    print(f"{len(BRIEFS)} briefs x seeds {SEEDS} = {len(pieces)} pieces of {BARS} bars over "
          f"{len(by_style)} styles")
    trait_table(pieces)
    texture_table(pieces)
    controls_table(pieces)


if __name__ == "__main__":
    asyncio.run(main())
