"""What a composition session asks for: a new piece, or an operation on an existing score
(regenerate or vary one section, continue by N bars, reharmonize, change style keeping the
melody, write one track's part), and the pure helpers those operations share.

What each operation does with the score's chord track (`Score.chord_symbols`, which the
user may have edited):

- compose: writes a new piece and a new chord track.
- regenerate: keeps the chord track outside the section and writes new chords inside it
  (that is what regenerating a section means); melody and accompaniment follow them. With
  `keep_chords` it keeps the section's chords too and writes only new melody and
  accompaniment over them.
- variation: keeps the whole chord track; the varied melody and the section's
  accompaniment are written over it.
- continue: keeps the chord track; new chords only for the added bars.
- reharmonize, restyle: write a new chord track (new chords are the point of both).
- part: keeps the chord track (and everything else); one track's part is written over it
  (`composer.parts`). A score with no chord track gets one chosen for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ariaforge.composer.brief import (
    MAX_BRIEF_BARS,
    MAX_BRIEF_CHARS,
    MAX_SEED,
    Brief,
    BriefOverrides,
    FormSection,
    Instrument,
    parse_brief,
)
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.plan import ChordEvent, rng_for
from ariaforge.composer.vocabulary import Mood, Style
from ariaforge.music.score import ID_PATTERN, Meter, Mode, Note, Role, Score
from ariaforge.music.theory.pitch import join_name, split_name
from ariaforge.text import SPACE, BriefText, any_case

__all__ = ["MAX_CONTINUE_BARS", "ComposeRequest", "Operation", "OperationError",
           "brief_for", "section_index", "splice_chords", "splice_notes"]

MAX_CONTINUE_BARS: Final = 64


class Operation(StrEnum):
    COMPOSE = "compose"
    REGENERATE = "regenerate"  # new harmony, melody and accompaniment for one section
    VARIATION = "variation"  # the same section, varied: rhythm and contour kept
    CONTINUE = "continue"  # N more bars after the end
    REHARMONIZE = "reharmonize"  # new chords under the same melody
    RESTYLE = "restyle"  # another style, the melody kept
    PART = "part"  # one track's part written afresh over the score's own chords


ON_EXISTING: Final = frozenset(Operation) - {Operation.COMPOSE}
NEEDS_MELODY: Final = frozenset({Operation.VARIATION, Operation.REHARMONIZE, Operation.RESTYLE})
# Operations that may start from a score with no notes (chords typed, tracks added).
ON_EMPTY: Final = frozenset({Operation.COMPOSE, Operation.PART})


class OperationError(ValueError):
    """The operation cannot apply to this score (no melody, no such section)."""


# "D minor", "F#", "Bbm", "E dorian": a letter, an accidental (lower-case b: "EB" is no
# key) and a mode word in any case. Spelled without flags and with the spaces that
# str.strip() knows, so that the schema's pattern and the check are the same.
_MODE_WORDS = dict.fromkeys(("minor", "major", "min", "maj", "m", *(m.value for m in Mode)))
KEY_PATTERN: Final = (rf"^{SPACE}*([A-Ga-g]){SPACE}*([#b\u266f\u266d]?){SPACE}*"
                      rf"({'|'.join(any_case(word) for word in _MODE_WORDS)})?{SPACE}*$")
_KEY_TEXT = re.compile(KEY_PATTERN)


def _known_instrument(name: str) -> str:
    if lookup_instrument(name) is None:
        # Typed, like a password-policy refusal: which names exist is the vocabulary's
        # knowledge (any case, punctuation, plurals), not a pattern a schema can state.
        raise PydanticCustomError("unknown_instrument", "unknown instrument '{name}'",
                                  {"name": name[:40]})
    return name


RequestedInstrument = Annotated[str, Field(
    min_length=1, max_length=100,
    description='an instrument as people name it, in any case or number: "piano", '
                '"Violins", "upright bass", "drum kit", "808"; an unknown one answers 422 '
                '(type `unknown_instrument`)'),
    AfterValidator(_known_instrument)]


def _instrument_schema() -> dict[str, Any]:
    """`Instrument`, with its rule that a drum kit, and only a drum kit, plays the drums
    role stated as two alternatives, so that the schema admits only what it accepts."""
    schema = Instrument.model_json_schema()
    roles = [role.value for role in Role if role is not Role.AUDIO]
    schema["properties"]["role"] = {"enum": roles, "type": "string"}
    schema.pop("title", None)
    schema.pop("$defs", None)  # Role, inlined above
    schema["oneOf"] = [
        {"properties": {"role": {"const": Role.DRUMS.value}, "is_drum": {"const": True}},
         "required": ["is_drum"]},
        {"properties": {"role": {"enum": [r for r in roles if r != Role.DRUMS.value]},
                        "is_drum": {"const": False}}},
    ]
    return schema


def _instrument_kind(value: Any) -> str:
    return "name" if isinstance(value, str) else "spec"


# A name from the vocabulary, or an instrument spelled out. Tagged, so that an error
# names the one alternative the value was meant as (loc [..., index, "name" | "spec"]).
RequestedInstrumentItem = Annotated[
    Annotated[RequestedInstrument, Tag("name")]
    | Annotated[Instrument, Tag("spec"), WithJsonSchema(_instrument_schema())],
    Discriminator(_instrument_kind)]


class ComposeRequest(BaseModel):
    """A session's request. Explicit fields win over what the prompt says."""

    model_config = ConfigDict(extra="forbid")

    prompt: BriefText = Field(default="", description=f"at most {MAX_BRIEF_CHARS} characters")
    operation: Operation = Operation.COMPOSE
    style: Style | None = None
    mood: Mood | None = None
    key: str | None = Field(default=None, max_length=24, pattern=KEY_PATTERN,
                            description='"D minor", "F#", "Bbm", "E dorian"')
    mode: Mode | None = None
    tempo: int | None = Field(default=None, ge=30, le=300)
    meter: Meter | None = None
    bars: int | None = Field(default=None, ge=1, le=MAX_BRIEF_BARS)
    instruments: list[RequestedInstrumentItem] | None = Field(
        default=None, min_length=1, max_length=16)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    section: int | None = Field(default=None, ge=0, le=511,
                                description="regenerate/variation: the section's index")
    extra_bars: int | None = Field(default=None, ge=1, le=MAX_CONTINUE_BARS,
                                   description="continue: how many bars to add")
    amount: float = Field(default=0.35, ge=0.05, le=1.0,
                          description="variation: the share of pitches that change")
    keep_chords: bool = Field(default=False,
                              description="regenerate: keep the section's chords (the chord "
                                          "track as edited) and write a new melody and "
                                          "accompaniment over them")
    track_id: str | None = Field(default=None, max_length=64, pattern=ID_PATTERN,
                                 description="part: the track to write a part for "
                                             "(required by part, refused by the others)")

    def tonic_and_mode(self) -> tuple[str | None, Mode | None]:
        if self.key is None:
            return None, self.mode
        match = _KEY_TEXT.match(self.key)
        assert match is not None  # checked by the field's pattern
        letter, accidental, mode_text = match.groups()
        tonic = join_name(*split_name(letter.upper() + accidental))
        mode = self.mode
        if mode is None and mode_text:
            word = mode_text.lower()
            mode = Mode.MINOR if word in ("m", "min", "minor") else \
                Mode.MAJOR if word in ("maj", "major") else Mode(word)
        return tonic, mode

    def overrides(self) -> BriefOverrides:
        tonic, mode = self.tonic_and_mode()
        return BriefOverrides(style=self.style, mood=self.mood, tonic=tonic, mode=mode,
                              tempo=self.tempo, meter=self.meter, bars=self.bars,
                              instruments=self.instruments, seed=self.seed)


def brief_for(request: ComposeRequest, base: Score | None, previous: Brief | None) -> Brief:
    """The brief a run works to. A new piece reads the prompt; an operation starts from the
    brief that made the score (or one read off the score) and applies the request to it."""
    if request.operation is Operation.COMPOSE or base is None:
        return parse_brief(request.prompt, request.overrides())
    brief = _brief_of_score(base, previous)
    changes: dict[str, object] = {"seed": _operation_seed(request, brief, base)}
    if request.operation is Operation.PART and request.style is not None:
        # A part in another style ("a bossa bass") without restyling the piece.
        changes["style"] = request.style
        changes["swing"] = parse_brief("", BriefOverrides(style=request.style)).swing
    if request.operation is Operation.RESTYLE:
        if request.style is None:
            raise OperationError("say which style to change to")
        changes["style"] = request.style
        changes["swing"] = parse_brief("", BriefOverrides(style=request.style)).swing
    if request.tempo is not None:
        changes["tempo"] = request.tempo
    if request.operation is Operation.CONTINUE:
        extra = request.extra_bars or 8
        if brief.bars + extra > MAX_BRIEF_BARS:
            raise OperationError(f"a piece is at most {MAX_BRIEF_BARS} bars")
        changes["bars"] = brief.bars + extra
        changes["form"] = [*brief.form, FormSection(name="continuation", bars=extra)]
    return Brief.model_validate(brief.model_dump() | changes)


def _operation_seed(request: ComposeRequest, brief: Brief, base: Score) -> int:
    if request.seed is not None:
        return request.seed
    # Deterministic: the same operation on the same score gives the same music.
    fingerprint = sum(note.pitch * 31 + note.start for _, note in base.all_notes())
    # A part's seed also names its track (two tracks regenerated from one score differ).
    track = (request.track_id,) if request.track_id is not None else ()
    rng = rng_for(brief.seed, request.operation.value, request.section, fingerprint, *track)
    return rng.randrange(MAX_SEED + 1)


def _brief_of_score(score: Score, previous: Brief | None) -> Brief:
    # Sections keep their own key and tempo (a modulated chorus, a faster outro). A form
    # is a row of sections, so only sections that tile bars 1..bars in order (after
    # sorting by start) become one; anything else (gaps, overlaps, nesting) would put
    # keys and tempi on the wrong bars, and the piece is read as one section instead.
    ordered = sorted(score.sections, key=lambda s: s.start_bar)
    bounds = [1, *(s.end_bar for s in ordered)]
    if ordered and [s.start_bar for s in ordered] == bounds[:-1] \
            and bounds[-1] == score.bars + 1:
        form = [FormSection(name=s.name, bars=s.bars, key=s.key, tempo=max(30, min(300, round(
            score.tempo_at(score.bar_start(s.start_bar)))))) for s in ordered]
    else:
        form = [FormSection(name="A", bars=score.bars)]
    instruments = [Instrument(role=Role.DRUMS if t.is_drum else
                              (t.role if t.role is not Role.DRUMS else Role.OTHER),
                              program=t.program, name=t.name, is_drum=t.is_drum)
                   for t in score.tracks]
    values: dict[str, object] = {
        "key": score.key, "meter": score.meter, "tempo": max(30, min(300, round(score.tempo))),
        "bars": score.bars, "form": form, "warnings": [], "understood": {}}
    if instruments:
        values["instruments"] = instruments
    start = previous if previous is not None else Brief()
    return Brief.model_validate(start.model_dump() | values)


def section_index(request: ComposeRequest, brief: Brief) -> int:
    """The section a regenerate or variation names; the last one when none is named."""
    count = len(brief.form) or 1
    index = count - 1 if request.section is None else request.section
    if index >= count:
        raise OperationError(f"the score has {count} sections (0 to {count - 1})")
    return index


def splice_notes(base: Sequence[Note], new: Sequence[Note], start: int, end: int) -> list[Note]:
    """`base` outside [start, end) and `new` inside it. A base note running into the span is
    shortened to end at `start`; a new note running past `end` is shortened to end there."""
    kept = []
    for note in base:
        if note.start >= start and note.start < end:
            continue
        if note.start < start < note.end:
            note = note.model_copy(update={"duration": start - note.start})
        kept.append(note)
    for note in new:
        if start <= note.start < end:
            if note.end > end:
                note = note.model_copy(update={"duration": end - note.start})
            kept.append(note)
    return sorted(kept, key=lambda n: (n.start, n.pitch))


def splice_chords(base: Sequence[ChordEvent], new: Sequence[ChordEvent], start: int,
                  end: int) -> list[ChordEvent]:
    """Chords of `base` outside [start, end), of `new` inside; both cut at the span."""
    out: list[ChordEvent] = []
    for chord in base:
        if chord.end <= start or chord.start >= end:
            out.append(chord)
            continue
        if chord.start < start:  # the part before the span
            out.append(ChordEvent(chord.start, start - chord.start, chord.chord, chord.roman))
        if chord.end > end:  # and the part after it
            out.append(ChordEvent(end, chord.end - end, chord.chord, chord.roman))
    for chord in new:
        lo, hi = max(chord.start, start), min(chord.end, end)
        if hi > lo:
            out.append(ChordEvent(lo, hi - lo, chord.chord, chord.roman))
    return sorted(out, key=lambda c: c.start)


def melody_track_index(score: Score) -> int | None:
    for index, track in enumerate(score.tracks):
        if track.role is Role.MELODY and track.notes:
            return index
    return None
