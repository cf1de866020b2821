"""What a render is asked for: the options, the mix settings and the span of the score.

Light on purpose (pydantic and the score model only): the API validates requests, stores
them and estimates their cost with these types without loading the audio stack (numpy,
SciPy, pedalboard, the SoundFont synth), which only the worker and the offline CLI need.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ariaforge.music.score import ID_PATTERN, Score, Track

AudioFormat = Literal["wav", "mp3", "flac", "ogg", "opus"]
Quality = Literal["low", "medium", "high", "best"]
DEFAULT_TAIL_SECONDS = 2.0
MAX_EFFECTS = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


# --- mix settings -------------------------------------------------------------------


class EqEffect(_Strict):
    """Low shelf + high shelf, and a peak band when `peak_hz` is set. Frequencies above
    0.45 x the sample rate are lowered to it."""

    type: Literal["eq"] = "eq"
    low_shelf_hz: float = Field(default=100.0, ge=20.0, le=2000.0)
    low_shelf_gain_db: float = Field(default=0.0, ge=-24.0, le=24.0)
    high_shelf_hz: float = Field(default=8000.0, ge=1000.0, le=20000.0)
    high_shelf_gain_db: float = Field(default=0.0, ge=-24.0, le=24.0)
    peak_hz: float | None = Field(default=None, ge=20.0, le=20000.0)
    peak_gain_db: float = Field(default=0.0, ge=-24.0, le=24.0)
    peak_q: float = Field(default=1.0, ge=0.1, le=18.0)


class CompressorEffect(_Strict):
    type: Literal["compressor"] = "compressor"
    threshold_db: float = Field(default=-18.0, ge=-60.0, le=0.0)
    ratio: float = Field(default=4.0, ge=1.0, le=20.0)
    attack_ms: float = Field(default=10.0, ge=0.1, le=500.0)
    release_ms: float = Field(default=100.0, ge=1.0, le=5000.0)
    makeup_gain_db: float = Field(default=0.0, ge=0.0, le=24.0)


class ReverbEffect(_Strict):
    type: Literal["reverb"] = "reverb"
    room_size: float = Field(default=0.5, ge=0.0, le=1.0)
    damping: float = Field(default=0.5, ge=0.0, le=1.0)
    wet_level: float = Field(default=0.25, ge=0.0, le=1.0)
    dry_level: float = Field(default=1.0, ge=0.0, le=1.0, description="1.0 = unity")
    width: float = Field(default=1.0, ge=0.0, le=1.0)


Effect = Annotated[EqEffect | CompressorEffect | ReverbEffect, Field(discriminator="type")]


class TrackMix(_Strict):
    gain_db: float = Field(default=0.0, ge=-60.0, le=12.0, description="trim before effects")
    fx: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)


class MasterSettings(_Strict):
    gain_db: float = Field(default=0.0, ge=-24.0, le=12.0)
    limiter: bool = True
    ceiling_dbtp: float = Field(default=-1.0, ge=-6.0, le=-0.1)


class MixSettings(_Strict):
    """The mix of one score. `tracks` is keyed by track id; tracks without an entry get
    `TrackMix()` (no trim, no effects)."""

    master: MasterSettings = Field(default_factory=MasterSettings)
    tracks: dict[Annotated[str, Field(pattern=ID_PATTERN)], TrackMix] = Field(
        default_factory=dict)

    @model_validator(mode="after")
    def _bounded(self) -> MixSettings:
        if len(self.tracks) > 64:
            raise ValueError("at most 64 tracks")
        return self


def audible_tracks(score: Score) -> list[Track]:
    """Tracks that are heard under the mute/solo rules."""
    soloed = any(track.solo for track in score.tracks)
    return [t for t in score.tracks if not t.mute and (t.solo or not soloed)]


def streamable(score: Score, settings: MixSettings) -> bool:
    """Whether `mix.StemMixer` can mix this score: no heard track has effects."""
    return not any(settings.tracks.get(t.id, TrackMix()).fx for t in audible_tracks(score))


# --- render options -----------------------------------------------------------------


class RenderOptions(BaseModel):
    """What to render. Bars are 1-based and inclusive: start_bar=3, end_bar=4 renders
    bars 3 and 4 (plus the release tail). `target_lufs=None` skips loudness
    normalisation (the master gain and limiter still apply)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    format: AudioFormat = "wav"
    sample_rate: Literal[44100, 48000] = 44100
    bit_depth: Literal[16, 24] = 16
    quality: Quality = "high"
    target_lufs: float | None = Field(default=-14.0, ge=-36.0, le=-6.0)
    include_stems: bool = False
    start_bar: int | None = Field(default=None, ge=1)
    end_bar: int | None = Field(default=None, ge=1)
    tail_seconds: float = Field(default=DEFAULT_TAIL_SECONDS, ge=0.0, le=10.0)

    @model_validator(mode="after")
    def _ordered(self) -> RenderOptions:
        if self.start_bar is not None and self.end_bar is not None and (
                self.end_bar < self.start_bar):
            raise ValueError("end_bar must not come before start_bar")
        return self

    @property
    def render_rate(self) -> int:
        return 48000 if self.format == "opus" else self.sample_rate


def score_end_tick(score: Score) -> int:
    """The end of the piece: its last bar or its last note-off, whichever is later."""
    return max([score.end_tick, *(note.end for _, note in score.all_notes())])
