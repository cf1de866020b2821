"""Four-part writing for a choir (SATB), a string quartet or any four voices of one family:
the melody is the soprano; alto, tenor and bass are written together, one sonority a beat
in hymn-like styles (else on strong beats and chord changes), with a Bach chorale's voice
leading (`four_part_search`), then given passing eighths where a voice moves by a third,
about as often as Bach's do.

Entry points (the arrangement dispatch calls them per track):
- `is_four_part(ensemble)`: the band is a four-voice texture;
- `four_part_layout(ensemble)`: which tracks sing soprano, alto, tenor and bass;
- `four_part_voice(plan, harmony, melody, ensemble)`: the notes of this track's voice.
The three lower voices are computed once per (plan, harmony, melody) and kept, so the
alto, tenor and bass tracks read the same solution.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Final

from ariaforge.composer.arrange.chorale_costs import load_costs
from ariaforge.composer.arrange.countermelody import Tune
from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.four_part_passing import Line, add_passing_tones
from ariaforge.composer.arrange.four_part_search import Slot, cheapest_voicings
from ariaforge.composer.arrange.timing import (
    Density,
    Harmony,
    bars_of,
    beat_grid,
    density,
    fit,
    velocity,
)
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note, Role
from ariaforge.music.theory.pitch import pitch_class_of_name
from ariaforge.music.validation.ranges import instrument_range

__all__ = ["four_part_layout", "four_part_voice", "is_four_part"]

# Track names that say which voice a track sings (a choir's or a quartet's own parts).
_PART_NAMES: Final = {
    "soprano": 0, "alto": 1, "tenor": 2, "bass": 3, "baritone": 3,
    "violin i": 0, "violin 1": 0, "first violin": 0, "violin ii": 1, "violin 2": 1,
    "second violin": 1, "viola": 2, "cello": 3, "violoncello": 3,
}
# Four instruments of one of these families, melody + two chord parts + bass, are a
# four-part texture too (a brass or wind quartet); a mixed band is not.
_FAMILIES: Final = (frozenset(range(52, 55)), frozenset((*range(40, 46), *range(48, 52))),
                    frozenset(range(56, 64)), frozenset(range(64, 80)))
_VOICE_NAMES: Final = ("S", "A", "T", "B")
# Styles whose four parts move together beat by beat, as a hymn does; in the others (a
# string quartet playing a pop ballad) the lower voices change on strong beats and chords.
_HYMN_LIKE: Final = frozenset({Style.CHORALE, Style.CAROL, Style.GOSPEL, Style.CLASSICAL,
                               Style.BAROQUE, Style.FOLK, Style.CELTIC, Style.LULLABY,
                               Style.MARCH, Style.WALTZ})
_CHOIR: Final = frozenset(range(52, 55))
_NARROWEST: Final = 10  # semitones a voice's range keeps when an instrument narrows it
_VELOCITY: Final = 74
_CACHE_SIZE: Final = 8
_cache: OrderedDict[Hashable, dict[int, tuple[Line, ...]]] = OrderedDict()


def four_part_layout(ensemble: Ensemble) -> tuple[int, int, int, int] | None:
    """The indices of the soprano, alto, tenor and bass tracks, or None when the band is
    not four voices: named parts (Soprano... or Violin I, Violin II, Viola, Cello), or four
    pitched instruments of one family playing melody, two chord parts and bass."""
    instruments = ensemble.instruments
    named: dict[int, int] = {}
    for index, instrument in enumerate(instruments):
        voice = _PART_NAMES.get(instrument.name.strip().lower())
        if voice is not None and not instrument.is_drum and voice not in named:
            named[voice] = index
    if len(named) == 4:
        return named[0], named[1], named[2], named[3]
    pitched = [i for i, inst in enumerate(instruments) if not inst.is_drum]
    if len(pitched) != 4:
        return None
    by_role = {role: [i for i in pitched if instruments[i].role is role]
               for role in (Role.MELODY, Role.CHORDS, Role.BASS)}
    if [len(by_role[r]) for r in (Role.MELODY, Role.CHORDS, Role.BASS)] != [1, 2, 1]:
        return None
    programs = {instruments[i].program for i in pitched}
    if not any(programs <= family for family in _FAMILIES):
        return None
    # The higher-reaching chord instrument sings alto (order breaks a tie).
    alto, tenor = sorted(by_role[Role.CHORDS],
                         key=lambda i: (-instrument_range(instruments[i].program)[1], i))
    return by_role[Role.MELODY][0], alto, tenor, by_role[Role.BASS][0]


def is_four_part(ensemble: Ensemble) -> bool:
    """The band is a four-voice texture (SATB choir, string quartet, one family's four
    parts): its lower three voices are written together by `four_part_voice`."""
    return four_part_layout(ensemble) is not None


def four_part_voice(plan: Plan, harmony: Harmony | Sequence[ChordEvent],
                    melody: Sequence[Note], ensemble: Ensemble) -> list[Note]:
    """The notes of the track at `ensemble.index`: the melody itself for the soprano, else
    its voice (alto, tenor or bass) of the four-part setting of the melody."""
    layout = four_part_layout(ensemble)
    if layout is None or ensemble.index not in layout:
        raise ValueError("not a voice of a four-part ensemble")
    voice = layout.index(ensemble.index)
    if voice == 0:
        return [Note(pitch=n.pitch, start=n.start, duration=n.duration, velocity=n.velocity)
                for n in melody]
    chords = harmony if isinstance(harmony, Harmony) else Harmony(harmony)
    ranges = _ranges(ensemble, layout)
    key = _cache_key(plan, chords, melody, ranges)
    lines = _cache.get(key)
    if lines is None:
        lines = _write(plan, chords, melody, ranges)
        _cache[key] = lines
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    notes = [Note(pitch=pitch, start=start, duration=end - start,
                  velocity=velocity(plan, plan.bar_of(start), _VELOCITY))
             for pitch, start, end in lines[voice]]
    return fit(notes, plan.total_ticks)


def _ranges(ensemble: Ensemble, layout: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """Alto, tenor and bass: Bach's usual range for the voice, narrowed to an
    instrument's own range (a choir keeps the singers' ranges)."""
    learned = load_costs().ranges
    ranges = []
    for voice, index in zip(_VOICE_NAMES[1:], layout[1:], strict=True):
        low, high = learned[voice]
        program = ensemble.instruments[index].program
        if program not in _CHOIR:
            floor, top, _ = instrument_range(program)
            if min(high, top) - max(low, floor) >= _NARROWEST:
                low, high = max(low, floor), min(high, top)
            elif low < floor:
                low, high = floor, floor + (high - low)
            else:
                low, high = top - (high - low), top
        ranges.append((low, high))
    return tuple(ranges)


def _cache_key(plan: Plan, chords: Harmony, melody: Sequence[Note],
               ranges: tuple[tuple[int, int], ...]) -> Hashable:
    return (plan.seed, plan.style, plan.key.tonic, plan.key.mode, str(plan.meter),
            plan.bar_energy, tuple((s.start_bar, s.bars) for s in plan.sections), ranges,
            tuple((e.start, e.duration, e.chord) for e in chords.events),
            tuple((n.pitch, n.start, n.duration) for n in melody))


def _slots(plan: Plan, chords: Harmony, tune: Tune) -> tuple[list[Slot], list[int]]:
    """One sonority a beat in hymn-like styles (strong beats in a quiet bar or another
    style, one chord in the last bar) and at every chord change; with the index of the
    chord each one voices."""
    ticks = {e.start for e in chords.events}
    cadences: set[int] = set()
    beats = beat_grid(plan.meter)
    for info in bars_of(plan):
        start = plan.bar_start(info.bar)
        if info.last_of_section:
            cadences.add(info.bar)
        sparse = density(plan, info.bar) is Density.SPARSE or plan.style not in _HYMN_LIKE
        ticks.update(start + b.offset for b in beats
                     if not info.final and (b.strong or not sparse))
    ordered = sorted(t for t in ticks if t < plan.total_ticks)
    slots: list[Slot] = []
    events: list[int] = []
    for index, tick in enumerate(ordered):
        at = chords.index_at(tick)
        if at is None:
            continue
        event = chords.events[at]
        following = ordered[index + 1] if index + 1 < len(ordered) else plan.total_ticks
        end = min(following, event.end)
        soprano, coming = tune.at(tick), tune.next_pitch(tick)
        leaving = tune.at(end - 1)
        slots.append(Slot(tick, end, event.chord, soprano, plan.bar_of(tick) in cadences,
                          coming if soprano is None else soprano,
                          tune.next_pitch(end) if leaving is None else leaving,
                          tune.lowest(tick, end) if soprano is not None else coming))
        events.append(at)
    return slots, events


def _write(plan: Plan, chords: Harmony, melody: Sequence[Note],
           ranges: tuple[tuple[int, int], ...]) -> dict[int, tuple[Line, ...]]:
    tune = Tune(melody)
    slots, events = _slots(plan, chords, tune)
    leading = (pitch_class_of_name(plan.key.tonic) - 1) % 12
    voicings = cheapest_voicings(slots, ranges, leading)
    lines = {voice: [(v[voice - 1], s.tick, s.end) for v, s in zip(voicings, slots,
                                                                      strict=True)]
             for voice in (1, 2, 3)}
    lines = add_passing_tones(plan, slots, lines, tune.at)
    return {voice: _tied(line, slots, events) for voice, line in lines.items()}


def _tied(line: Sequence[Line], slots: Sequence[Slot], events: Sequence[int]
          ) -> tuple[Line, ...]:
    """A voice that keeps its pitch within one chord holds it instead of singing it
    again; a new chord sings it again."""
    chord_at = {s.tick: e for s, e in zip(slots, events, strict=True)}
    out: list[Line] = []
    for pitch, start, end in line:
        if out and out[-1][0] == pitch and out[-1][2] == start and start in chord_at \
                and chord_at.get(out[-1][1]) == chord_at[start]:
            out[-1] = (pitch, out[-1][1], end)
        else:
            out.append((pitch, start, end))
    return tuple(out)
