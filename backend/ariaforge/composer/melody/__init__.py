"""The melody step: a lead line over the harmony, decoded note by note from the learned
rhythm and melody models (see `decode`), with the form's shape imposed on top:
cadences close sections (the piece ends long on the tonic, a half cadence on a tone of V),
and a section that repeats an earlier phrase re-uses that phrase's rhythm and contour,
refitted to its own chords, with light variation."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import Final

from ariaforge.composer.melody.decode import Decoder, Tone, pick_pitch, steps_of
from ariaforge.composer.model.evaluate import bar_hash, bar_signature
from ariaforge.composer.model.store import CopyCheck, load_copycheck, load_models
from ariaforge.composer.plan import Cadence, ChordEvent, Plan, SectionPlan, rng_for
from ariaforge.music.score import Note

__all__ = ["compose_melody", "resample_melody_bars", "vary_melody"]

ECHO_VARIATION: Final = 0.12  # share of a repeated phrase's notes that are re-chosen
APPROACH: Final = 0.35  # pull of the note before a cadence (or a kept note) towards it
VELOCITY: Final = {"2": 96, "1": 88, "0": 80}
COPY_RETRIES: Final = 4  # redraws of a bar that, with the bar before, copies a training tune


def compose_melody(plan: Plan, harmony: Sequence[ChordEvent],
                   register: tuple[int, int]) -> list[Note]:
    """A melody for every bar of the plan, inside `register` (inclusive MIDI range)."""
    decoder = Decoder(plan, harmony, _ordered(register), load_models())
    tones: list[Tone] = []
    firsts: dict[str, SectionPlan] = {}
    for section in plan.sections:
        rng = rng_for(plan.seed, "melody", section.phrase, section.occurrence)
        first = firsts.setdefault(section.phrase, section)
        for bar in range(section.start_bar, section.end_bar):
            echoed = None
            if first is not section and _can_echo(plan, section, first, bar):
                echoed = _echo_bar(decoder, rng, first, section, bar, tones)
                if _quotes(decoder, load_copycheck(), bar, tones, echoed):
                    echoed = None
            tones += echoed if echoed is not None else _original_bar(decoder, rng, bar, tones)
    return _notes(decoder, tones)


def resample_melody_bars(plan: Plan, harmony: Sequence[ChordEvent], notes: Sequence[Note],
                         bars: Collection[int], register: tuple[int, int],
                         attempt: int) -> list[Note]:
    """The melody with only `bars` (1-based) drawn afresh, joined to the notes around
    them; bars past the end of `notes` are new material. Other notes are kept as given."""
    decoder = Decoder(plan, harmony, _ordered(register), load_models())
    chosen = set(bars)
    kept = [n for n in notes if _bar_of(plan, n.start) not in chosen]
    tones = [Tone(n.pitch, n.start, n.duration) for n in kept]
    made: list[Tone] = []
    for bar in sorted(chosen):
        rng = rng_for(plan.seed, "melody-resample", attempt, bar)
        start = plan.bar_start(bar)
        before = sorted((t for t in tones + made if t.start < start), key=lambda t: t.start)
        after = [t for t in tones if t.start >= start + plan.bar_ticks]
        target = min(after, key=lambda t: t.start).pitch if after else None
        made += _original_bar(decoder, rng, bar, before, join=target)
    return sorted([*kept, *_notes(decoder, made)], key=lambda n: (n.start, n.pitch))


def vary_melody(plan: Plan, harmony: Sequence[ChordEvent], notes: Sequence[Note],
                bars: Collection[int], register: tuple[int, int],
                amount: float = 0.3) -> list[Note]:
    """A variation of `bars`: same rhythm and overall contour, about `amount` of the
    pitches moved to a neighbouring scale tone or another chord tone."""
    decoder = Decoder(plan, harmony, _ordered(register), load_models())
    chosen = set(bars)
    rng = rng_for(plan.seed, "vary", *sorted(chosen), round(amount, 3))
    ordered = sorted(notes, key=lambda n: (n.start, n.pitch))
    candidates = [i for i, n in enumerate(ordered) if _bar_of(plan, n.start) in chosen
                  and not _is_cadence_note(plan, ordered, i)]
    count = round(amount * len(candidates))
    if amount > 0 and candidates:
        count = max(1, count)
    changed = set(rng.sample(candidates, min(count, len(candidates))))
    result = []
    for index, note in enumerate(ordered):
        if index not in changed:
            result.append(note)
            continue
        previous = ordered[index - 1].pitch if index else note.pitch
        following = ordered[index + 1].pitch if index + 1 < len(ordered) else note.pitch
        pitch = _neighbour(decoder, rng, note, previous, following)
        result.append(note.model_copy(update={"pitch": pitch}))
    return result


# --- bars ---------------------------------------------------------------------------

def _original_bar(decoder: Decoder, rng: random.Random, bar: int, before: Sequence[Tone],
                  join: int | None = None) -> list[Tone]:
    """A bar from `_bar`, redrawn when it and the bar before it appear, in that order and
    at the same place in the bar, in a training tune: the models must not quote."""
    check = load_copycheck()
    tones = _bar(decoder, rng, bar, before, join)
    for _ in range(COPY_RETRIES):
        if not _quotes(decoder, check, bar, before, tones):
            break
        tones = _bar(decoder, rng, bar, before, join)
    return tones


def _quotes(decoder: Decoder, check: CopyCheck, bar: int, before: Sequence[Tone],
            tones: Sequence[Tone]) -> bool:
    plan = decoder.plan
    start = plan.bar_start(bar)
    previous = [t for t in before if start - plan.bar_ticks <= t.start < start]
    if not tones:
        return False
    this = _signature(decoder, tones)
    if previous and bar_hash(_signature(decoder, previous), this) in check.pairs:
        return True
    final = plan.bars
    if bar == final - 1 and _cadence_point(plan, final, final=True) == plan.bar_start(final):
        # The last bar will be one long tonic: this bar must not quote the way in to it.
        ending = bar_signature([(decoder.tonic, 0, plan.bar_ticks)], decoder.tonic)
        return bar_hash(this, ending) in check.pairs
    return False


def _signature(decoder: Decoder, tones: Sequence[Tone]) -> bytes:
    bar_ticks = decoder.plan.bar_ticks
    return bar_signature([(t.pitch, t.start % bar_ticks, t.duration) for t in tones],
                         decoder.tonic)


def _bar(decoder: Decoder, rng: random.Random, bar: int, before: Sequence[Tone],
         join: int | None = None) -> list[Tone]:
    """One bar drawn from the models, ending in a cadence where the plan puts one;
    `join` is a later pitch the bar's last note should lead to."""
    plan = decoder.plan
    bar_start = plan.bar_start(bar)
    end = bar_start + plan.bar_ticks
    begin = max(bar_start, before[-1].end if before else 0)
    if begin >= end:
        return []
    cadence = _cadence_of(plan, bar)
    energy = plan.bar_energy[min(bar, plan.bars) - 1] if plan.bars else 0.5
    history = [t.duration for t in before[-2:]]
    if cadence is None:
        rhythm = decoder.rhythm(rng, begin, end, energy, history)
    else:
        hold = _cadence_point(plan, bar, final=bar == plan.bars)
        rhythm = decoder.rhythm(rng, begin, hold, energy, history) if hold > begin else []
        rhythm.append((max(hold, begin), end - max(hold, begin)))
    pitches = [t.pitch for t in before]
    tones: list[Tone] = []
    for index, (onset, length) in enumerate(rhythm):
        last = index == len(rhythm) - 1
        target = _cadence_pitch(decoder, cadence, onset, pitches) if last else None
        if target is None:
            aim = join if last else _next_target(decoder, cadence, rhythm, index, pitches)
            pitch = _draw(decoder, rng, pitches, onset, aim)
        else:
            pitch = target
        pitches.append(pitch)
        tones.append(Tone(pitch, onset, length))
    return tones


def _draw(decoder: Decoder, rng: random.Random, pitches: list[int], onset: int,
          aim: int | None) -> int:
    if not pitches:
        return decoder.opening_pitch(rng, onset)
    weights = decoder.pitch_weights(pitches[-1], steps_of(pitches[-3:]), onset, pitches)
    if aim is not None:
        for pitch in weights:
            weights[pitch] *= 1.0 / (1.0 + APPROACH * abs(pitch - aim))
    return pick_pitch(weights, rng, decoder.nearest(pitches[-1], pitches[-1]))


def _next_target(decoder: Decoder, cadence: Cadence | None, rhythm: list[tuple[int, int]],
                 index: int, pitches: list[int]) -> int | None:
    """The cadence note's pitch when the next note is it, so the line leads there."""
    if cadence is None or index != len(rhythm) - 2 or not pitches:
        return None
    return _cadence_pitch(decoder, cadence, rhythm[-1][0], pitches)


def _cadence_of(plan: Plan, bar: int) -> Cadence | None:
    if bar == plan.bars:
        return Cadence.AUTHENTIC
    if bar > plan.bars:
        return None
    section = plan.section_at(bar)
    if bar != section.end_bar - 1 or section.cadence is Cadence.OPEN:
        return None
    return section.cadence


def _cadence_point(plan: Plan, bar: int, final: bool) -> int:
    """Where the cadence's long note starts: the downbeat of the piece's last bar
    (in bars of up to two beats, else the last beat pair), else the bar's middle beat."""
    start = plan.bar_start(bar)
    beats = plan.bar_ticks // plan.beat_ticks
    if final:
        return start if beats <= 4 else start + (beats - 2) * plan.beat_ticks
    return start + max(1, beats // 2) * plan.beat_ticks if beats >= 2 else start


def _cadence_pitch(decoder: Decoder, cadence: Cadence | None, onset: int,
                   pitches: list[int]) -> int | None:
    if cadence is None:
        return None
    reference = pitches[-1] if pitches else sum(decoder.register) // 2
    if cadence is Cadence.HALF:
        return decoder.nearest(0, reference, decoder.chord_pcs(onset))
    return decoder.nearest(decoder.tonic, reference)


# --- repeated phrases ---------------------------------------------------------------

def _can_echo(plan: Plan, section: SectionPlan, first: SectionPlan, bar: int) -> bool:
    offset = bar - section.start_bar
    source = first.start_bar + offset % first.bars
    if bar == plan.bars or source == plan.bars:
        return False
    return _cadence_of(plan, bar) == _cadence_of(plan, source)


def _echo_bar(decoder: Decoder, rng: random.Random, first: SectionPlan,
              section: SectionPlan, bar: int, tones: list[Tone]) -> list[Tone]:
    """The bar of the first occurrence at the same place, its rhythm kept and its pitches
    refitted to this bar's chords, a few of them re-chosen."""
    plan = decoder.plan
    source = first.start_bar + (bar - section.start_bar) % first.bars
    shift = plan.bar_start(bar) - plan.bar_start(source)
    end_of_previous = tones[-1].end if tones else 0
    pattern = [t for t in tones if plan.bar_start(source) <= t.start
               < plan.bar_start(source) + plan.bar_ticks]
    if not pattern or pattern[0].start + shift < end_of_previous:
        return _bar(decoder, rng, bar, tones)
    pitches = [t.pitch for t in tones]
    echoed: list[Tone] = []
    for tone in pattern:
        onset = tone.start + shift
        pitch = _refit(decoder, tone.pitch, tone.start, onset)
        if rng.random() < ECHO_VARIATION and pitches:
            weights = decoder.pitch_weights(pitches[-1], steps_of(pitches[-3:]), onset, pitches)
            near = {p: w for p, w in weights.items() if abs(p - pitch) <= 2}
            pitch = pick_pitch(near, rng, pitch)
        pitches.append(pitch)
        echoed.append(Tone(pitch, onset, tone.duration))
    return echoed


def _refit(decoder: Decoder, pitch: int, old_onset: int, new_onset: int) -> int:
    old, new = decoder.chord_pcs(old_onset), decoder.chord_pcs(new_onset)
    low, high = decoder.register
    if old == new and low <= pitch <= high:
        return pitch
    if pitch % 12 in old or decoder.beat(new_onset) != "0":
        return decoder.nearest(0, pitch, new)
    return decoder.nearest(0, pitch, decoder.scale)


# --- variation ----------------------------------------------------------------------

def _neighbour(decoder: Decoder, rng: random.Random, note: Note, previous: int,
               following: int) -> int:
    """A different pitch for `note`: another chord tone on a strong beat, else a scale
    neighbour, never further than a fourth from its neighbours' span."""
    chord = decoder.chord_pcs(note.start)
    strong = decoder.beat(note.start) != "0"
    low, high = decoder.register
    span_low, span_high = min(previous, following) - 5, max(previous, following) + 5
    options = [p for p in range(max(low, note.pitch - 4), min(high, note.pitch + 4) + 1)
               if p != note.pitch and span_low <= p <= span_high
               and (p % 12 in chord if strong else p % 12 in decoder.scale)]
    if not strong:
        options = [p for p in options if abs(p - note.pitch) <= 2] or options
    return rng.choice(options) if options else note.pitch


def _is_cadence_note(plan: Plan, notes: Sequence[Note], index: int) -> bool:
    note = notes[index]
    bar = _bar_of(plan, note.start)
    last_in_bar = index + 1 >= len(notes) or _bar_of(plan, notes[index + 1].start) != bar
    return last_in_bar and _cadence_of(plan, bar) is not None


# --- output -------------------------------------------------------------------------

def _notes(decoder: Decoder, tones: Sequence[Tone]) -> list[Note]:
    plan = decoder.plan
    notes = []
    for tone in tones:
        bar = min(max(1, _bar_of(plan, tone.start)), max(1, plan.bars))
        energy = plan.bar_energy[bar - 1] if plan.bar_energy else 0.5
        velocity = VELOCITY[decoder.beat(tone.start)] + round(16 * (energy - 0.5))
        notes.append(Note(id=f"mel-{tone.start}", pitch=tone.pitch, start=tone.start,
                          duration=tone.duration, velocity=max(1, min(127, velocity))))
    return notes


def _bar_of(plan: Plan, tick: int) -> int:
    return tick // plan.bar_ticks + 1


def _ordered(register: tuple[int, int]) -> tuple[int, int]:
    """The register low to high; a narrow one works too (fewer notes fit the chords)."""
    low, high = sorted(register)
    if not 0 <= low <= high <= 127:
        raise ValueError(f"a register is two MIDI pitches 0-127, got {register}")
    return low, high
