"""What an export or a preview will cost, worked out before anything is rendered.

Exports: an upper bound on the bytes the export will store (checked against the per-export
limit and the requester's storage quota) and on the audio the renderer holds in memory.
Previews: the part of the score a preview plays, trimmed so that the render's memory
follows the music actually heard, never the score's nominal length (a long score of
empty bars, a 32/1 bar at a slow tempo).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ariaforge.audio.options import (
    DEFAULT_TAIL_SECONDS,
    MixSettings,
    audible_tracks,
    score_end_tick,
    streamable,
)
from ariaforge.exports.schemas import ExportRequest
from ariaforge.music.score import PPQ, Note, Score, TempoChange

# float32 stereo frames, as the synth and the mixer hold them.
FRAME_BYTES = 2 * 4
# Upper bounds of what the lossy encoders write (320 kbit/s covers MP3 at -q:a 0, Vorbis
# at q 8 and Opus at 192 kbit/s with VBR peaks); FLAC never exceeds the PCM it encodes.
LOSSY_BYTES_PER_S = 40_000
MIDI_BYTES_PER_NOTE = 16
MUSICXML_BYTES_PER_NOTE = 600
MUSICXML_BYTES_PER_BAR_AND_TRACK = 300
# Audio a render may hold in memory at once (stems and the mix bus), exports and previews.
RENDER_MEMORY_BYTES = 4 * 1024 ** 3
PREVIEW_MEMORY_BYTES = 1024 ** 3
# The stepped synth keeps about this much audio per track (audio.pipeline.STEP_SECONDS,
# plus the step being rendered).
STREAM_SECONDS_PER_TRACK = 60.0
# Mixes' worth of audio the mastering and encoding stages hold at their peak besides the
# stems: the bus and its K-weighted power, the limiter's envelope and gain curve, the
# mastered copy, the encoder's integer conversion (traced peaks of 1-2 minute 4-track
# renders: 5.4 mixes for an MP3, 7.3 for a WAV, stems aside).
MASTER_WORKING_MIXES = 7.5
# Besides (see `render_memory`):
# - the balance probe (audio.balance) renders first, at a quarter of the rate, keeping a
#   step of audio per track and 80 bytes a second of loudness per track: always under
#   the render that follows it, and never held at the same time;
# - a lossy mix over the true-peak ceiling is encoded again from a turned-down copy of
#   the master (one more mix), and each check decodes one chunk at a time
#   (audio.codec_peak: a 512 kB chunk with its interpolation buffers).
LOSSY_FORMATS = ("mp3", "ogg", "opus")
DECODE_CHECK_BYTES = 4 * 1024 ** 2
PREVIEW_RATE = 44100
# After the preview's last note, the rest of its bar passes at this tempo, so a long last
# bar adds seconds, not minutes, of release tail (see `preview_score`).
FAST_BPM = 1000.0


@dataclass(frozen=True)
class ExportCost:
    seconds: float
    files: int
    bytes: int
    render_memory: int


def has_notes(score: Score) -> bool:
    """Something to render: a note, or a clip on an audio track."""
    return any(True for _ in score.all_notes()) or any(t.clips for t in score.tracks)


def notes_in_range(score: Score, request: ExportRequest) -> bool:
    start, end = _ticks(score, request)
    return any(t.clips for t in score.tracks) or any(
        n.start < end and n.end > start for _, n in score.all_notes())


def _ticks(score: Score, request: ExportRequest) -> tuple[int, int]:
    start = score.bar_start(request.start_bar or 1)
    end = score_end_tick(score) if request.end_bar is None else score.bar_start(
        request.end_bar + 1)
    return start, end


def export_cost(score: Score, mix: MixSettings, request: ExportRequest) -> ExportCost:
    start, end = _ticks(score, request)
    seconds = score.seconds_at(end) - score.seconds_at(start) + DEFAULT_TAIL_SECONDS
    rate = 48000 if request.format == "opus" else request.sample_rate
    if request.format in ("wav", "flac"):
        per_second = rate * 2 * request.bit_depth // 8
    else:
        per_second = LOSSY_BYTES_PER_S
    heard = len(audible_tracks(score))
    audio_files = 1 + (heard if request.include_stems else 0)
    audio = math.ceil(seconds * per_second) * audio_files
    notes = sum(1 for _ in score.all_notes())
    notation = 0
    files = audio_files
    if request.include_midi:
        notation += 1024 + notes * MIDI_BYTES_PER_NOTE
        files += 1
    if request.include_musicxml:
        notation += 4096 + notes * MUSICXML_BYTES_PER_NOTE + (
            score.bars * len(score.tracks) * MUSICXML_BYTES_PER_BAR_AND_TRACK)
        files += 1
    total = audio + notation
    if files > 1:
        total *= 2  # the zip bundle of everything: deflate never shrinks PCM much
    held = _held_tracks(score, mix, request.include_stems, seconds)
    return ExportCost(seconds=seconds, files=files + (1 if files > 1 else 0), bytes=total,
                      render_memory=render_memory(seconds, rate, held, request.format))


def render_memory(seconds: float, rate: int, held: float, fmt: str) -> int:
    """The bytes a render holds at its peak: `held` tracks' worth of audio, the
    mastering and encoding working set, and for a lossy format the turned-down copy and
    the decoding chunk of the true-peak check."""
    mixes = held + MASTER_WORKING_MIXES + (1 if fmt in LOSSY_FORMATS else 0)
    extra = DECODE_CHECK_BYTES if fmt in LOSSY_FORMATS else 0
    return math.ceil(seconds * rate * FRAME_BYTES * mixes) + extra


def _held_tracks(score: Score, mix: MixSettings, stems: bool, seconds: float) -> float:
    """How many tracks' worth of full-length audio the renderer holds besides the bus."""
    heard = len(audible_tracks(score))
    if stems or not streamable(score, mix):
        return heard  # every stem is kept whole
    return heard * min(1.0, STREAM_SECONDS_PER_TRACK / max(seconds, 1.0))


# --- previews -----------------------------------------------------------------------


def preview_seconds_limit(score: Score, mix: MixSettings, max_seconds: float) -> float:
    """The longest preview of this score whose stems, bus and the MP3's turned-down copy
    (see `render_memory`) fit PREVIEW_MEMORY_BYTES. The mastering working set
    (`MASTER_WORKING_MIXES`) is left out here: counted, it would cut a 4-track preview
    to about 5 minutes."""
    heard = max(len(audible_tracks(score)), 1)
    per_second = PREVIEW_RATE * FRAME_BYTES
    available = PREVIEW_MEMORY_BYTES - DECODE_CHECK_BYTES
    working = 2  # the bus and the MP3's turned-down copy
    if streamable(score, mix):
        budget = available - heard * STREAM_SECONDS_PER_TRACK * per_second
        fits = budget / (working * per_second) if budget > 0 else 0.0
    else:
        fits = available / (per_second * (working + heard))
    return max(1.0, min(max_seconds, fits))


def tick_at(score: Score, seconds: float) -> int:
    """The first tick at or after `seconds` of wall-clock time (the inverse of
    `Score.seconds_at`)."""
    elapsed, last_tick, bpm = 0.0, 0, score.tempo
    for change in score.tempo_changes:
        span = (change.tick - last_tick) * 60.0 / (bpm * PPQ)
        if elapsed + span >= seconds:
            break
        elapsed, last_tick, bpm = elapsed + span, change.tick, change.bpm
    return last_tick + math.ceil((seconds - elapsed) * bpm * PPQ / 60.0)


def _clip(note: Note, cut: int) -> Note:
    return note if note.end <= cut else note.model_copy(update={"duration": cut - note.start})


def preview_score(score: Score, max_seconds: float) -> Score:
    """The score as the preview plays it: from the start to its last note-off, at most
    `max_seconds` (later notes dropped, notes sounding then cut there).

    Bars after the cut are dropped; the rest of the cut's bar passes at FAST_BPM, so its
    length (a 32/1 bar lasts minutes at 10 bpm) adds at most a few seconds of release
    tail. Chord symbols and sections do not sound and are left out.
    """
    last = max((n.end for _, n in score.all_notes()), default=0)
    if any(track.clips for track in score.tracks):
        last = max(last, score.end_tick)  # samples play on: the piece is heard to its end
    cut = max(1, min(last, tick_at(score, max_seconds)))
    # A last note may ring past the last bar (the score allows a tail): the bars stay.
    bars = min(score.bars, score.bar_of(cut - 1))
    tracks = [track.model_copy(update={"notes": [_clip(n, cut) for n in track.notes
                                                 if n.start < cut],
                                       "clips": [c for c in track.clips if c.start < cut]})
              for track in score.tracks]
    tempo_changes = [c for c in score.tempo_changes if c.tick < cut]
    if cut < score.bar_start(bars + 1):
        tempo_changes.append(TempoChange(tick=cut, bpm=FAST_BPM))
    # Validated again: the trimmed score keeps every bound the original had.
    return Score.model_validate(score.model_copy(update={
        "bars": bars, "tracks": tracks, "tempo_changes": tempo_changes,
        "meter_changes": [c for c in score.meter_changes if c.bar <= bars],
        "chord_symbols": [], "sections": []}).model_dump())
