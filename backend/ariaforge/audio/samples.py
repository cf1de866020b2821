"""Audio tracks: library samples placed in time (`Track.clips`), made ready for the mix.

Each clip's sample is decoded by FFmpeg to stereo float32 at the render rate (each distinct
sample once per render), time-stretched when the clip asks for it, and placed at the
clip's start in seconds on the score's tempo map, relative to the rendered span's start
(the synth's own rule: `round((seconds_at(tick) - seconds_at(start_tick)) * rate)`), so a
clip and a note at one tick start on the same frame. The clip's `gain_db` is applied as
the clip is mixed into its track's stem; the stem then goes through the track's trim,
effects, fader and pan like any synth stem (`mix`).

Stretch: with `stretch` and a sample tempo, the sample is played at the score's tempo at
the clip's start: `stretch_factor = score bpm / sample bpm` (pedalboard's `time_stretch`,
Rubber Band: a factor of 1.2 makes the sample 1/1.2 as long, at the same pitch). Factors
outside `STRETCH_RANGE` (where a phase vocoder smears beyond use) and a stretch that
fails fall back to resampling, which changes the pitch with the speed (a turntable). A
clip without `stretch`, or a sample without a tempo, plays as recorded.

A clip plays to the end of its sample; what rings past the piece's last bar is kept up
to the render's release tail (`tail_seconds`) and cut there, as a synth note's release is.

Pure: takes file paths and returns arrays (the worker fetches the files from storage).
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ariaforge.audio.encode import decode
from ariaforge.audio.errors import BadInputError, RenderError
from ariaforge.audio.loudness.gain import Audio, db_to_gain
from ariaforge.music.score import Score

STRETCH_RANGE = (0.25, 4.0)


class SampleMissingError(BadInputError):
    """A clip names a sample the render was not given (deleted, or no longer shared)."""


@dataclass(frozen=True)
class SampleSource:
    """A sample's file (any format FFmpeg reads) and its tempo, when it has one."""

    path: Path
    bpm: float | None = None


@dataclass(frozen=True)
class PlacedClip:
    """A clip's audio at the render rate from frame `offset` of the span, and its gain."""

    offset: int
    audio: Audio
    gain: float

    @property
    def end(self) -> int:
        return self.offset + len(self.audio)


def stretch(audio: Audio, sample_rate: int, factor: float) -> Audio:
    """`audio` played `factor` times as fast (length / factor); pitch kept when the
    factor is within `STRETCH_RANGE`, else by resampling (see the module notes)."""
    if factor <= 0 or not math.isfinite(factor):
        raise BadInputError(f"invalid stretch factor {factor}")
    if abs(factor - 1.0) < 1e-6 or len(audio) == 0:
        return audio
    if STRETCH_RANGE[0] <= factor <= STRETCH_RANGE[1]:
        try:
            import pedalboard  # the audio stack: loaded only where audio is made

            out = pedalboard.time_stretch(np.ascontiguousarray(audio.T), float(sample_rate),
                                          stretch_factor=float(factor))
            result: Audio = np.ascontiguousarray(np.asarray(out, dtype=np.float32).T)
            return result
        except (RuntimeError, ValueError):
            pass  # resampled below
    return _varispeed(audio, factor)


def _varispeed(audio: Audio, factor: float) -> Audio:
    frames = max(1, round(len(audio) / factor))
    positions = np.arange(frames, dtype=np.float64) * factor
    source = np.arange(len(audio), dtype=np.float64)
    out = np.stack([np.interp(positions, source, audio[:, channel]) for channel in (0, 1)],
                   axis=1)
    result: Audio = np.ascontiguousarray(out, dtype=np.float32)
    return result


def audio_track_ids(score: Score) -> list[str]:
    return [track.id for track in score.tracks if track.is_audio]


def sample_ids(score: Score) -> set[str]:
    """Every sample the score's clips name."""
    return {clip.sample_id for track in score.tracks for clip in track.clips}


def place_clips(score: Score, sources: Mapping[str, SampleSource], sample_rate: int, *,
                start_tick: int = 0, track_ids: Collection[str] | None = None,
                ffmpeg_binary: str | os.PathLike[str] | None = None,
                ) -> dict[str, list[PlacedClip]]:
    """The placed clips of each audio track (those in `track_ids`, default all), keyed by
    track id. Clips that end before `start_tick` are left out; one that starts before it
    begins part-way through. SampleMissingError when a source is missing."""
    wanted = None if track_ids is None else set(track_ids)
    origin = score.seconds_at(start_tick)
    decoded: dict[str, Audio] = {}
    stretched: dict[tuple[str, float], Audio] = {}
    placed: dict[str, list[PlacedClip]] = {}
    for track in score.tracks:
        if not track.is_audio or (wanted is not None and track.id not in wanted):
            continue
        clips = placed.setdefault(track.id, [])
        for clip in sorted(track.clips, key=lambda c: (c.start, c.id)):
            source = sources.get(clip.sample_id)
            if source is None:
                raise SampleMissingError(f"sample {clip.sample_id} is not available "
                                         "to this render")
            if clip.sample_id not in decoded:
                try:
                    decoded[clip.sample_id] = decode(source.path, sample_rate,
                                                     ffmpeg_binary=ffmpeg_binary)
                except RenderError as error:
                    raise BadInputError(f"sample {clip.sample_id} cannot be decoded: "
                                        f"{error}") from error
            audio = decoded[clip.sample_id]
            if clip.stretch and source.bpm:
                factor = round(score.tempo_at(clip.start) / source.bpm, 6)
                key = (clip.sample_id, factor)
                if key not in stretched:
                    stretched[key] = stretch(audio, sample_rate, factor)
                audio = stretched[key]
            offset = round((score.seconds_at(clip.start) - origin) * sample_rate)
            if offset < 0:
                audio = audio[-offset:]
                offset = 0
            if len(audio):
                clips.append(PlacedClip(offset, audio, db_to_gain(clip.gain_db)))
    return placed


def mix_clips(clips: list[PlacedClip], out: Audio, begin: int) -> None:
    """Add the clips' frames [begin, begin + len(out)) into `out`, each at its gain."""
    end = begin + len(out)
    for clip in clips:
        lo, hi = max(clip.offset, begin), min(clip.end, end)
        if hi > lo:
            part = clip.audio[lo - clip.offset:hi - clip.offset]
            out[lo - begin:hi - begin] += part * np.float32(clip.gain)
