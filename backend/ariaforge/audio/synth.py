"""Score → one stereo float32 stem per track, through a SoundFont (TinySoundFont).

Each track renders on its own synthesizer instance, so stems are independent and a track's
settings never leak into another. Pitched tracks play their General MIDI program (bank 0;
a program the SoundFont lacks falls back to program 0). Drum tracks play on MIDI channel
10 with drum mode forced, so they sound without any program change (their program picks
the GM drum kit, falling back to the standard kit). Overlapping notes of one pitch in a
track go to separate channels, so each keeps its own note-off.

Timing follows the score's tempo map exactly: a tick's frame is
`round((seconds_at(tick) - seconds_at(start_tick)) * sample_rate)`. A stem holds the
span [start_tick, end_tick) ("the body") followed by the release tail: rendering goes on
after the last note-off until the stem is silent (peak below -100 dBFS over a block) or
`tail_seconds` have passed. Every returned stem is then padded with zeros to the longest
one, so all stems have the same length:
`body_frames <= frames <= body_frames + ceil(tail_seconds * sample_rate)`.

`render_stems_stepped` renders all tracks together a step at a time and hands each
finished step to a `StemConsumer` (the pipeline mixes while the synth goes on); the
synth calls, hence the stems, are the same as track after track.

Partial renders: notes sounding at `start_tick` are struck at `start_tick`; notes still
sounding at `end_tick` are released there. Nothing is clipped or limited here: stems are
float with headroom (the synth runs at `SYNTH_GAIN_DB`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ariaforge.audio.errors import BadInputError, BadScoreError
from ariaforge.audio.options import DEFAULT_TAIL_SECONDS, score_end_tick
from ariaforge.audio.samples import PlacedClip, mix_clips
from ariaforge.audio.soundfont import DRUM_BANK, LoadedSoundFont, SoundFontPath, load_soundfont
from ariaforge.music.score import PPQ, Note, Score, Track

Audio = npt.NDArray[np.float32]
SynthProgress = Callable[[float], None]

DRUM_CHANNEL = 9
PITCHED_CHANNELS = tuple(c for c in range(16) if c != DRUM_CHANNEL)
SYNTH_GAIN_DB = -6.0
MAX_TAIL_SECONDS = 30.0
SILENCE_PEAK = 1e-5  # -100 dBFS
TAIL_BLOCK = 1024
SAMPLE_RATES = range(8000, 192_001)

_OFF, _ON = 0, 1


def tick_to_seconds(score: Score) -> Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float64]]:
    """A vectorised `Score.seconds_at`."""
    ticks = [0, *(change.tick for change in score.tempo_changes)]
    bpms = [score.tempo, *(change.bpm for change in score.tempo_changes)]
    starts = [0.0]
    for i in range(1, len(ticks)):
        starts.append(starts[-1] + (ticks[i] - ticks[i - 1]) * 60.0 / (bpms[i - 1] * PPQ))
    tick_arr = np.asarray(ticks, dtype=np.int64)
    start_arr = np.asarray(starts, dtype=np.float64)
    spt_arr = 60.0 / (np.asarray(bpms, dtype=np.float64) * PPQ)

    def convert(values: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        index = np.searchsorted(tick_arr, values, side="right") - 1
        index = np.clip(index, 0, len(tick_arr) - 1)
        result: npt.NDArray[np.float64] = start_arr[index] + (values - tick_arr[index]) * (
            spt_arr[index])
        return result

    return convert


def resolve_span(score: Score, start_tick: int = 0, end_tick: int | None = None) -> tuple[int, int]:
    """[start, end) in ticks, checked; BadScoreError when no note sounds in it."""
    end = score_end_tick(score) if end_tick is None else end_tick
    if start_tick < 0 or end <= start_tick:
        raise BadInputError(f"empty or negative tick range [{start_tick}, {end})")
    clips = any(track.clips for track in score.tracks)
    if not clips and not any(True for _, _ in score.all_notes()):
        raise BadScoreError("the score has no notes to render")
    if not clips and not any(n.start < end and n.end > start_tick for _, n in score.all_notes()):
        raise BadScoreError("no note sounds in the requested range")
    return start_tick, end


def body_frames(score: Score, sample_rate: int, start_tick: int, end_tick: int) -> int:
    """Frames of the span [start_tick, end_tick) without the release tail."""
    seconds = score.seconds_at(end_tick) - score.seconds_at(start_tick)
    return round(seconds * sample_rate)


@dataclass(frozen=True)
class TrackVoice:
    """A track's instrument from a library preset of an uploaded SoundFont: that file's
    `bank`/`preset` replaces the General MIDI program (bank 128 plays as drums)."""

    soundfont_path: SoundFontPath
    bank: int
    preset: int


@dataclass(frozen=True)
class _Voice:
    channel: int
    program: int
    drum: bool
    bank: int = 0


def _layers(notes: list[Note]) -> list[int]:
    """For each note (in start order), the first layer where no earlier note of the same
    pitch still sounds."""
    lanes: dict[int, list[int]] = {}
    layers: list[int] = []
    for note in notes:
        ends = lanes.setdefault(note.pitch, [])
        layer = next((i for i, end in enumerate(ends) if end <= note.start), len(ends))
        if layer == len(ends):
            ends.append(note.end)
        else:
            ends[layer] = note.end
        layers.append(layer)
    return layers


def _channels(track: Track, main: int, layers: int, font: LoadedSoundFont,
              voice: TrackVoice | None = None) -> list[_Voice]:
    """One channel per layer: the track's own first, then the others (at most 16)."""
    if voice is not None and font.has_preset(voice.bank, voice.preset):
        drum = voice.bank == DRUM_BANK
        order = [DRUM_CHANNEL, *PITCHED_CHANNELS] if drum else \
            [main, *(c for c in PITCHED_CHANNELS if c != main), DRUM_CHANNEL]
        return [_Voice(order[i], voice.preset, drum, voice.bank)
                for i in range(min(max(layers, 1), 16))]
    if track.is_drum:
        program = track.program if font.has_preset(DRUM_BANK, track.program) else 0
        order = [DRUM_CHANNEL, *PITCHED_CHANNELS]
    else:
        program = track.program if font.has_preset(0, track.program) else 0
        order = [main, *(c for c in PITCHED_CHANNELS if c != main), DRUM_CHANNEL]
    return [_Voice(order[i], program, track.is_drum, DRUM_BANK if track.is_drum else 0)
            for i in range(min(max(layers, 1), 16))]


def render_track(
    track: Track,
    font: LoadedSoundFont,
    sample_rate: int,
    to_frame: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.int64]],
    *,
    main_channel: int,
    start_tick: int,
    end_tick: int,
    body: int,
    tail_frames: int,
) -> Audio:
    """One track's stem: (frames, 2) float32, `body` frames plus at most `tail_frames`."""
    out, frames = _render_track(track, font, sample_rate, to_frame, main_channel=main_channel,
                                start_tick=start_tick, end_tick=end_tick, body=body,
                                tail_frames=tail_frames)
    return out[:frames]


def _render_track(
    track: Track,
    font: LoadedSoundFont,
    sample_rate: int,
    to_frame: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.int64]],
    *,
    main_channel: int,
    start_tick: int,
    end_tick: int,
    body: int,
    tail_frames: int,
) -> tuple[Audio, int]:
    """`render_track` into a zeroed buffer of `body + tail_frames` frames: (the buffer,
    the frames rendered). Frames past those stay zero, so the buffer's prefix of any
    length is the stem padded with silence."""
    render = _TrackRender(track, font, sample_rate, to_frame, main_channel=main_channel,
                          start_tick=start_tick, end_tick=end_tick, body=body,
                          tail_frames=tail_frames)
    return render.out, render.finish()


class _TrackRender:
    """One track's stem, rendered in steps: `advance(limit)` handles the events up to
    frame `limit` and `finish()` the rest, the body and the release tail. The synth
    calls are the same however the work is stepped (a render call never spans an event
    and is never cut elsewhere), so the stem is too.

    With `keep`, `out` holds the whole stem (zero-padded to `body + tail_frames`).
    Without, it holds only frames from `base` on: `release(frame)` drops what comes
    before, so a streaming caller needs a step's worth of memory per track, not a stem's.
    """

    def __init__(
        self,
        track: Track,
        font: LoadedSoundFont,
        sample_rate: int,
        to_frame: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.int64]],
        *,
        main_channel: int,
        start_tick: int,
        end_tick: int,
        body: int,
        tail_frames: int,
        keep: bool = True,
        window: int = 0,
        voice: TrackVoice | None = None,
    ) -> None:
        notes = [n for n in track.sorted_notes() if n.start < end_tick and n.end > start_tick]
        layers = _layers(notes)
        if voice is not None:
            font = load_soundfont(voice.soundfont_path)
        voices = _channels(track, main_channel, max(layers, default=0) + 1, font, voice)
        self.total = body + tail_frames
        self.keep = keep
        self.out: Audio = np.zeros((self.total if keep else min(self.total, window), 2),
                                   dtype=np.float32)
        self.base = 0  # the frame out[0] holds
        self.body, self.tail_frames = body, tail_frames
        self.pos = 0
        self.frames: int | None = None  # set by finish()
        self.events: list[tuple[int, int, int, int, float]] = []
        self.index = 0
        self.synth: Any = None
        if not notes:
            self.frames = body
            return
        synth = font.instance(sample_rate, SYNTH_GAIN_DB)
        for slot in voices:
            synth.channel_set_bank(slot.channel, slot.bank)
            synth.channel_set_preset_number(slot.channel, slot.program, slot.drum)
        self.synth = synth
        starts = np.fromiter((max(n.start, start_tick) for n in notes), np.int64, len(notes))
        ends = np.fromiter((min(n.end, end_tick) for n in notes), np.int64, len(notes))
        on_frames = to_frame(starts)
        off_frames = np.maximum(to_frame(ends), on_frames + 1)
        events = self.events
        for note, layer, on, off in zip(notes, layers, on_frames.tolist(),
                                        off_frames.tolist(), strict=True):
            channel = voices[min(layer, len(voices) - 1)].channel
            events.append((on, _ON, channel, note.pitch, note.velocity / 127.0))
            events.append((off, _OFF, channel, note.pitch, 0.0))
        # Note-offs before note-ons at one frame, so a repeated note is released, then
        # struck.
        events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))

    @property
    def final(self) -> int:
        """Frames that are final: those rendered, or (once finished) all of them."""
        return self.total if self.frames is not None else self.pos

    def _room(self, end: int) -> None:
        """Make `out` reach frame `end` (at most `total`), zero-padded."""
        end = min(end, self.total)
        if end - self.base > len(self.out):
            grown = np.zeros((min(max(end - self.base, 2 * len(self.out)),
                                  self.total - self.base), 2), np.float32)
            grown[:len(self.out)] = self.out
            self.out = grown

    def _render(self, begin: int, end: int) -> Audio:
        """Render frames [begin, end) (cut at `total`, as a slice of a whole stem is)."""
        self._room(end)
        block = self.out[begin - self.base:min(end, self.total) - self.base]
        self.synth.render(block, False)
        return block

    def part(self, begin: int, end: int) -> Audio:
        """Frames [begin, end) of the stem (zero past its end), all final; `begin` >=
        `base`."""
        self._room(end)
        if not self.keep and self.frames is not None and end > self.frames:
            # Past the stem's end the window may hold what `release` moved away from.
            self.out[max(begin, self.frames) - self.base:end - self.base] = 0.0
        return self.out[begin - self.base:end - self.base]

    def release(self, frame: int) -> None:
        """Frames before `frame` are no longer needed (without `keep`): the window moves
        on (what lies past `pos` in it is overwritten by the next renders)."""
        if self.keep or frame <= self.base:
            return
        shift = frame - self.base
        kept = max(min(self.pos, self.total) - frame, 0)
        self.out[:kept] = self.out[shift:shift + kept]
        self.base = frame

    def advance(self, limit: int) -> None:
        synth, events = self.synth, self.events
        pos, index = self.pos, self.index
        while index < len(events) and events[index][0] <= limit:
            frame, kind, channel, pitch, velocity = events[index]
            if frame > pos:
                self._render(pos, frame)
                pos = frame
            if kind == _ON:
                synth.channel_note_on(channel, pitch, velocity)
            else:
                synth.channel_note_off(channel, pitch)
            index += 1
        self.pos, self.index = pos, index

    def finish(self) -> int:
        """Render the rest; the frames rendered (the stem's length)."""
        if self.frames is not None:
            return self.frames
        self.advance(self.total + 1)
        body = self.body
        pos = self.pos
        if body > pos:
            self._render(pos, body)
            pos = body
        limit = body + self.tail_frames
        while pos < limit:
            stop = min(pos + TAIL_BLOCK, limit)
            block = self._render(pos, stop)
            pos = stop
            if float(np.max(np.abs(block))) < SILENCE_PEAK:
                break
        self.pos = pos
        self.frames = pos
        return pos


class _ClipRender:
    """An audio track's stem: its placed clips (`samples.place_clips`), with the same
    interface as `_TrackRender`. Nothing to synthesise: every frame is final at once. With
    `keep` the whole stem is mixed into `out` up front; without, each `part` is mixed
    when asked for, so memory stays that of the decoded samples."""

    def __init__(self, clips: list[PlacedClip], *, body: int, tail_frames: int,
                 keep: bool) -> None:
        self.clips = clips
        self.total = body + tail_frames
        self.keep = keep
        self.frames = min(self.total, max([body, *(clip.end for clip in clips)]))
        self.final = self.total
        self.out: Audio = np.zeros((self.total if keep else 0, 2), np.float32)
        if keep:
            mix_clips(clips, self.out, 0)

    def part(self, begin: int, end: int) -> Audio:
        if self.keep:
            return self.out[begin:end]
        block: Audio = np.zeros((end - begin, 2), np.float32)
        mix_clips(self.clips, block, begin)
        return block

    def release(self, frame: int) -> None:
        pass

    def advance(self, limit: int) -> None:
        pass

    def finish(self) -> int:
        return self.frames


class StemConsumer(Protocol):
    """Takes the stems as they are rendered (see `render_stems_stepped`)."""

    def start(self, frames: int) -> None:
        """Before anything else: the stems will be at most `frames` long."""

    def take(self, parts: dict[str, Audio], begin: int, end: int) -> None:
        """Frames [begin, end) of every stem, final (views valid during the call only:
        the consumer may modify them)."""


def render_stems(
    score: Score,
    soundfont_path: SoundFontPath | None,
    sample_rate: int,
    *,
    start_tick: int = 0,
    end_tick: int | None = None,
    tail_seconds: float = DEFAULT_TAIL_SECONDS,
    track_ids: Collection[str] | None = None,
    progress: SynthProgress | None = None,
    voices: Mapping[str, TrackVoice] | None = None,
    clips: Mapping[str, list[PlacedClip]] | None = None,
) -> dict[str, Audio]:
    """Render each track (or those in `track_ids`) of `score` to a stereo float32 stem of
    shape (frames, 2), keyed by track id. All stems share one length (see the module
    notes). `progress` receives the finished fraction, 0..1. `voices`: SoundFont presets
    by track id; `clips`: the placed clips of audio tracks by track id (an audio track
    without an entry is silent)."""
    return render_stems_stepped(
        score, soundfont_path, sample_rate, start_tick=start_tick, end_tick=end_tick,
        tail_seconds=tail_seconds, track_ids=track_ids, progress=progress, voices=voices,
        clips=clips)[0]


def render_stems_stepped(
    score: Score,
    soundfont_path: SoundFontPath | None,
    sample_rate: int,
    *,
    start_tick: int = 0,
    end_tick: int | None = None,
    tail_seconds: float = DEFAULT_TAIL_SECONDS,
    track_ids: Collection[str] | None = None,
    progress: SynthProgress | None = None,
    consumer: StemConsumer | None = None,
    keep: bool = True,
    step_seconds: float = 30.0,
    voices: Mapping[str, TrackVoice] | None = None,
    clips: Mapping[str, list[PlacedClip]] | None = None,
) -> tuple[dict[str, Audio], int]:
    """(`render_stems`, the stems' length). With a `consumer`, all tracks advance
    together `step_seconds` at a time, and after each step the consumer takes the frames
    that became final in every track; the stems are the same either way. Without `keep`
    (only with a consumer) the stems are not kept: the dict is empty, and each track
    holds about a step of audio at a time."""
    if sample_rate not in SAMPLE_RATES:
        raise BadInputError(f"unsupported sample rate {sample_rate}")
    if not 0.0 <= tail_seconds <= MAX_TAIL_SECONDS or math.isnan(tail_seconds):
        raise BadInputError(f"tail_seconds must be within 0..{MAX_TAIL_SECONDS}")
    start, end = resolve_span(score, start_tick, end_tick)
    font = load_soundfont(soundfont_path)
    seconds = tick_to_seconds(score)
    origin = float(seconds(np.asarray([start], dtype=np.int64))[0])

    def to_frame(ticks: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        frames = np.rint((seconds(ticks) - origin) * sample_rate)
        return frames.astype(np.int64)

    body = int(to_frame(np.asarray([end], dtype=np.int64))[0])
    tail = math.ceil(tail_seconds * sample_rate)
    wanted = None if track_ids is None else set(track_ids)
    unknown = set() if wanted is None else wanted - {t.id for t in score.tracks}
    if unknown:
        raise BadInputError(f"no such track: {', '.join(sorted(unknown))}")
    chosen = [t for t in score.tracks if wanted is None or t.id in wanted]
    pitched_index = {t.id: i for i, t in enumerate(x for x in score.tracks if not x.is_drum)}
    keep = keep or consumer is None
    step = max(1, round(step_seconds * sample_rate))
    voices = voices or {}
    clips = clips or {}
    renders: dict[str, _TrackRender | _ClipRender] = {track.id: _ClipRender(
        clips.get(track.id, []), body=body, tail_frames=tail, keep=keep)
        if track.is_audio else _TrackRender(
        track, font, sample_rate, to_frame, start_tick=start, end_tick=end, body=body,
        tail_frames=tail, keep=keep, window=step + step // 4, voice=voices.get(track.id),
        main_channel=DRUM_CHANNEL if track.is_drum else PITCHED_CHANNELS[
            pitched_index[track.id] % len(PITCHED_CHANNELS)]) for track in chosen}
    if consumer is None or not renders:  # track after track
        for done, render in enumerate(renders.values(), start=1):
            render.finish()
            if progress is not None:
                progress(done / len(renders))
        length = max((render.finish() for render in renders.values()), default=body)
    else:  # all tracks a step at a time; the consumer takes what is final in all
        consumer.start(body + tail)
        taken = 0

        def hand_over(upto: int) -> int:
            if upto > taken:
                consumer.take({track_id: render.part(taken, upto)
                               for track_id, render in renders.items()}, taken, upto)
                for render in renders.values():
                    render.release(upto)
            return max(upto, taken)

        for limit in range(step, body, step):
            for render in renders.values():
                render.advance(limit)
            taken = hand_over(min(render.final for render in renders.values()))
            if progress is not None:
                progress(limit / body)
        length = max(render.finish() for render in renders.values())
        hand_over(length)
    # Each buffer is zero past what was rendered: padding is a slice, not a copy.
    stems = {track_id: render.out[:length] for track_id, render in renders.items()} \
        if keep else {}
    return stems, length
