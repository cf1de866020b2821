"""What the section changes `changes.scan_changes` read mean, once the home key, tempo and
form are known: each becomes a `FormSection.key` or `.tempo` on the sections it names.

"The relative major" of A minor is C major; "the dominant" of C major is G major; "up a
whole step" from G major is A major. A change for the last of a kind of section (a lifted
last chorus) carries on through an outro or coda that follows it, as a band keeps playing in
the new key. A section the style's default form lacks is added to it; a section missing
from a form the brief spelled out gets a warning instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.composer.brief.changes import KeyTarget, SectionChange, SectionRef
from ariaforge.composer.brief.form import with_section
from ariaforge.composer.brief.model import MAX_TEMPO, MIN_TEMPO, FormSection
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.numbers import round_half_up
from ariaforge.composer.vocabulary import FRAME_END, FRAME_START
from ariaforge.music.score import MAX_SECTION_KEYS, Key, Mode
from ariaforge.music.theory.modes import has_minor_third
from ariaforge.music.theory.pitch import pitch_class_of_name
from ariaforge.music.theory.scales import conventional_key

__all__ = ["apply_changes", "home_key_from_changes", "key_of"]

_SYNONYMS = {"refrain": "chorus", "middle eight": "bridge", "coda": "outro"}


def _family(mode: Mode) -> Mode:
    return Mode.MINOR if has_minor_third(mode) else Mode.MAJOR


def key_of(target: KeyTarget, home: Key, notes: Notes, words: str) -> Key | None:
    """The key `target` names, from `home`; None (with a warning) when it makes no sense."""
    tonic = pitch_class_of_name(home.tonic)
    if target.relation == "key" and target.tonic is not None:
        return conventional_key(pitch_class_of_name(target.tonic), target.mode or home.mode)
    if target.relation in ("relative", "parallel"):
        other = Mode.MAJOR if _family(home.mode) is Mode.MINOR else Mode.MINOR
        if target.mode is not None and target.mode is not other:
            notes.warn(f"'{words}': {home.tonic} {home.mode.value} is already "
                       f"{target.mode.value}; the section stays in the home key")
            return None
        if target.relation == "parallel":
            return conventional_key(tonic, other)
        return conventional_key(tonic + (3 if other is Mode.MAJOR else 9), other)
    shift = {"dominant": 7, "subdominant": 5}.get(target.relation, target.semitones)
    return conventional_key(tonic + shift, home.mode)


def _same_section(name: str, wanted: str) -> bool:
    return _SYNONYMS.get(name.lower(), name.lower()) == _SYNONYMS.get(wanted.lower(),
                                                                        wanted.lower())


def _chosen(form: Sequence[FormSection], ref: SectionRef) -> list[int]:
    indices = [i for i, section in enumerate(form) if _same_section(section.name, ref.name)]
    if ref.which == "all" or not indices:
        return indices
    if ref.which == "first":
        return indices[:1]
    if ref.which == "last":
        return indices[-1:]
    return indices[ref.which - 1:ref.which]


def _describe(ref: SectionRef) -> str:
    if isinstance(ref.which, int):
        return f"{ref.name} number {ref.which}"
    return {"all": "", "first": "first ", "last": "last "}[ref.which] + ref.name


def apply_changes(changes: Sequence[SectionChange], form: list[FormSection], home: Key,
                  tempo: int, *, default_form: bool, notes: Notes) -> list[FormSection]:
    """`form` with each change's key or tempo on the sections it names."""
    if not changes:
        return form
    sections = list(form)
    for change in changes:
        indices = _chosen(sections, change.section)
        if not indices and default_form:
            sections = with_section(sections, change.section.name)
            indices = _chosen(sections, change.section)
        if not indices:
            notes.warn(f"'{change.words}': the form has no {_describe(change.section)}, so "
                       "this change is left out")
            continue
        update: dict[str, object] = {}
        if change.key is not None:
            key = key_of(change.key, home, notes, change.words)
            if key is not None:
                update["key"] = key
        if change.tempo is not None:
            update["tempo"] = change.tempo
        elif change.tempo_factor is not None:
            update["tempo"] = min(max(round_half_up(tempo * change.tempo_factor), MIN_TEMPO),
                                  MAX_TEMPO)
        if change.section.which == "last":
            indices += _ending_after(sections, indices[-1])
        for index in indices:
            sections[index] = sections[index].model_copy(update=update)
    # A section in the home key or tempo is not a change.
    sections = [s.model_copy(update={"key": None if s.key == home else s.key,
                                     "tempo": None if s.tempo == tempo else s.tempo})
                for s in sections]
    sections = _within_key_limit(sections, notes)
    notes.understood["section changes"] = "; ".join(change.words for change in changes)
    return sections


def _within_key_limit(sections: list[FormSection], notes: Notes) -> list[FormSection]:
    """The first `MAX_SECTION_KEYS` keys the sections name; later sections in any other
    key stay in the home key, with a warning (each key is a whole re-composition)."""
    kept: set[tuple[str, Mode]] = set()
    dropped: list[str] = []
    for index, section in enumerate(sections):
        if section.key is None:
            continue
        key = (section.key.tonic, section.key.mode)
        if key in kept or len(kept) < MAX_SECTION_KEYS:
            kept.add(key)
            continue
        dropped.append(f"{section.name} ({section.key.tonic} {section.key.mode.value})")
        sections[index] = section.model_copy(update={"key": None})
    if dropped:
        notes.warn(f"a piece changes into at most {MAX_SECTION_KEYS} keys; these sections "
                   f"stay in the home key: {', '.join(dropped)}")
    return sections


def _ending_after(sections: Sequence[FormSection], index: int) -> list[int]:
    """The outro or coda right after section `index`: a lifted last chorus carries on
    through it, as a band keeps playing in the new key."""
    after = index + 1
    ending = []
    while after < len(sections) and sections[after].name.lower() in FRAME_END:
        ending.append(after)
        after += 1
    return ending


def home_key_from_changes(changes: Sequence[SectionChange], form: Sequence[FormSection],
                          home: Key) -> Key:
    """With no global key named, a key the brief gives the first section after any intro
    ("verse in A minor, chorus in C major") is the home key."""
    body = [i for i, section in enumerate(form) if section.name.lower() not in FRAME_START]
    if not body:
        return home
    for change in changes:
        target = change.key
        if target is not None and target.relation == "key" and target.tonic is not None \
                and body[0] in _chosen(form, change.section):
            return conventional_key(pitch_class_of_name(target.tonic), target.mode or home.mode)
    return home
