"""The parsed brief: what to compose (`Brief`), the fields a request sets explicitly
(`BriefOverrides`), and the limits both keep."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ariaforge.composer.instruments import STYLE_WORD_ENSEMBLES
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.vocabulary import STYLE_PROFILES, Mood, Style, phrase_key
from ariaforge.music.score import MAX_SECTION_KEYS, Key, Label, Meter, Mode, Role
from ariaforge.music.theory.pitch import join_name, split_name

__all__ = ["MAX_BRIEF_BARS", "MAX_BRIEF_CHARS", "MAX_INSTRUMENTS", "MAX_SECTIONS", "MAX_SEED",
           "MAX_TEMPO", "MIN_TEMPO", "Brief", "BriefOverrides", "FormSection", "Instrument",
           "quarters_per_bar"]

MAX_BRIEF_CHARS: Final = 2000
MIN_TEMPO: Final = 30
MAX_TEMPO: Final = 300
MAX_BRIEF_BARS: Final = 512
MAX_INSTRUMENTS: Final = 16
MAX_SECTIONS: Final = 64
MAX_SEED: Final = 2**32 - 1  # numpy and most generators take 32-bit seeds


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Instrument(_Model):
    role: Role
    program: int = Field(ge=0, le=127, description="General MIDI program (ignored for drums)")
    name: Label = Field(min_length=1, max_length=100)
    is_drum: bool = False

    @model_validator(mode="after")
    def _drums_play_drums(self) -> Instrument:
        if self.is_drum != (self.role is Role.DRUMS):
            raise ValueError("a drum kit plays the drums role, and only a drum kit does")
        if self.role is Role.AUDIO:
            raise ValueError("the audio role is for tracks of samples, not instruments")
        return self


class FormSection(_Model):
    """A section of the form; `key` and `tempo` are set where the brief changes them for
    this section ("modulates to the relative major for the chorus"), else the brief's."""

    name: Label = Field(min_length=1, max_length=64)
    bars: int = Field(ge=1, le=MAX_BRIEF_BARS)
    key: Key | None = None
    tempo: int | None = Field(default=None, ge=MIN_TEMPO, le=MAX_TEMPO)


class Brief(_Model):
    """What to compose. `tempo` is in quarter notes per minute, like `Score.tempo`."""

    style: Style = Style.POP
    mood: Mood = Mood.NEUTRAL
    key: Key = Field(default_factory=Key)
    tempo: int = Field(default=110, ge=MIN_TEMPO, le=MAX_TEMPO)
    meter: Meter = Field(default_factory=Meter)
    bars: int = Field(default=40, ge=1, le=MAX_BRIEF_BARS)
    form: list[FormSection] = Field(default_factory=list, max_length=MAX_BRIEF_BARS)
    instruments: list[Instrument] = Field(default_factory=list, max_length=MAX_INSTRUMENTS)
    energy: float = Field(default=0.6, ge=0, le=1)
    swing: bool = False
    simple: bool = False  # a learner's melody: small range, steps, plain rhythm
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    warnings: list[str] = Field(default_factory=list)
    understood: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _form_fills_the_piece(self) -> Brief:
        total = sum(section.bars for section in self.form)
        if self.form and total != self.bars:
            raise ValueError(f"the form's sections add up to {total} bars, not {self.bars}")
        # Each key costs a whole re-composition (see MAX_SECTION_KEYS).
        keys = {(s.key.tonic, s.key.mode) for s in self.form
                if s.key is not None and s.key != self.key}
        if len(keys) > MAX_SECTION_KEYS:
            raise ValueError(f"the form's sections use at most {MAX_SECTION_KEYS} keys "
                             f"besides the piece's own (got {len(keys)})")
        return self

    @property
    def validation_style(self) -> str:
        """The `ariaforge.music.validation` style that judges music in this style."""
        return STYLE_PROFILES[self.style].validation_style

    @property
    def duration_seconds(self) -> float:
        return float(self.bars * quarters_per_bar(self.meter) * 60 / self.tempo)


InstrumentName = Annotated[str, Field(min_length=1, max_length=100)]


class BriefOverrides(_Model):
    """Fields a request sets explicitly; each one wins over what the text says."""

    style: Style | None = None
    mood: Mood | None = None
    tonic: str | None = Field(default=None, max_length=8)
    mode: Mode | None = None
    tempo: int | None = Field(default=None, ge=MIN_TEMPO, le=MAX_TEMPO)
    meter: Meter | None = None
    bars: int | None = Field(default=None, ge=1, le=MAX_BRIEF_BARS)
    instruments: list[InstrumentName | Instrument] | None = Field(
        default=None, min_length=1, max_length=MAX_INSTRUMENTS)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)

    @field_validator("tonic")
    @classmethod
    def _spelled(cls, value: str | None) -> str | None:
        if value is None:
            return None
        letter, alter = split_name(value)  # "f#", "B♭" and "Bb" all become ASCII names
        return join_name(letter, alter)

    @field_validator("instruments")
    @classmethod
    def _known(cls, value: list[str | Instrument] | None) -> list[str | Instrument] | None:
        for item in value or []:
            if (isinstance(item, str) and lookup_instrument(item) is None
                    and phrase_key(item) not in STYLE_WORD_ENSEMBLES):  # "big band"
                raise ValueError(f"unknown instrument {item[:40]!r}")
        return value


def quarters_per_bar(meter: Meter) -> Fraction:
    return Fraction(meter.numerator * 4, meter.denominator)
