"""Request and response bodies of the sound library API (every limit is in the schema)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from ariaforge.audio.options import TrackMix  # pydantic only: the audio stack stays unloaded
from ariaforge.core.schemas import StrictModel

PresetCategory = Literal["piano", "keys", "organ", "guitar", "bass", "strings", "brass",
                         "woodwinds", "synth", "pad", "lead", "drums", "percussion", "fx",
                         "vocals", "other"]
SampleCategory = Literal["drums", "percussion", "bass", "keys", "guitar", "strings", "brass",
                         "woodwinds", "synth", "pad", "lead", "vocals", "fx", "other"]
SampleFormat = Literal["wav", "flac", "mp3", "ogg"]
KEY_PATTERN = r"^[A-G](#|b)? (major|minor)$"
TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _.+#&-]{0,39}$"
_TAG = r"[A-Za-z0-9][A-Za-z0-9 _.+#&-]{0,39}"
TAGS_PATTERN = rf"^ *({_TAG} *(, *{_TAG} *){{0,15}})?$"  # the upload form's comma list
NAME_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"
OPTIONAL_NAME_PATTERN = r"^([^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*)?$"
# Multipart form fields are strings; empty means "not given" (a form has no null).
FORM_KEY_PATTERN = r"^([A-G](#|b)? (major|minor))?$"
FORM_BPM_PATTERN = r"^((?:[2-9][0-9]|[12][0-9][0-9])(?:\.[0-9]{1,2})?|300(?:\.0{1,2})?)?$"
MIN_BPM, MAX_BPM = 20.0, 300.0
MAX_TAGS = 16
MAX_SHARED_PROJECTS = 32

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NAME_PATTERN)]
KeyName = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=8)]
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)]
Bpm = Annotated[float, Field(ge=MIN_BPM, le=MAX_BPM, allow_inf_nan=False)]

# One spelling per pitch class, as detection writes them.
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_PITCH = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def normalise_key(key: str) -> str:
    """"Db major" -> "C# major": the detector's spelling, so filters compare equal."""
    match = re.fullmatch(KEY_PATTERN, key)
    if match is None:
        raise ValueError("a key is a tonic and a mode, e.g. 'A minor' or 'F# major'")
    pitch = _PITCH[key[0]] + {"#": 1, "b": -1, None: 0}[match.group(1)]
    return f"{PITCH_NAMES[pitch % 12]} {match.group(2)}"


def relative_key(key: str) -> str:
    tonic, mode = key.split(" ")
    pitch = PITCH_NAMES.index(tonic)
    if mode == "major":
        return f"{PITCH_NAMES[(pitch + 9) % 12]} minor"
    return f"{PITCH_NAMES[(pitch + 3) % 12]} major"


class PresetMix(StrictModel):
    """A track's mix defaults when the preset is applied (score volume and pan)."""

    volume: int = Field(default=100, ge=0, le=127)
    pan: int = Field(default=0, ge=-64, le=63)


class PresetCreate(StrictModel):
    """A preset of one's own: a General MIDI program (`soundfont_id` null) or a preset of
    one of one's uploaded SoundFonts (`soundfont_id`, `bank`, `preset` as it lists them)."""

    name: Name
    category: PresetCategory = "other"
    program: int = Field(default=0, ge=0, le=127, description="GM program (0-based)")
    is_drum: bool = False
    soundfont_id: uuid.UUID | None = None
    bank: int = Field(default=0, ge=0, le=16383)
    preset: int = Field(default=0, ge=0, le=127)
    effects: TrackMix = Field(default_factory=TrackMix,
                              description="trim and effects chain, as a track's mix")
    mix: PresetMix = Field(default_factory=PresetMix)


class PresetOut(BaseModel):
    id: uuid.UUID
    name: str
    category: str
    source: Literal["gm", "soundfont"]
    shipped: bool
    program: int
    is_drum: bool
    soundfont_id: uuid.UUID | None
    bank: int
    preset: int
    effects: TrackMix
    mix: PresetMix
    created_at: datetime


class PresetList(BaseModel):
    items: list[PresetOut]


class SoundFontPresetOut(BaseModel):
    bank: int
    preset: int
    name: str


class SoundFontOut(BaseModel):
    id: uuid.UUID
    name: str
    size_bytes: int
    presets: list[SoundFontPresetOut]
    created_at: datetime


class SoundFontList(BaseModel):
    items: list[SoundFontOut]


class DetectedOut(BaseModel):
    """What the upload measured (kept when bpm/key are edited)."""

    bpm: float | None = None
    bpm_confidence: float = 0.0
    key: str | None = None
    key_confidence: float = 0.0


class SampleOut(BaseModel):
    id: uuid.UUID
    name: str
    category: str
    bpm: float | None
    key: str | None
    tags: list[str]
    format: SampleFormat
    size_bytes: int
    duration_s: float
    sample_rate: int
    channels: int
    detected: DetectedOut
    owned: bool
    shared_with: list[uuid.UUID] = Field(
        description="projects it is shared with (listed for its owner only)")
    audio_url: str
    created_at: datetime


class SamplePage(BaseModel):
    items: list[SampleOut]
    total: int


class SamplePatch(StrictModel):
    """Fields to change (absent or null: unchanged), except `bpm`/`key`, which null
    clears; `project_ids` is the complete set
    of projects the sample is shared with (the caller must be an owner or editor of each
    project it adds)."""

    name: Name | None = None
    category: SampleCategory | None = None
    bpm: Bpm | None = None
    key: KeyName | None = None
    tags: list[Tag] | None = Field(default=None, max_length=MAX_TAGS)
    project_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_SHARED_PROJECTS)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        return None if value is None else normalise_key(value)


class UploadOut(BaseModel):
    kind: Literal["sample", "soundfont"]
    sample: SampleOut | None = None
    soundfont: SoundFontOut | None = None
