"""From a prepared tune (see training/prepare.py) to the samples each model learns from.

Shared by training, by the evaluation of held-out tunes and by the bench, so all three
read tunes the same way. A tune is a dict: tonic (pitch class), mode, meter [n, d],
melody [[pitch or -1, bar, position, duration], ...], optionally voices (every part of a
chorale) and chords (chord symbols written in the source).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ariaforge.composer.model.chordlabel import label_windows, window_notes
from ariaforge.composer.model.tokens import (
    bar_ticks,
    beat_ticks,
    clip_interval,
    melody_chord,
    melody_context,
    mode_family,
    plain_context,
    rhythm_context,
    strength,
)
from ariaforge.music.score import Mode

Sample = tuple[tuple[str, ...], str]


@dataclass(frozen=True)
class TuneNote:
    pitch: int
    onset: int  # ticks from the start of bar 0
    duration: int  # to the next onset or the bar line, rests absorbed
    position: int  # ticks after its bar line


@dataclass(frozen=True)
class Tune:
    tonic: int
    mode: Mode
    numerator: int
    denominator: int
    notes: tuple[TuneNote, ...]
    chords: tuple[str, ...]  # one chord token per window
    window: int  # ticks per chord window

    @property
    def family(self) -> str:
        return mode_family(self.mode)

    @property
    def bar(self) -> int:
        return bar_ticks(self.numerator, self.denominator)

    def chord_at(self, tick: int) -> str:
        return self.chords[min(len(self.chords) - 1, max(0, tick // self.window))]


def window_ticks(numerator: int, denominator: int) -> int:
    """Chord windows: half a bar where the bar has two strong halves (4/4, 2/2, 6/8,
    12/8), else the whole bar."""
    bar = bar_ticks(numerator, denominator)
    beats = bar // beat_ticks(numerator, denominator)
    return bar // 2 if beats in (2, 4) and bar >= 960 else bar


def melody_notes(raw: Sequence[Sequence[int]], numerator: int, denominator: int
                 ) -> list[TuneNote]:
    """Pitched notes in time order with rests folded into the note before them and
    durations cut at the bar line (the models never tie across bars)."""
    bar = bar_ticks(numerator, denominator)
    pitched = sorted((b * bar + p, pitch, p, d) for pitch, b, p, d in raw
                     if 0 <= p < bar and pitch >= 0)
    notes: list[TuneNote] = []
    for index, (onset, pitch, position, duration) in enumerate(pitched):
        if notes and notes[-1].onset == onset:
            continue  # two notes at once (rare in a tune): keep the first
        bar_end = onset - position + bar
        following = pitched[index + 1][0] if index + 1 < len(pitched) else onset + duration
        end = min(bar_end, following)
        if end > onset:
            notes.append(TuneNote(pitch, onset, end - onset, position))
    return notes


def _strengths(notes: Sequence[TuneNote], numerator: int, denominator: int) -> dict[int, str]:
    return {n.onset: strength(n.position, numerator, denominator) for n in notes}


def label_tune(voices: Sequence[Sequence[TuneNote]], tonic: int, family: str,
               numerator: int, denominator: int, total: int, *, sevenths: bool) -> list[str]:
    window = window_ticks(numerator, denominator)
    spans = [((n.pitch - tonic) % 12, n.onset, n.duration) for voice in voices for n in voice]
    marks: dict[int, str] = {}
    for voice in voices:
        marks.update(_strengths(voice, numerator, denominator))
    windows = [window_notes(spans, start, start + window, marks)
               for start in range(0, total, window)]
    return label_windows(windows, family, sevenths=sevenths)


def read_tune(data: dict[str, Any], *, use_voices: bool = True) -> Tune | None:
    numerator, denominator = data["meter"]
    notes = melody_notes(data["melody"], numerator, denominator)
    if len(notes) < 8:
        return None
    mode = Mode(data["mode"])
    tonic = int(data["tonic"])
    total = max(n.onset + n.duration for n in notes)
    voices = [notes]
    if use_voices and data.get("voices"):
        voices = [melody_notes(v, numerator, denominator) for v in data["voices"]]
    chords = label_tune(voices, tonic, mode_family(mode), numerator, denominator, total,
                        sevenths=len(voices) > 1)
    return Tune(tonic, mode, numerator, denominator, tuple(notes), tuple(chords),
                window_ticks(numerator, denominator))


def intervals(tune: Tune) -> list[int]:
    return [clip_interval(b.pitch - a.pitch) for a, b in zip(tune.notes, tune.notes[1:],
                                                               strict=False)]


def melody_samples(tune: Tune) -> Iterator[Sample]:
    """(context, interval) for every note after the first."""
    steps = intervals(tune)
    for index, step in enumerate(steps):
        previous, note = tune.notes[index], tune.notes[index + 1]
        context = melody_context(tune.family, strength(note.position, tune.numerator,
                                                       tune.denominator),
                                 previous.pitch - tune.tonic,
                                 melody_chord(tune.chord_at(note.onset)), steps[:index])
        yield context, str(step)


def plain_samples(tune: Tune) -> Iterator[Sample]:
    steps = intervals(tune)
    for index, step in enumerate(steps):
        yield plain_context(steps[:index]), str(step)


def rhythm_samples(tune: Tune) -> Iterator[Sample]:
    durations: list[int] = []
    for note in tune.notes:
        yield (rhythm_context(tune.numerator, tune.denominator, note.position, durations),
               str(note.duration))
        durations.append(note.duration)


def chord_changes(chords: Sequence[str]) -> list[str]:
    """The progression without repeats: the harmony model learns where chords go, and
    the decoder decides separately how long each one lasts."""
    changes: list[str] = []
    for token in chords:
        if not changes or changes[-1] != token:
            changes.append(token)
    return changes


def opening_sample(tune: Tune) -> Sample:
    first = tune.notes[0]
    return ((tune.family, melody_chord(tune.chord_at(first.onset))),
            str((first.pitch - tune.tonic) % 12))
