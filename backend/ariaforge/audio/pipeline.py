"""Score + mix settings + options → finished audio files, with a quality report.

Stages, with the share of the 0-100 progress each reports:
synth 0-60 (per track), mix 60-75, loudness 75-85 (the master chain, including loudness
normalisation), encode 85-100 (the quality report, then one step per finished file: the
mix and each stem, two files at a time; a long MP3 is itself encoded by two LAME
processes, see `encode`). `progress(percent, stage, message)` is called from the calling
thread, at least at the start and end of every stage, never with a smaller percent than
before; the last call is (100.0, "encode", "done").

Balance: a score whose tracks carry roles (every composed score) is mixed with a trim
per track (`balance`: melody in front, comping and pad behind, bass and drums between),
under the user's volume and gain, measured first by a quick probe render of the same
span at a low rate (part of the synth stage).

Overlap: when no heard track has effects, the tracks
are synthesised together `STEP_SECONDS` at a time, and each finished step is mixed into
the bus and its loudness filtered (in a background thread: SciPy's filters release the
GIL) while the next step renders; synth progress is then reported per step, and the mix
stage has nothing left to do. The files are exactly those of mixing and measuring
afterwards. Without stem files the synth keeps only about a step of audio per track.

Determinism: the same score, settings, options, SoundFont file and FFmpeg binary give
byte-identical files (no randomness: the 16-bit dither is a fixed hash of the sample
index; FFmpeg runs with bitexact flags and no metadata). `render_cache_key` hashes all of
these (plus `PIPELINE_VERSION`) for callers that cache renders.

Quality: `RenderResult.quality` describes the finished master as float audio, before
encoding. A lossy codec lifts the true peak by up to ~1.5 dB: a lossy master is limited
with headroom and the encoded mix is checked and, if need be, turned down and encoded
again, so the decoded file stays under the ceiling (`codec_peak`).

Sample rate: the synth runs at `options.sample_rate`, except for opus, which is rendered
at 48 kHz (Opus has no 44.1 kHz mode), so nothing is resampled.

Stem files (`include_stems`): each heard track's processed stem (see `mix`) scaled by the
same static gain as the mix bus before its limiter (master gain plus loudness gain), so
the stem files add up to the mix as it was before limiting. If that would push any stem's
true peak over the ceiling, all stems are turned down together by the same amount
(`RenderResult.stem_gain_db` then differs from `mix_gain_db`). Muted or un-soloed tracks
get no stem file.

Errors: `BadScoreError` (no notes, no note in the requested bars) and `BadInputError`
(bars outside the score, mix settings for unknown tracks) are permanent; other
`RenderError`s (SoundFont, FFmpeg) may not be.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ariaforge.audio.balance import probe_trims
from ariaforge.audio.codec_peak import codec_master, encode_under_ceiling
from ariaforge.audio.encode import EXTENSIONS, check_encoder, encode, ffmpeg_path
from ariaforge.audio.errors import BadInputError, BadScoreError
from ariaforge.audio.loudness.gain import Audio, apply_gain
from ariaforge.audio.loudness.meter import PowerStream
from ariaforge.audio.loudness.true_peak import true_peak_dbtp
from ariaforge.audio.mix import StemMixer, master_chain_with_power, process_stems, sum_stems
from ariaforge.audio.options import (
    AudioFormat,
    MixSettings,
    RenderOptions,
    audible_tracks,
    streamable,
)
from ariaforge.audio.quality import QualityReport, analyze
from ariaforge.audio.samples import SampleSource, place_clips
from ariaforge.audio.soundfont import SoundFontPath, load_soundfont
from ariaforge.audio.synth import (
    TrackVoice,
    body_frames,
    render_stems,
    render_stems_stepped,
    resolve_span,
)
from ariaforge.music.score import Score

PIPELINE_VERSION = "2"  # 2: role-balanced mix, headroom for lossy codecs
ENCODE_WORKERS = 2
STEP_SECONDS = 30.0  # synth steps between which a mix without effects is mixed
Progress = Callable[[float, str, str], None]

_SYNTH, _MIX, _LOUDNESS, _ENCODE = (0.0, 60.0), (60.0, 75.0), (75.0, 85.0), (85.0, 100.0)


class RenderedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    kind: Literal["mix", "stem"]
    track_id: str | None
    format: AudioFormat
    bytes: int
    duration_s: float


class RenderResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    files: list[RenderedFile]
    quality: QualityReport
    seconds_of_audio: float
    render_seconds: float
    sample_rate: int
    mix_gain_db: float = Field(description="static gain on the bus before the limiter")
    stem_gain_db: float | None = Field(description="gain on the stem files, when written")


def tick_range(score: Score, options: RenderOptions) -> tuple[int, int | None]:
    """[start, end) ticks of the requested bars; end None = to the end of the piece."""
    start_bar = options.start_bar or 1
    if start_bar > score.bars:
        raise BadInputError(f"start_bar {start_bar} is past the end of the "
                            f"{score.bars}-bar score")
    if options.end_bar is not None and options.end_bar > score.bars:
        raise BadInputError(f"end_bar {options.end_bar} is past the end of the "
                            f"{score.bars}-bar score")
    start = score.bar_start(start_bar)
    end = None if options.end_bar is None else score.bar_start(options.end_bar + 1)
    return start, end


def render_cache_key(score: Score, mix_settings: MixSettings, options: RenderOptions, *,
                     soundfont_path: SoundFontPath | None = None,
                     ffmpeg_binary: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over everything that decides the output bytes."""
    font = load_soundfont(soundfont_path)
    binary = Path(ffmpeg_path(ffmpeg_binary))
    try:
        stat = binary.stat()
        ffmpeg_id = f"{binary}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        ffmpeg_id = str(binary)
    payload = {
        "version": PIPELINE_VERSION,
        "score": score.model_dump(mode="json"),
        "mix": mix_settings.model_dump(mode="json"),
        "options": options.model_dump(mode="json"),
        "soundfont": font.digest(),
        "ffmpeg": ffmpeg_id,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class _Reporter:
    def __init__(self, callback: Progress | None) -> None:
        self._callback = callback
        self._last = 0.0

    def __call__(self, span: tuple[float, float], fraction: float, stage: str,
                 message: str) -> None:
        if self._callback is None:
            return
        percent = span[0] + (span[1] - span[0]) * min(max(fraction, 0.0), 1.0)
        self._last = max(self._last, percent)  # never goes backwards
        self._callback(round(self._last, 2), stage, message)


def render_score(
    score: Score,
    mix_settings: MixSettings,
    options: RenderOptions,
    out_dir: Path,
    *,
    soundfont_path: SoundFontPath | None = None,
    ffmpeg_binary: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    samples: Mapping[str, SampleSource] | None = None,
    voices: Mapping[str, TrackVoice] | None = None,
) -> RenderResult:
    """Render `score` to `out_dir` (created if missing): `mix.<ext>` and, with
    `include_stems`, `stem-<track id>.<ext>` per heard track. See the module notes.
    `samples`: the files of the samples the audio tracks' clips name, by sample id
    (`samples.place_clips`); `voices`: SoundFont presets by track id."""
    began = time.perf_counter()
    report = _Reporter(progress)
    rate = options.render_rate
    if not any(True for _ in score.all_notes()) and not any(t.clips for t in score.tracks):
        raise BadScoreError("the score has no notes to render")
    start, end = tick_range(score, options)
    check_encoder(options.format, ffmpeg_binary)  # fail before the slow work
    out_dir.mkdir(parents=True, exist_ok=True)

    report(_SYNTH, 0.0, "synth", "rendering tracks")
    heard = audible_tracks(score)
    master = codec_master(mix_settings.master, options.format)  # headroom for lossy codecs

    def synth_progress(done: float) -> None:
        report(_SYNTH, done, "synth", "rendering tracks")

    # A balanced mix needs each stem's loudness before anything is summed: a probe
    # render at a low rate measures it first.
    trims = probe_trims(score, soundfont_path, start_tick=start, end_tick=end,
                        tail_seconds=options.tail_seconds, track_ids=[t.id for t in heard],
                        voices=voices)
    clips = place_clips(score, samples or {}, rate, start_tick=start,
                        track_ids=[t.id for t in heard], ffmpeg_binary=ffmpeg_binary)
    streamer = _Streamer(score, mix_settings, options, trims) \
        if heard and streamable(score, mix_settings) else None
    try:
        if streamer is None:
            stems = render_stems(
                score, soundfont_path, rate, start_tick=start, end_tick=end,
                tail_seconds=options.tail_seconds, track_ids=[t.id for t in heard],
                progress=synth_progress, voices=voices, clips=clips)
            if not stems:  # every track muted: silence as long as the requested span
                span = resolve_span(score, start, end)
                silence = np.zeros((body_frames(score, rate, *span), 2), np.float32)
                stems = {track.id: silence for track in score.tracks[:1]}
        else:  # no effects: the mix and its loudness are worked out as the synth goes
            stems, length = render_stems_stepped(
                score, soundfont_path, rate, start_tick=start, end_tick=end,
                tail_seconds=options.tail_seconds, track_ids=[t.id for t in heard],
                progress=synth_progress, consumer=streamer, keep=options.include_stems,
                step_seconds=STEP_SECONDS, voices=voices, clips=clips)
        report(_SYNTH, 1.0, "synth", "tracks rendered")

        report(_MIX, 0.0, "mix", "mixing")
        if streamer is None:
            processed = process_stems(score, stems, mix_settings, rate, in_place=True,
                                      trims=trims)
            bus = sum_stems(processed)
        else:
            processed = streamer.mixer.processed(stems) if options.include_stems else {}
            bus = streamer.mixer.bus[:length]
        del stems
        report(_MIX, 1.0, "mix", "mixed")

        report(_LOUDNESS, 0.0, "loudness", "mastering")
        power = None if streamer is None else streamer.power
        mastered = master_chain_with_power(  # the bus is ours: mastered in place
            bus, rate, master, target_lufs=options.target_lufs,
            power_of=None if power is None else power.result, in_place=True)
    finally:
        if streamer is not None:
            streamer.close()
    del bus
    report(_LOUDNESS, 1.0, "loudness", "mastered")

    heard_set = {t.id for t in heard}
    stem_audio = {tid: a for tid, a in processed.items() if tid in heard_set}
    stem_gain = _stem_gain(stem_audio, mastered.gain_db,
                           master.ceiling_dbtp) if options.include_stems else None
    jobs: list[tuple[str | None, Audio, float]] = [(None, mastered.audio, 0.0)]
    if stem_gain is not None:
        jobs += [(tid, a, stem_gain) for tid, a in stem_audio.items()]
    del processed
    extension = EXTENSIONS[options.format]
    done = 0

    def encode_job(job: tuple[str | None, Audio, float]) -> RenderedFile:
        track_id, audio, gain_db = job
        if gain_db:
            audio = apply_gain(audio, gain_db)
        name = f"mix{extension}" if track_id is None else f"stem-{track_id}{extension}"

        def encode_to(data: Audio) -> Path:
            return encode(data, rate, out_dir / name, options.format,
                          bit_depth=options.bit_depth, quality=options.quality,
                          ffmpeg_binary=ffmpeg_binary)

        # The mix file itself is checked against the ceiling (see `codec_peak`).
        ceiling = mix_settings.master.ceiling_dbtp \
            if track_id is None and mix_settings.master.limiter else None
        path = encode_under_ceiling(audio, encode_to, options.format, ceiling,
                                    ffmpeg_binary=ffmpeg_binary)
        return RenderedFile(path=path, kind="mix" if track_id is None else "stem",
                            track_id=track_id, format=options.format,
                            bytes=path.stat().st_size, duration_s=len(audio) / rate)

    # The quality report first (tens of ms): computed beside the encoders it would hold
    # one of them back, and the file waits for the slower of the MP3's two halves.
    report(_ENCODE, 0.0, "encode", f"encoding {len(jobs)} file(s)")
    quality = analyze(mastered.audio, rate, target_lufs=options.target_lufs,
                      ceiling_dbtp=mix_settings.master.ceiling_dbtp, power=mastered.power,
                      true_peak=mastered.true_peak_dbtp)
    # FFmpeg runs in its own processes, two files at a time. Each file is still written
    # by one deterministic encode.
    with ThreadPoolExecutor(max_workers=ENCODE_WORKERS) as pool:
        futures = [pool.submit(encode_job, job) for job in jobs]
        files: list[RenderedFile] = []
        for future in futures:
            files.append(future.result())
            done += 1
            report(_ENCODE, done / len(jobs), "encode", f"encoded {files[-1].path.name}")
    report(_ENCODE, 1.0, "encode", "done")
    return RenderResult(
        files=files, quality=quality, seconds_of_audio=len(mastered.audio) / rate,
        render_seconds=time.perf_counter() - began, sample_rate=rate,
        mix_gain_db=mastered.gain_db, stem_gain_db=stem_gain)


class _Streamer:
    """For a mix without effects: mixes the stems as the synth finishes them (a
    `StemConsumer`) and feeds the bus to a background loudness meter when normalising
    (the filters run while the synth goes on; see `loudness.meter.PowerStream`). The bus and
    its power are exactly those of mixing and measuring afterwards."""

    def __init__(self, score: Score, settings: MixSettings, options: RenderOptions,
                 trims: dict[str, float]) -> None:
        self.mixer = StemMixer(score, settings, trims)
        self.power = None if options.target_lufs is None else PowerStream(
            options.render_rate, settings.master.gain_db)

    def start(self, frames: int) -> None:
        self.mixer.start(frames)
        if self.power is not None:
            self.power.reserve(frames)

    def take(self, parts: dict[str, Audio], begin: int, end: int) -> None:
        self.mixer.take(parts, begin, end)
        if self.power is not None:
            self.power.feed(self.mixer.bus[begin:end])

    def close(self) -> None:
        if self.power is not None:
            self.power.close()


def _stem_gain(stems: dict[str, Audio], gain_db: float, ceiling_dbtp: float) -> float:
    """`gain_db`, lowered so that no stem's true peak exceeds the ceiling."""
    peaks = [p for p in (true_peak_dbtp(a) for a in stems.values()) if p is not None]
    if not peaks:
        return gain_db
    loudest = max(peaks) + gain_db
    return gain_db if loudest <= ceiling_dbtp else gain_db - (loudest - ceiling_dbtp)
