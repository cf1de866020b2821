"""Score edits that return a new Score: transpose, quantize, slice and merge bars, sections.

Nothing here mutates its input: callers keep the old score for the version history.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from pydantic import ValidationError

from ariaforge.music.score import (
    ChordSymbol,
    Key,
    MeterChange,
    Note,
    Score,
    Section,
    TempoChange,
    Track,
    new_id,
)
from ariaforge.music.section_keys import KeyMap, keys_by_bar
from ariaforge.music.theory.scales import conventional_key, scale_pitch_classes, tonic_pc

_NoteMap = Callable[[Note], Note | None]


class TransformError(ValueError):
    """The edit cannot be applied (e.g. a pitch would leave 0-127)."""


def _valid(score: Score | dict[str, object]) -> Score:
    """Edits build their result from copies, which skip validation; check it once at the
    end, so an edit can never produce a score that breaks a limit (music.bounds) and then
    a reader."""
    data = score.model_dump() if isinstance(score, Score) else score
    try:
        return Score.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise TransformError("the edited score is not valid: "
                             + (f"{where}: {message}" if where else message)) from None


def _map_notes(score: Score, change: _NoteMap,
               track_ids: Collection[str] | None = None) -> Score:
    tracks = []
    for track in score.tracks:
        if track_ids is not None and track.id not in track_ids:
            tracks.append(track)
            continue
        notes = [mapped for note in track.notes if (mapped := change(note)) is not None]
        tracks.append(track.model_copy(update={"notes": notes}))
    return _valid(score.model_copy(update={"tracks": tracks}))


def _checked_pitch(pitch: int) -> int:
    if not 0 <= pitch <= 127:
        raise TransformError(f"transposing would move a note to MIDI pitch {pitch}, "
                             "outside 0-127")
    return pitch


def transpose_chromatic(score: Score, semitones: int,
                        track_ids: Collection[str] | None = None) -> Score:
    """Shift pitched notes by semitones; drum tracks keep their (instrument) pitches.

    The key moves with the music when every pitched track moves.
    """
    pitched = {t.id for t in score.tracks if not t.is_drum}
    targets = pitched if track_ids is None else pitched & set(track_ids)
    moved = _map_notes(score, lambda n: n.model_copy(
        update={"pitch": _checked_pitch(n.pitch + semitones)}), targets)
    if targets == pitched and semitones % 12:
        # Only keys change here (the home key and each section's own, so a modulated
        # chorus moves with its notes); the key limit counts distinct keys, which moving
        # all of them by one interval keeps.
        sections = [s if s.key is None else s.model_copy(
            update={"key": _transposed_key(s.key, semitones)}) for s in score.sections]
        moved = moved.model_copy(update={"key": _transposed_key(score.key, semitones),
                                         "sections": sections})
    return moved


def _transposed_key(key: Key, semitones: int) -> Key:
    return conventional_key((tonic_pc(key) + semitones) % 12, key.mode)


def transpose_diatonic(score: Score, steps: int,
                       track_ids: Collection[str] | None = None) -> Score:
    """Move pitched notes by scale steps within the key in force where each note starts
    (C→E is +2 in C major; in a chorus in E major, E→G# is +2).

    Notes outside the scale keep their distance to the scale note below them, so
    chromatic passing notes stay chromatic.
    """
    keys = KeyMap.of(score)
    scales: dict[tuple[str, str], tuple[int, list[int]]] = {}
    pitched = {t.id for t in score.tracks if not t.is_drum}
    targets = pitched if track_ids is None else pitched & set(track_ids)

    def scale_of(key: Key) -> tuple[int, list[int]]:
        """The key's tonic pitch class and its degrees as semitones above it."""
        found = scales.get((key.tonic, key.mode))
        if found is None:
            scale = scale_pitch_classes(key)
            found = scales[(key.tonic, key.mode)] = (
                scale[0], [(pc - scale[0]) % 12 for pc in scale])  # 0 = tonic, ascending
        return found

    def shift(note: Note) -> Note:
        tonic, intervals = scale_of(keys.at(note.start))
        above_tonic = (note.pitch - tonic) % 12
        degree = max(d for d in range(7) if intervals[d] <= above_tonic)
        chromatic = above_tonic - intervals[degree]
        tonic_below = note.pitch - above_tonic
        octaves, new_degree = divmod(degree + steps, 7)
        pitch = tonic_below + 12 * octaves + intervals[new_degree] + chromatic
        return note.model_copy(update={"pitch": _checked_pitch(pitch)})

    return _map_notes(score, shift, targets)


def quantize(score: Score, grid: int, *, strength: float = 1.0, durations: bool = False,
             track_ids: Collection[str] | None = None) -> Score:
    """Pull note starts (and optionally ends) toward the nearest multiple of `grid` ticks.

    `strength` 1.0 snaps fully, 0.5 moves halfway. Durations never drop below one tick.
    """
    if grid <= 0:
        raise TransformError("the grid must be a positive number of ticks")
    if not 0.0 <= strength <= 1.0:
        raise TransformError("strength must be between 0 and 1")

    def toward(tick: int) -> int:
        target = round(tick / grid) * grid
        return round(tick + (target - tick) * strength)

    def snap(note: Note) -> Note:
        start = toward(note.start)
        end = toward(note.end) if durations else start + note.duration
        return note.model_copy(update={"start": start, "duration": max(1, end - start)})

    return _map_notes(score, snap, track_ids)


def slice_bars(score: Score, first_bar: int, last_bar: int) -> Score:
    """Bars first_bar..last_bar (inclusive) as a score of their own, starting at bar 1.

    Notes that begin inside the range are kept (cut at its end); notes that began before
    it are not, as a player would not restart them.
    """
    if not 1 <= first_bar <= last_bar <= score.bars:
        raise TransformError(f"bars {first_bar}-{last_bar} are not within 1-{score.bars}")
    start, end = score.bar_start(first_bar), score.bar_start(last_bar + 1)

    def inside(note: Note) -> Note | None:
        if not start <= note.start < end:
            return None
        return note.model_copy(update={"start": note.start - start,
                                       "duration": min(note.end, end) - note.start})

    sliced = _map_notes(score, inside)
    # Clips that start inside the range move with it, like notes; the others are left out.
    tracks = [track.model_copy(update={"clips": [
        clip.model_copy(update={"start": clip.start - start})
        for clip in track.clips if start <= clip.start < end]}) if track.clips else track
        for track in sliced.tracks]
    return _valid(sliced.model_copy(update={
        "tracks": tracks,
        "bars": last_bar - first_bar + 1,
        "meter": score.meter_at_bar(first_bar),
        "meter_changes": [MeterChange(bar=c.bar - first_bar + 1, meter=c.meter)
                          for c in score.meter_changes if first_bar < c.bar <= last_bar],
        "tempo": score.tempo_at(start),
        "tempo_changes": [TempoChange(tick=c.tick - start, bpm=c.bpm)
                          for c in score.tempo_changes if start < c.tick < end],
        # The slice's home key is the key in force where it starts (a slice of an E major
        # chorus is in E major), as the engraved page header already says.
        "key": KeyMap.of(score).at(start),
        "sections": _sections_within(score, first_bar, last_bar),
        "chord_symbols": [ChordSymbol(tick=c.tick - start, symbol=c.symbol)
                          for c in score.chord_symbols_between(start, end)],
    }))


def _sections_within(score: Score, first_bar: int, last_bar: int) -> list[Section]:
    """The sections over first_bar..last_bar, renumbered from bar 1, each with its own key.

    The slice's home key is the key at `first_bar`, and cutting sections can change which
    one is innermost; wherever the bars would then read in another key than in `score`,
    a section named for the key restores it (e.g. the home-key bars after a chorus)."""
    kept = []
    for section in score.sections:
        begin, finish = max(section.start_bar, first_bar), min(section.end_bar, last_bar + 1)
        if begin < finish:
            kept.append(Section(name=section.name, start_bar=begin - first_bar + 1,
                                bars=finish - begin, key=section.key))
    wanted = keys_by_bar(score)[first_bar - 1:last_bar]
    home = wanted[0]
    trial = Score.model_construct(key=home, bars=len(wanted), sections=kept)
    found = keys_by_bar(trial)
    # Patches split at every section boundary, so each one starts no earlier and ends no
    # later than any section around it and so is the innermost there.
    cuts = {1, len(wanted) + 1} | {s.start_bar for s in kept} | {s.end_bar for s in kept}
    patches: list[Section] = []
    for bar in range(1, len(wanted) + 1):
        if found[bar - 1] == wanted[bar - 1]:
            continue
        key = wanted[bar - 1]
        last = patches[-1] if patches else None
        if last is not None and last.end_bar == bar and last.key == key and bar not in cuts:
            patches[-1] = last.model_copy(update={"bars": last.bars + 1})
        else:
            patches.append(Section(name=f"in {key.tonic} {key.mode}", start_bar=bar, bars=1,
                                   key=key))
    return kept + patches


def section_view(score: Score, name: str) -> Score:
    """The bars of one named section as a score of their own."""
    try:
        section = score.section(name)
    except KeyError:
        raise TransformError(f"no section named {name!r}") from None
    last = min(section.end_bar - 1, score.bars)
    return slice_bars(score, section.start_bar, last)


def append_bars(score: Score, other: Score) -> Score:
    """`other` played after `score`: tracks are matched by id, new ones are added.

    Notes of `other` get fresh ids when they would clash, so the result stays valid.
    """
    offset = score.end_tick
    first_new_bar = score.bars + 1
    taken = {note.id for _, note in score.all_notes()}
    tracks = {track.id: track.model_copy(update={"notes": list(track.notes)})
              for track in score.tracks}
    for track in other.tracks:
        moved = [_shifted(note, offset, taken) for note in track.notes]
        held = {clip.id for clip in tracks[track.id].clips} if track.id in tracks else set()
        clips = [clip.model_copy(update={"start": clip.start + offset, "id": clip.id
                                         if clip.id not in held else new_id()})
                 for clip in track.clips]
        if track.id in tracks:
            tracks[track.id].notes.extend(moved)
            if clips:
                tracks[track.id] = tracks[track.id].model_copy(update={
                    "clips": [*tracks[track.id].clips, *clips]})
        else:
            tracks[track.id] = track.model_copy(update={"notes": moved, "clips": clips})
    meter_changes = list(score.meter_changes)
    if other.meter != score.meter_at_bar(score.bars):
        meter_changes.append(MeterChange(bar=first_new_bar, meter=other.meter))
    meter_changes += [MeterChange(bar=c.bar + score.bars, meter=c.meter)
                      for c in other.meter_changes]
    tempo_changes = list(score.tempo_changes)
    if other.tempo != score.tempo_at(offset):
        tempo_changes.append(TempoChange(tick=offset, bpm=other.tempo))
    tempo_changes += [TempoChange(tick=c.tick + offset, bpm=c.bpm)
                      for c in other.tempo_changes if c.tick > 0]
    return _valid({
        **score.model_dump(),
        "bars": score.bars + other.bars,
        "tracks": [t.model_dump() for t in tracks.values()],
        "meter_changes": [c.model_dump() for c in meter_changes],
        "tempo_changes": [c.model_dump() for c in tempo_changes],
        "sections": [s.model_dump() for s in score.sections] + [
            {**s.model_dump(), "start_bar": s.start_bar + score.bars} for s in other.sections],
        "chord_symbols": [c.model_dump() for c in score.chord_symbols] + [
            {"tick": c.tick + offset, "symbol": c.symbol} for c in other.chord_symbols],
    })


def _shifted(note: Note, offset: int, taken: set[str]) -> Note:
    update: dict[str, object] = {"start": note.start + offset}
    if note.id in taken:
        update["id"] = Note(pitch=note.pitch, start=0, duration=1).id
    taken.add(str(update.get("id", note.id)))
    return note.model_copy(update=update)


def tracks_by_id(score: Score) -> dict[str, Track]:
    return {track.id: track for track in score.tracks}
