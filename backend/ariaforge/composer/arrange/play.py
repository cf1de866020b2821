"""Plays a `figures.Figure` over the harmony: every step of every felt beat becomes notes,
the bass led smoothly from one chord's bass note to the next, arpeggios walked over a
ladder of the chord's tones, chords taken from voicings already led one to the next
(`comping.Comper`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ariaforge.composer.arrange.comping import MelodyFloor
from ariaforge.composer.arrange.figures import Figure, Kind, Ladder
from ariaforge.composer.arrange.timing import (
    Harmony,
    bars_of,
    beat_grid,
    fit,
    nearest_pitch,
    offset_in_beat,
    velocity,
)
from ariaforge.composer.arrange.voicing import Chord
from ariaforge.composer.plan import Plan, rng_for
from ariaforge.composer.styles import StyleKit
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Note
from ariaforge.music.theory import chords

__all__ = ["Hands", "play_figure"]

_ROLL = PPQ // 24  # how far apart a rolled chord's tones start
_BASS_KINDS = (Kind.BASS, Kind.FIFTH, Kind.TENTH)
_BOOGIE_STEPS = (7, 9, 10)  # fifth, sixth and flat seventh above the root
# Heavy distortion turns a third into mud: metal rings its power chords bare.
_NO_THIRDS = frozenset({Style.METAL})


@dataclass(frozen=True)
class Hands:
    """Where the figure's notes go. `bass` is None when a bassist has the bass notes (the
    figure's bass steps are left out); `ladder` is where an arpeggio's or a power chord's
    root sits; `voicings` holds one led voicing per harmony event (empty when the figure
    plays no chords)."""

    bass: tuple[int, int] | None
    ladder: tuple[int, int]
    voicings: Sequence[Chord]
    velocity: int
    final_chord: bool = True  # the last bar holds the chord (not just the bass)
    melody: Sequence[Note] = ()  # arpeggio tones drop an octave rather than reach it


def _tone(chord: chords.Chord, degree: int, default: int) -> int:
    """The pitch class of the chord's `degree` (3 = its third or sus tone, 5 = its fifth)."""
    wanted = (3, 2, 4) if degree == 3 else (degree,)
    for semis, found in chord.info.tones:
        if found in wanted:
            return (chord.root_pc + semis) % 12
    return (chord.root_pc + default) % 12


def _above(pc: int, pitch: int) -> int:
    """The lowest pitch of `pc` above `pitch`."""
    return pitch + ((pc - pitch) % 12 or 12)


def ladder(chord: chords.Chord, bottom: int, kind: Ladder) -> Chord:
    """The tones an arpeggio walks, from `bottom` (a pitch of the chord's bass) upward."""
    third, fifth = _tone(chord, 3, 4), _tone(chord, 5, 7)
    if kind is Ladder.WIDE:  # root, fifth, octave, tenth, twelfth
        up = _above(fifth, bottom)
        return bottom, up, bottom + 12, _above(third, bottom + 12), up + 12
    if kind is Ladder.BOOGIE:
        return (bottom, bottom + (third - chord.root_pc) % 12,
                *(bottom + step for step in _BOOGIE_STEPS))
    stack = [bottom]
    for pc in chord.tone_pitch_classes[1:4]:
        if pc != bottom % 12:
            stack.append(_above(pc, stack[-1]))
    if len(stack) < 4:
        stack.append(bottom + 12)
    return tuple(stack)


class _Player:
    """The running state of a part: the last bass note and arpeggio root, so each next
    one is the nearest."""

    def __init__(self, hands: Hands, harmony: Harmony, figure: Figure) -> None:
        self.hands, self.harmony, self.figure = hands, harmony, figure
        low, high = hands.bass or hands.ladder
        self.bass = (low + high) // 2 - 2
        low, high = hands.ladder
        self.root = (low + high) // 2
        self.ladders: dict[int, Chord] = {}

    def bass_note(self, pc: int) -> int:
        low, high = self.hands.bass or self.hands.ladder
        self.bass = nearest_pitch(pc, self.bass, low, high)
        return self.bass

    def ladder_of(self, index: int) -> Chord:
        if index not in self.ladders:
            chord = self.harmony.events[index].chord
            low, high = self.hands.ladder
            self.root = nearest_pitch(chord.bass_pc, self.root, low, high)
            self.ladders[index] = ladder(chord, self.root, self.figure.ladder)
        return self.ladders[index]

    def pitches(self, kind: Kind, index: int, nth: int) -> Chord:
        chord = self.harmony.events[index].chord
        if kind is Kind.BASS:
            return (self.bass_note(chord.bass_pc),)
        if kind is Kind.FIFTH:
            return (self.bass_note(_tone(chord, 5, 7)),)
        if kind is Kind.TENTH:
            low = self.bass_note(chord.bass_pc)
            return low, _above(_tone(chord, 3, 4), low + 12)
        if kind is Kind.TONE:
            tones = self.ladder_of(index)
            return (tones[self.figure.cycle[nth % len(self.figure.cycle)] % len(tones)],)
        if kind is Kind.POWER:
            root = self.ladder_of(index)[0]
            return root, root + 7, root + 12
        if kind is Kind.RING:
            root = self.ladder_of(index)[0]
            third = (_tone(chord, 3, 0) - chord.root_pc) % 12
            return (root, root + 7, root + 12) + ((root + 12 + third,) if third else ())
        voicing = self.hands.voicings[index]
        return voicing[1:] if kind is Kind.UPPER and len(voicing) > 2 else voicing


def play_figure(plan: Plan, kit: StyleKit, harmony: Harmony, figure: Figure, hands: Hands,
                part: str) -> list[Note]:
    """The notes of `figure` over every bar; `part` names the randomness it draws."""
    player = _Player(hands, harmony, figure)
    tune = MelodyFloor(hands.melody)
    swing = kit.swing_ratio if plan.swing else None
    beats = beat_grid(plan.meter)
    notes: list[Note] = []
    tones_played: dict[int, int] = {}  # harmony event -> arpeggio tones so far
    for info in bars_of(plan):
        start = plan.bar_start(info.bar)
        jitter = rng_for(plan.seed, part, info.section.phrase, info.section.occurrence,
                         info.index)
        if info.final:
            notes += _final(player, harmony, start, plan, hands)
            continue
        for number, beat in enumerate(beats):
            for step in figure.steps(number, beat.strong):
                if hands.bass is None and step.kind in _BASS_KINDS:
                    continue
                tick = start + beat.offset + offset_in_beat(beat, step.at, swing)
                index = harmony.index_at(tick)
                if index is None:
                    continue
                nth = tones_played.get(index, 0)
                tones_played[index] = nth + (step.kind is Kind.TONE)
                end = min(tick + max(1, int(step.length * beat.length)),
                          harmony.events[index].end, plan.total_ticks)
                loud = velocity(plan, info.bar, hands.velocity + step.accent
                                + (4 if step.at == 0 and beat.strong else 0),
                                jitter.randint(-3, 3))
                rolled = figure.roll and step.kind is Kind.CHORD
                kind = Kind.POWER if step.kind is Kind.RING and plan.style in _NO_THIRDS \
                    else step.kind
                pitches = player.pitches(kind, index, nth)
                if step.kind is Kind.TONE:
                    pitches = _under(pitches, tune.under(tick, end), hands.ladder[0])
                for order, pitch in enumerate(pitches):
                    onset = tick + (order * _ROLL if rolled else 0)
                    if end > onset:
                        notes.append(Note(pitch=pitch, start=onset, duration=end - onset,
                                          velocity=loud))
    return fit(notes, plan.total_ticks)


def _under(pitches: Chord, melody_low: int | None, lowest: int) -> Chord:
    """An arpeggio tone an octave down where it would meet the melody (the hands would
    cross), unless that sinks it under the figure's own bottom."""
    if melody_low is None:
        return pitches
    return tuple(p - 12 if p >= melody_low and p - 12 >= lowest else p for p in pitches)


def _final(player: _Player, harmony: Harmony, start: int, plan: Plan, hands: Hands
           ) -> list[Note]:
    """The last bar: the bass note and the final chord, struck once and held."""
    index = harmony.index_at(start)
    if index is None:
        return []
    pitches: list[int] = []
    if hands.bass is not None:
        pitches.append(player.pitches(Kind.BASS, index, 0)[0])
    if hands.final_chord and hands.voicings:
        pitches += hands.voicings[index]
    elif hands.final_chord and player.figure.plays(Kind.POWER):
        pitches += player.pitches(Kind.POWER, index, 0)
    elif hands.final_chord:
        pitches += player.ladder_of(index)[:4]
    loud = velocity(plan, plan.bars, hands.velocity)
    return [Note(pitch=p, start=start, duration=plan.total_ticks - start, velocity=loud)
            for p in sorted(set(pitches))]
