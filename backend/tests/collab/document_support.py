"""Scores, mixes and Yjs peers for the document and gate tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pycrdt import Doc, Map

from ariaforge.audio.options import (
    CompressorEffect,
    EqEffect,
    MasterSettings,
    MixSettings,
    ReverbEffect,
    TrackMix,
)
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.music.score import (
    ChordSymbol,
    Key,
    Meter,
    MeterChange,
    Mode,
    Note,
    Score,
    Section,
    TempoChange,
    Track,
)


@cache
def composed() -> Score:
    """A real song from the composer: melody, chords, bass, drums, sections, chords."""
    return compose(ComposeRequest(prompt="a jazz tune in Bb with drums", seed=3, bars=16)).score


def rich_score() -> Score:
    """The composed song plus every kind of event: tempo and meter changes, section keys,
    track colours, mute and solo."""
    score = composed()
    tracks = [track.model_copy(update={"colour": "#12abEF", "mute": True})
              if index == 1 else track for index, track in enumerate(score.tracks)]
    tracks[0] = tracks[0].model_copy(update={"solo": True, "pan": -20, "volume": 90})
    sections = [section.model_copy(update={"key": Key(tonic="F#", mode=Mode.DORIAN)})
                if index == 1 else section for index, section in enumerate(score.sections)]
    return Score.model_validate({**score.model_dump(), **{
        "tempo": 97.5,
        "tempo_changes": [TempoChange(tick=1920, bpm=101.25), TempoChange(tick=7680, bpm=90.0)],
        "meter_changes": [MeterChange(bar=9, meter=Meter(numerator=5, denominator=4))],
        "sections": sections, "tracks": tracks,
        "chord_symbols": sorted([*score.chord_symbols, ChordSymbol(tick=1, symbol="E7/G#")],
                                key=lambda chord: chord.tick),
    }})


def rich_mix(score: Score) -> MixSettings:
    first, last = score.tracks[0].id, score.tracks[-1].id
    return MixSettings(
        master=MasterSettings(gain_db=-2.5, limiter=False, ceiling_dbtp=-0.3),
        tracks={first: TrackMix(gain_db=-3.0, fx=[ReverbEffect(room_size=0.7),
                                                  CompressorEffect(ratio=2.5)]),
                last: TrackMix(fx=[EqEffect(peak_hz=1000.0, peak_gain_db=3.0)])})


def small_score() -> Score:
    """Two bars, one piano track of four notes and an empty drum track."""
    notes = [Note(id=f"n{i}", pitch=60 + i, start=i * 480, duration=480) for i in range(4)]
    return Score(bars=2, sections=[Section(name="A", start_bar=1, bars=2)], tracks=[
        Track(id="piano", name="Piano", role="melody", notes=notes),
        Track(id="drums", name="Drums", role="drums", is_drum=True)])


def peer(source: Doc[Any]) -> Doc[Any]:
    """A Yjs peer synced with `source`."""
    doc: Doc[Any] = Doc()
    doc.apply_update(source.get_update())
    return doc


def change(doc: Doc[Any], edit: Callable[[Doc[Any]], Any]) -> bytes:
    """Run `edit` on `doc` in one transaction; the update it made."""
    before = doc.get_state()
    with doc.transaction():
        edit(doc)
    return doc.get_update(before)


def tracks(doc: Doc[Any]) -> Map[Any]:
    root: Map[Any] = doc.get("tracks", type=Map)
    return root


def set_field(track_id: str, note_id: str, key: str, value: Any, doc: Doc[Any]) -> None:
    note_map(doc, track_id, note_id)[key] = value


def note_map(doc: Doc[Any], track_id: str, note_id: str) -> Map[Any]:
    note: Map[Any] = tracks(doc)[track_id]["notes"][note_id]
    return note
