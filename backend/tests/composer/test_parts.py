"""The `part` operation (composer.parts): one track written over the score's own chord
track, sections and meter, everything else left as it is."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ariaforge.composer.operations import ComposeRequest, OperationError
from ariaforge.composer.parts import idiom_of, write_part
from ariaforge.composer.plan import ChordEvent
from ariaforge.composer.run import Composition, compose
from ariaforge.composer.state import harmony_from_score
from ariaforge.music.score import ChordSymbol, Meter, MeterChange, Note, Role, Score, Track
from ariaforge.music.theory.chords import parse_chord_symbol

# Chords far from the song's C major (and a slash chord whose bass is its third): a bass
# that ignored the chord track would not land on these.
EDITED = ("Ab", "Db", "C/E", "F#m", "Bb7", "Eb", "A", "D")


@pytest.fixture(scope="module")
def song() -> Composition:
    return compose(ComposeRequest(prompt="a pop song in C major for piano, bass and drums",
                                  bars=16, seed=3))


def with_chords(score: Score, symbols: Sequence[str]) -> Score:
    chords = [ChordSymbol(tick=score.bar_start(bar), symbol=symbols[(bar - 1) % len(symbols)])
              for bar in range(1, score.bars + 1)]
    return score.model_copy(update={"chord_symbols": chords})


def emptied(score: Score, track_id: str) -> Score:
    return score.model_copy(update={"tracks": [
        t.model_copy(update={"notes": []}) if t.id == track_id else t for t in score.tracks]})


def track_of(score: Score, role: Role) -> Track:
    return next(t for t in score.tracks if t.role is role)


def part(score: Score, song: Composition, track: Track, **options: object) -> Score:
    request = ComposeRequest.model_validate({"operation": "part", "track_id": track.id,
                                             **options})
    return write_part(score, request, song.brief).score


def sounding_at(notes: Sequence[Note], tick: int) -> Note | None:
    started = [n for n in sorted(notes, key=lambda n: (n.start, n.pitch)) if n.start <= tick]
    return started[-1] if started else None


def chord_tone_share(notes: Sequence[Note], chords: Sequence[ChordEvent], grid: int) -> float:
    """The share of the notes starting on `grid` that are tones of the chord under them."""
    hits = [(n, next(c for c in chords if c.start <= n.start < c.end))
            for n in notes if n.start % grid == 0 and n.start < chords[-1].end]
    return sum(n.pitch % 12 in c.chord.tone_pitch_classes for n, c in hits) / len(hits)


@pytest.mark.parametrize("hint", ["", "walking", "busier", "simpler"])
def test_a_bass_part_follows_the_edited_chord_track(song: Composition, hint: str) -> None:
    edited = with_chords(song.score, EDITED)
    bass = track_of(edited, Role.BASS)
    result = part(edited, song, bass, prompt=hint)
    notes = result.track(bass.id).notes
    for symbol in edited.chord_symbols:
        heard = sounding_at(notes, symbol.tick)
        assert heard is not None, symbol
        assert heard.pitch % 12 == parse_chord_symbol(symbol.symbol).bass_pc, symbol
    # The song's own bass did not play these roots: the part was written for the edit.
    old = [sounding_at(bass.notes, s.tick) for s in edited.chord_symbols]
    assert sum(n is not None and n.pitch % 12 == parse_chord_symbol(s.symbol).bass_pc
               for n, s in zip(old, edited.chord_symbols, strict=True)) < len(old) // 2
    assert result.chord_symbols == edited.chord_symbols


def test_hints_change_how_busy_the_bass_is(song: Composition) -> None:
    edited = with_chords(song.score, EDITED)
    bass = track_of(edited, Role.BASS)
    counts = {hint: len(part(edited, song, bass, prompt=hint).track(bass.id).notes)
              for hint in ("simpler", "", "busier")}
    assert counts["simpler"] < counts[""] < counts["busier"], counts


def test_a_part_in_one_section_leaves_everything_else(song: Composition) -> None:
    edited = with_chords(song.score, EDITED)
    section = edited.sections[1]
    start, end = edited.bar_start(section.start_bar), edited.bar_start(section.end_bar)
    for track in edited.tracks:
        result = part(edited, song, track, section=1)
        for other in edited.tracks:
            if other.id != track.id:
                assert result.track(other.id) == other  # notes, ids, mix settings
        new = result.track(track.id).notes
        outside = [n for n in new if not start <= n.start < end]
        # Notes before the section keep their ids and pitches; one running into it is cut.
        assert [(n.id, n.pitch, n.start) for n in outside] == \
            [(n.id, n.pitch, n.start) for n in track.notes if not start <= n.start < end]
        assert all(n.end <= start for n in outside if n.start < start)
        inside = sorted((n.pitch, n.start) for n in new if start <= n.start < end)
        assert inside and inside != sorted((n.pitch, n.start) for n in track.notes
                                           if start <= n.start < end), track.name
        assert all(n.end <= end for n in new if start <= n.start < end)
        assert result.model_dump(exclude={"tracks"}) == edited.model_dump(exclude={"tracks"})


def test_an_empty_melody_track_gets_a_melody_over_its_chords(song: Composition) -> None:
    edited = with_chords(song.score, ("Am", "F", "C", "G"))
    melody = track_of(edited, Role.MELODY)
    result = part(emptied(edited, melody.id), song, melody)
    notes = result.track(melody.id).notes
    assert len(notes) >= edited.bars * 2
    chords = harmony_from_score(edited)
    bar = edited.bar_start(2)
    # Downbeats sit on chord tones, and the new line fits the edited chords better than
    # the tune written for the old ones does.
    assert chord_tone_share(notes, chords, bar) >= 0.8
    assert chord_tone_share(notes, chords, 480) > chord_tone_share(melody.notes, chords, 480)
    assert all(55 <= n.pitch <= 88 for n in notes)


def test_a_second_melody_track_plays_a_counter_line(song: Composition) -> None:
    flute = Track(id="flute", name="Flute", role=Role.MELODY, program=73)
    score = song.score.model_copy(update={"tracks": [*song.score.tracks, flute]})
    assert idiom_of(score, len(score.tracks) - 1) is Role.OTHER
    notes = part(score, song, flute).track("flute").notes
    tune = track_of(score, Role.MELODY).notes
    assert notes and [(n.pitch, n.start) for n in notes] != [(n.pitch, n.start) for n in tune]


def test_a_drum_track_gets_a_groove(song: Composition) -> None:
    drums = track_of(song.score, Role.DRUMS)
    result = part(emptied(song.score, drums.id), song, drums)
    notes = result.track(drums.id).notes
    assert all(35 <= n.pitch <= 81 for n in notes)
    for bar in range(1, song.score.bars + 1):
        start, end = song.score.bar_start(bar), song.score.bar_start(bar + 1)
        assert any(start <= n.start < end for n in notes), bar
    kicks = {song.score.bar_of(n.start) for n in notes if n.pitch in (35, 36)}
    assert len(kicks) >= song.score.bars - 1


def test_regenerating_a_part_gives_another_take(song: Composition) -> None:
    for track in song.score.tracks:
        new = part(song.score, song, track).track(track.id).notes
        assert sorted((n.pitch, n.start, n.duration) for n in new) != \
            sorted((n.pitch, n.start, n.duration) for n in track.notes), track.name


def test_a_score_without_a_chord_track_gets_one(song: Composition) -> None:
    bare = song.score.model_copy(update={"chord_symbols": []})
    bass = track_of(bare, Role.BASS)
    written = write_part(bare, ComposeRequest(operation="part", track_id=bass.id), song.brief)
    assert written.score.chord_symbols and any("chord track" in w for w in written.warnings)
    for symbol in written.score.chord_symbols:
        heard = sounding_at(written.track.notes, symbol.tick)
        assert heard is not None and \
            heard.pitch % 12 == parse_chord_symbol(symbol.symbol).bass_pc, symbol


def test_refusals(song: Composition) -> None:
    with pytest.raises(OperationError, match="no track"):
        write_part(song.score, ComposeRequest(operation="part", track_id="nope"))
    changed = song.score.model_copy(update={"meter_changes": [
        MeterChange(bar=5, meter=Meter(numerator=3, denominator=4))]})
    with pytest.raises(OperationError, match="meter"):
        write_part(changed, ComposeRequest(operation="part",
                                           track_id=song.score.tracks[0].id))
    unread = write_part(song.score, ComposeRequest(operation="part", prompt="purple",
                                                   track_id=song.score.tracks[1].id))
    assert any("not understood" in w for w in unread.warnings)
    assert unread.summary == f"part: {song.score.tracks[1].name} (purple)"
