"""Audio to notes for the similarity check (ADR 0033).

`transcribe(data, filename, max_seconds)` decodes an uploaded recording with FFmpeg (fed
through a pipe, no temporary file), runs basic-pitch's small ONNX model on it, turns the
model's note/onset posteriorgrams into notes, keeps the melody line (the most salient
note at each onset: the check embeds a melody), estimates the tempo from the onsets and
quantises to a 16th grid at ppq 480.

This module is imported by the API: it loads nothing heavy itself. NumPy, onnxruntime
and FFmpeg's locator are imported by `transcribe` on first use (the `audio_*` helpers),
so importing the API stays light (tests/test_import_weight.py). Synchronous and
CPU-bound: callers run it in a worker thread; FFmpeg runs under a timeout and the model
work is bounded by `max_seconds`.

The file's extension is not trusted: FFmpeg recognises the content, limited to the WAV,
FLAC, MP3 and Ogg demuxers and to the pipe protocol (so a crafted playlist cannot make
FFmpeg open files or URLs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PPQ: Final = 480
AUDIO_EXTENSIONS: Final[frozenset[str]] = frozenset({".wav", ".flac", ".mp3", ".ogg"})


@dataclass(frozen=True)
class Transcription:
    notes: list[tuple[int, int, int]]  # (midi pitch, start tick, duration ticks), ppq 480
    bpm: float  # the tempo used to turn seconds into ticks
    seconds: float  # decoded audio length


class TranscriptionError(ValueError):
    """The audio cannot be transcribed (unreadable, too long, silent, no notes). The
    message is written for the person who uploaded the file (an API 422)."""


def transcribe(data: bytes, filename: str, max_seconds: float) -> Transcription:
    """The melody of the recording in `data` (any of the AUDIO_EXTENSIONS formats,
    recognised by content; `filename` only names it in messages). Raises
    TranscriptionError for audio that FFmpeg cannot decode, that is longer than
    `max_seconds`, that is silent, or where no notes are heard."""
    from ariaforge.similarity import audio_decode, audio_model, audio_notes

    audio = audio_decode.decode(data, max_seconds, name=filename)
    seconds = len(audio) / audio_decode.SAMPLE_RATE
    if audio_decode.is_silent(audio):
        raise TranscriptionError(f"{_label(filename)} is silent: there is nothing to transcribe")
    frames, onsets, times = audio_model.posteriorgrams(audio)
    events = audio_notes.note_events(frames, onsets, times)
    melody = audio_notes.melody_line(events)
    if len(melody) < 2:
        raise TranscriptionError(f"no notes could be heard in {_label(filename)}: it needs a "
                                 "melody of at least two notes")
    bpm = audio_notes.estimate_bpm([event.start for event in melody])
    notes = audio_notes.to_ticks(melody, bpm, PPQ)
    return Transcription(notes=notes, bpm=round(bpm, 2), seconds=round(seconds, 3))


def _label(filename: str) -> str:
    name = filename.strip()
    return f"'{name}'" if name else "the audio"
