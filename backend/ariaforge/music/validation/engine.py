"""Runs the rules a style enables and turns what they find into a 0-100 summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from ariaforge.music.score import Score
from ariaforge.music.validation.context import Context
from ariaforge.music.validation.model import Report, RuleInfo, Severity, Violation
from ariaforge.music.validation.rules import RULES

# Which rules a style switches off, and the options it gives the rules that stay on.
# Power chords move in parallel fifths and V-IV-I is idiomatic in rock and blues. Each
# style's idiomatic chromaticism is named in `idioms` (blue notes, approach notes,
# enclosures, anticipations, altered tensions): the non-diatonic rule stays on everywhere
# and still flags a chromatic note the style has no use for (one leapt into and out of).
_POPULAR = ("chromatic_approach", "anticipation")
STYLE_IDIOMS: dict[str, tuple[str, ...]] = {
    "common-practice": (), "chorale": (), "classical": (),
    "pop": (*_POPULAR, "flat_seven"),
    "rock": (*_POPULAR, "flat_seven", "blue_notes"),
    "folk": ("flat_seven", "anticipation"),
    "jazz": (*_POPULAR, "blue_notes", "enclosure", "altered_tensions"),
    "blues": (*_POPULAR, "blue_notes", "altered_tensions"),
    "electronic": _POPULAR,
}
_OFF: dict[str, frozenset[str]] = {
    "pop": frozenset({"parallel-perfect-intervals", "weak-progression"}),
    "rock": frozenset({"parallel-perfect-intervals", "weak-progression"}),
    "folk": frozenset({"weak-progression"}),
    "jazz": frozenset({"parallel-perfect-intervals", "weak-progression",
                       "unresolved-leading-tone"}),
    "blues": frozenset({"parallel-perfect-intervals", "weak-progression"}),
    "electronic": frozenset({"parallel-perfect-intervals", "weak-progression",
                             "voice-crossing", "large-leap"}),
}
STYLES: dict[str, tuple[frozenset[str], dict[str, object]]] = {
    style: (_OFF.get(style, frozenset()), dict.fromkeys(idioms, True))
    for style, idioms in STYLE_IDIOMS.items()}
DEFAULT_STYLE = "common-practice"
MAX_REPORTED = 1000  # a report lists this many; counts and the score cover all
PENALTY = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 1}


class UnknownRuleError(ValueError):
    pass


def rules_info() -> list[RuleInfo]:
    return [RuleInfo(id=r.id, severity=r.severity, description=r.description)
            for r in RULES.values()]


def summary_score(violations: list[Violation], note_count: int) -> int:
    """100 with nothing to remark, falling as weighted remarks grow relative to the size of
    the piece: 100 * (1 - P / (P + 20 + notes/2)), P = 10 per error, 3 per warning, 1 per
    info. One warning in 40 notes gives 93; ten errors in 40 notes give 29."""
    penalty = sum(PENALTY[v.severity] for v in violations)
    return round(100 * (1 - penalty / (penalty + 20 + note_count / 2)))


def validate(score: Score, style: str | None = None,
             disabled_rules: Collection[str] = ()) -> Report:
    style = style or DEFAULT_STYLE
    if style not in STYLES:
        raise UnknownRuleError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    unknown = set(disabled_rules) - RULES.keys()
    if unknown:
        raise UnknownRuleError(f"unknown rules: {', '.join(sorted(unknown))}")
    off, options = STYLES[style]
    context = Context(score, dict(options))
    run = [r for r in RULES.values() if r.id not in off and r.id not in disabled_rules]
    violations = [v for r in run for v in r.check(context)]
    violations.sort(key=lambda v: (v.tick if v.tick is not None else -1, v.rule))
    notes = sum(len(t.notes) for t in score.tracks)
    counts = Counter(v.severity for v in violations)
    return Report(score=summary_score(violations, notes), style=style,
                  violations=violations[:MAX_REPORTED], total_violations=len(violations),
                  counts={severity: counts.get(severity, 0) for severity in Severity},
                  rules_run=[r.id for r in run], idioms=list(STYLE_IDIOMS[style]))
