"""The form: the sections the text lists ("intro, verse, chorus", "AABA", "8-bar intro"),
or the style's own (one of its forms, chosen by the seed), sized so that they fill the
piece's bars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ariaforge.composer.brief.model import MAX_SECTIONS, FormSection
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.scan import Found, of_kind
from ariaforge.composer.brief.text import Hit
from ariaforge.composer.vocabulary import (
    FRAME_END,
    FRAME_START,
    PHRASE_BARS,
    SECTION_BARS,
    STYLE_PROFILES,
    FormWord,
    SectionWord,
    Style,
    StyleProfile,
)

__all__ = ["Part", "form_choice", "natural_bars", "requested_parts", "resolve_form",
           "seeded_form", "with_section"]


@dataclass(frozen=True)
class Part:
    name: str
    bars: int | None  # None: the section's usual length


def _usual_bars(name: str, profile: StyleProfile) -> int:
    if profile.section_bars and name not in FRAME_START | FRAME_END:
        return profile.section_bars  # a blues verse is a 12-bar chorus
    return SECTION_BARS[name]


def requested_parts(found: Found, notes: Notes) -> list[Hit[Part]]:
    """The sections the text lists, in order. One section word alone ("a catchy chorus")
    is not a form; two or more, a bar count, "AABA" or "rondo" are."""
    parts = [Hit(h.start, h.words, Part(*h.value)) for h in found.section_counts]
    parts += [Hit(h.start, h.words, Part(h.value.name, None))
              for h in of_kind(found.phrases, SectionWord)]
    lettered = [(h.start, h.words, h.value) for h in found.letter_forms]
    lettered += [(h.start, h.words, h.value.sections) for h in of_kind(found.phrases, FormWord)]
    parts += [Hit(start, words, Part(name, None)) for start, words, names in lettered
              for name in names]
    parts.sort(key=lambda hit: hit.start)  # stable: a form's letters keep their order
    if not lettered and not found.section_counts and len(parts) < 2:
        return []
    if len(parts) > MAX_SECTIONS:
        notes.warn(f"a form holds {MAX_SECTIONS} sections at most: the rest are left out")
    return parts[:MAX_SECTIONS]


def _is_frame(part: Part) -> bool:
    return part.name in FRAME_START | FRAME_END


def _fill(intro: list[tuple[str, int]], body: Sequence[tuple[str, int]],
          outro: list[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    """A form of `total` bars: the frame (intro, outro) when there is room, and the body's
    sections repeated in turn to fill the rest; a tail under a phrase joins the last one."""
    frame = sum(bars for _, bars in intro + outro)
    if total - frame < min(bars for _, bars in body):
        intro, outro, frame = [], [], 0
    sections: list[tuple[str, int]] = []
    remaining, index = total - frame, 0
    while remaining > 0:
        name, bars = body[index % len(body)]
        if bars > remaining and sections and remaining < PHRASE_BARS:
            sections[-1] = (sections[-1][0], sections[-1][1] + remaining)
            break
        sections.append((name, min(bars, remaining)))
        remaining, index = remaining - min(bars, remaining), index + 1
    return intro + sections + outro


def _apportion(weights: Sequence[int], units: int) -> list[int]:
    """Split `units` (at least one each) in proportion to `weights`, exactly: each spare
    unit goes to the share furthest below its ideal, the earlier one on a tie."""
    total = sum(weights)
    ideal = [Fraction(weight * units, total) for weight in weights]
    shares = [1] * len(weights)
    for _ in range(units - len(weights)):
        best = max(range(len(weights)), key=lambda i: (ideal[i] - shares[i], -i))
        shares[best] += 1
    return shares


def _fit(sections: list[tuple[str, int]], total: int, notes: Notes) -> list[tuple[str, int]]:
    """The sections stretched or squeezed to `total` bars, in whole phrases where possible."""
    if len(sections) > total:
        notes.warn(f"{total} bars cannot hold {len(sections)} sections: keeping the first "
                   f"{total}")
        sections = sections[:total]
    unit = next(u for u in (PHRASE_BARS, 2, 1) if total // u >= len(sections))
    units, rest = divmod(total, unit)
    shares = _apportion([bars for _, bars in sections], units)
    lengths = [share * unit for share in shares]
    lengths[-1] += rest
    return [(name, bars) for (name, _), bars in zip(sections, lengths, strict=True)]


def _form_plan(parts: list[Part], profile: StyleProfile
               ) -> tuple[list[tuple[str, int]], Sequence[tuple[str, int]], list[tuple[str, int]]]:
    """(intro, body, outro) for the requested parts; only a frame ("with an intro and an
    outro") keeps the style's body between."""
    sized = [(part.name, part.bars or _usual_bars(part.name, profile)) for part in parts]
    if not parts:
        body = [(name, profile.section_bars or bars) for name, bars in profile.body]
        return list(profile.intro), body, list(profile.outro)
    if all(_is_frame(part) for part in parts):
        intro = [s for s, part in zip(sized, parts, strict=True) if part.name in FRAME_START]
        outro = [s for s, part in zip(sized, parts, strict=True) if part.name in FRAME_END]
        return intro, _form_plan([], profile)[1], outro
    if [part.name for part in parts] == ["verse", "chorus"] and not any(p.bars for p in parts):
        sized *= 2  # "verse-chorus" names alternation, not two long sections
    return [], sized, []


def natural_bars(parts: list[Part], profile: StyleProfile) -> int:
    """The length the form asks for: the style's usual length, or the listed sections'."""
    intro, body, outro = _form_plan(parts, profile)
    frame = sum(bars for _, bars in (*intro, *outro))
    if not parts or all(_is_frame(part) for part in parts):
        usual_frame = sum(bars for _, bars in (*profile.intro, *profile.outro))
        return frame + profile.bars - usual_frame
    return frame + sum(bars for _, bars in body)


def resolve_form(parts: list[Hit[Part]], profile: StyleProfile, bars: int,
                 notes: Notes) -> list[FormSection]:
    plain = [hit.value for hit in parts]
    intro, body, outro = _form_plan(plain, profile)
    if parts:
        notes.understood["form"] = ", ".join(dict.fromkeys(hit.words for hit in parts))
    if not plain or all(_is_frame(part) for part in plain):
        sections = _fill(intro, body, outro, bars)
    elif sum(b for _, b in body) == bars:
        sections = list(body)
    else:
        if any(part.bars for part in plain):
            notes.warn(f"the sections' bar counts add up to {sum(b for _, b in body)}, not "
                       f"{bars}: scaling them to fit")
        sections = _fit(list(body), bars, notes)
    return [FormSection(name=name, bars=length) for name, length in sections]


def with_section(form: list[FormSection], name: str) -> list[FormSection]:
    """`form` with a section called `name` added, in the same number of bars: an intro
    first, an outro last, any other (a bridge) before the last body section."""
    parts = [(section.name, section.bars) for section in form]
    usual = SECTION_BARS.get(name, PHRASE_BARS * 2)
    body = [i for i, (part, _) in enumerate(parts) if part not in FRAME_START | FRAME_END]
    if name in FRAME_START:
        at = 0
    elif name in FRAME_END or not body:
        at = len(parts)
    else:
        at = body[-1] if len(body) > 1 else body[-1] + 1
    parts.insert(at, (name, usual))
    total = sum(section.bars for section in form)
    if len(parts) > total:
        return form
    kept: list[FormSection | None] = [*form]
    kept.insert(at, None)  # the others keep a key or tempo given them already
    return [old.model_copy(update={"bars": bars}) if old else FormSection(name=part, bars=bars)
            for (part, bars), old in zip(_fit(parts, total, Notes()), kept, strict=True)]


def form_choice(style: Style, seed: int) -> int:
    """Which of the style's forms (`StyleProfile.forms`) a seed takes: each run of as many
    consecutive seeds as there are forms takes every form once, in an order of its own."""
    # Imported here: the plan module reads briefs, so it loads after this package.
    from ariaforge.composer.plan import seeded_choice

    return seeded_choice(seed, len(STYLE_PROFILES[style].forms), "form", style)


def seeded_form(style: Style, bars: int, seed: int) -> list[FormSection]:
    """The style's own form for a brief that names none: the one `seed` takes, filling
    exactly `bars` bars (a frame that leaves no room for the body is left out)."""
    profile = STYLE_PROFILES[style]
    intro, body, outro = profile.forms[form_choice(style, seed)]
    sized = [(name, profile.section_bars or length) for name, length in body]
    sections = _fill(list(intro), sized, list(outro), bars)
    return [FormSection(name=name, bars=length) for name, length in sections]
