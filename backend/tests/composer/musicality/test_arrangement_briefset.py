"""The arrangement bench's 72 briefs (bench/arrangement/briefs.py: all 35 styles, half of
them naming their own ensemble), composed through the real composer with seeds 0 and 1 and
judged with the bench's own checks: every style trait obeyed, no texture failure (a named
chord instrument left without harmony, two chord parts sharing voicings), no unrequested
track without a warning, and every control obeyed. One test per brief."""

from __future__ import annotations

import pytest

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import Composition, compose
from tests.bench_files import import_bench_package

BRIEFS = import_bench_package("arrangement.briefs")
TRAITS = import_bench_package("arrangement.traits")
TEXTURE = import_bench_package("arrangement.texture")
CONTROLS = import_bench_package("arrangement.controls")


def composed(brief: object, seed: int) -> Composition:
    return compose(ComposeRequest(prompt=brief.text, seed=seed,  # type: ignore[attr-defined]
                                  bars=BRIEFS.BARS))


def problems(brief: object, seed: int) -> list[str]:
    result = composed(brief, seed)
    score = result.score
    found = [f"trait {check.__name__}: {'not judged' if verdict is None else 'broken'}"
             for check in TRAITS.STYLE_TRAITS[brief.style]  # type: ignore[attr-defined]
             if (verdict := check(score)) is not True]
    programs, drums = CONTROLS.named_programs(brief)
    if any(TEXTURE.chord_capable(p) for p in programs) and not TEXTURE.has_harmony(score):
        found.append("a chord instrument was named and nothing plays harmony")
    found += [f"{a} and {b} share voicings at {share:.0%} of chord changes"
              for a, b, share in TEXTURE.shared_voicings(score)]
    found += [f"unrequested track {name}, no warning" for name in
              TEXTURE.unrequested(score, programs, drums, result.brief.warnings)]
    found += CONTROLS.control_failures(brief, result.brief, score)
    return [f"seed {seed}: {problem}" for problem in found]


@pytest.mark.parametrize("brief", BRIEFS.BRIEFS, ids=[b.text[:60] for b in BRIEFS.BRIEFS])
def test_the_brief_is_arranged_in_its_style(brief: object) -> None:
    lines = [line for seed in BRIEFS.SEEDS for line in problems(brief, seed)]
    assert not lines, "\n".join(lines)
