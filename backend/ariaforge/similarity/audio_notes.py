"""Posteriorgrams to a melody in ticks: note events, the melody line, tempo, grid (ADR 0033).

Own small code, not basic-pitch's `note_creation` (which needs librosa, SciPy and
pretty_midi, kept out of the API process): a note starts at a local peak of the onset
activation above ONSET_THRESHOLD and lasts while the frame activation at its pitch stays
above FRAME_THRESHOLD (a gap of up to GAP_FRAMES is bridged), until the next onset at
the same pitch (a weak onset peak inside a note still sounding is attack noise, not a
repeat). The melody line keeps, among notes starting together, the highest of the
salient ones (mean activation at least LINE_RATIO of the strongest); a note that starts
cuts the one before it. Tempo comes from the
autocorrelation of the onset train with a mild preference for moderate tempi, refined
by a least-squares fit of the onsets to a 16th grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

ONSET_THRESHOLD: Final = 0.5
FRAME_THRESHOLD: Final = 0.3
REPEAT_THRESHOLD: Final = 0.75
GAP_FRAMES: Final = 3
MIN_FRAMES: Final = 8  # 93 ms: a 16th up to ~160 bpm (11, basic-pitch's 128 ms, drops them)
CHORD_S: Final = 0.05  # onsets closer than this start together
LINE_RATIO: Final = 0.6
LOWEST_PITCH: Final = 21
MIN_BPM: Final = 50.0
MAX_BPM: Final = 200.0
PRIOR_BPM: Final = 110.0


@dataclass(frozen=True)
class NoteEvent:
    pitch: int
    start: float  # seconds
    end: float
    salience: float  # mean frame activation, 0..1


def note_events(frames: npt.NDArray[np.float32], onsets: npt.NDArray[np.float32],
                times: npt.NDArray[np.float64], *, onset_threshold: float = ONSET_THRESHOLD,
                frame_threshold: float = FRAME_THRESHOLD, min_frames: int = MIN_FRAMES,
                repeat_threshold: float = REPEAT_THRESHOLD) -> list[NoteEvent]:
    """Every note the activations hold (polyphonic), by start time then pitch."""
    count = len(frames)
    if count < 3:
        return []
    padded = np.pad(onsets, ((1, 1), (0, 0)))
    peaks = (onsets >= onset_threshold) & (onsets >= padded[:-2]) & (onsets > padded[2:])
    events: list[NoteEvent] = []
    for index in range(frames.shape[1]):
        active = frames[:, index] >= frame_threshold
        starts = _articulations(np.flatnonzero(peaks[:, index]), onsets[:, index], active,
                                repeat_threshold)
        for number, start in enumerate(starts):
            stop = starts[number + 1] if number + 1 < len(starts) else count
            end = _sustain(active, start, stop)
            if end - start < min_frames:
                continue
            salience = float(frames[start:end, index].mean())
            events.append(NoteEvent(pitch=index + LOWEST_PITCH, start=float(times[start]),
                                    end=float(_time_at(times, end)), salience=salience))
    events.sort(key=lambda event: (event.start, event.pitch))
    return events


def _articulations(peaks: npt.NDArray[np.intp], onset: npt.NDArray[np.float32],
                   active: npt.NDArray[np.bool_], repeat_threshold: float) -> list[int]:
    """The onset peaks that start notes: a peak while the note before it at this pitch
    still sounds (no frame below the threshold since its onset) restarts it only when
    strong; weaker ones are the attack noise of a breathy or bowed note (measured on
    flute: a second peak of 0.5-0.6 some 100-200 ms in, against 0.85+ for a played
    repeat)."""
    kept: list[int] = []
    for peak in peaks.tolist():
        if kept and onset[peak] < repeat_threshold and active[kept[-1] + 1:peak + 1].all():
            continue
        kept.append(peak)
    return kept


def _sustain(active: npt.NDArray[np.bool_], start: int, stop: int) -> int:
    """The frame after the note that starts at `start` (ends before `stop`)."""
    end = start + 1
    gap = 0
    frame = start + 1
    while frame < stop and gap <= GAP_FRAMES:
        if active[frame]:
            end = frame + 1
            gap = 0
        else:
            gap += 1
        frame += 1
    return end


def _time_at(times: npt.NDArray[np.float64], frame: int) -> float:
    if frame < len(times):
        return float(times[frame])
    step = float(times[1] - times[0]) if len(times) > 1 else 256 / 22050
    return float(times[-1]) + step * (frame - len(times) + 1)


def melody_line(events: list[NoteEvent], *, ratio: float = LINE_RATIO) -> list[NoteEvent]:
    """One note at a time. Of the notes starting within CHORD_S of each other, the
    highest of those at least `ratio` times as salient as the most salient one (1: the
    most salient; 0: the highest, a plain skyline); each note ends no later than the
    next one starts. A sustained accompaniment note is more salient than a short melody
    note starting with it, and a harmonic an octave up is weaker than its note: the
    ratio lets the melody win the first case without taking the ghost in the second."""
    groups: list[list[NoteEvent]] = []
    for event in events:
        if groups and event.start - groups[-1][0].start < CHORD_S:
            groups[-1].append(event)
        else:
            groups.append([event])
    chosen = []
    for group in groups:
        strongest = max(event.salience for event in group)
        chosen.append(max((event for event in group if event.salience >= ratio * strongest),
                          key=lambda event: (event.pitch, event.salience)))
    line: list[NoteEvent] = []
    for number, event in enumerate(chosen):
        end = event.end
        if number + 1 < len(chosen):
            end = min(end, chosen[number + 1].start)
        line.append(NoteEvent(event.pitch, event.start, end, event.salience))
    return line


def estimate_bpm(starts: list[float]) -> float:
    """The beat tempo of these onsets (seconds): MIN_BPM..MAX_BPM."""
    if len(starts) < 3:
        return PRIOR_BPM
    rate = 100.0  # onset train resolution, Hz
    origin = starts[0]
    length = int((starts[-1] - origin) * rate) + 64
    train = np.zeros(length)
    for start in starts:
        train[round((start - origin) * rate)] += 1.0
    kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.0) ** 2)  # sigma 20 ms
    train = np.convolve(train, kernel, mode="same")
    spectrum = np.fft.rfft(train, 2 * length)
    autocorrelation = np.fft.irfft(spectrum * np.conj(spectrum))[:length]
    autocorrelation /= autocorrelation[0] or 1.0

    def at(lag_s: float) -> float:
        position = lag_s * rate
        low = int(position)
        if low + 1 >= length:
            return 0.0
        fraction = position - low
        return float((1 - fraction) * autocorrelation[low] + fraction * autocorrelation[low + 1])

    best_bpm, best_score = PRIOR_BPM, -math.inf
    for bpm in np.arange(MIN_BPM, MAX_BPM + 0.25, 0.5):
        beat = 60.0 / bpm
        # A beat tempo is one whose beat, half beat and bar-ish multiples all recur.
        strength = at(beat) + 0.5 * at(2 * beat) + 0.25 * at(beat / 2) + 0.25 * at(4 * beat)
        prior = math.exp(-0.5 * (math.log2(bpm / PRIOR_BPM) / 0.9) ** 2)
        score = strength * prior
        if score > best_score:
            best_bpm, best_score = float(bpm), score
    return _refine(starts, best_bpm)


def _refine(starts: list[float], bpm: float) -> float:
    """Least-squares fit of the onsets to a 16th grid near `bpm` (twice)."""
    times = np.asarray(starts) - starts[0]
    for _ in range(2):
        step = 60.0 / bpm / 4
        slots = np.round(times / step)
        if np.ptp(slots) < 4:
            return bpm
        slope, _intercept = np.polyfit(slots, times, 1)
        if slope <= 0:
            return bpm
        refined = 60.0 / (4 * float(slope))
        if not MIN_BPM / 1.1 <= refined <= MAX_BPM * 1.1 or abs(refined / bpm - 1) > 0.08:
            return bpm
        bpm = refined
    return bpm


def to_ticks(line: list[NoteEvent], bpm: float, ppq: int) -> list[tuple[int, int, int]]:
    """The line on a 16th grid at `bpm`, the first note at tick 0: (pitch, start,
    duration) with no two notes on one start and none overlapping the next."""
    if not line:
        return []
    step_s = 60.0 / bpm / 4
    sixteenth = ppq // 4
    origin = line[0].start
    notes: list[tuple[int, int, int]] = []
    for event in line:
        start = round((event.start - origin) / step_s) * sixteenth
        length = max(1, round((event.end - event.start) / step_s)) * sixteenth
        if notes and start <= notes[-1][1]:
            continue
        if notes and notes[-1][1] + notes[-1][2] > start:
            previous = notes[-1]
            notes[-1] = (previous[0], previous[1], start - previous[1])
        notes.append((event.pitch, start, length))
    return notes
