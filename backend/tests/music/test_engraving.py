"""Engraving: pages as runs of bars, each page's MusicXML, the page cache, and Verovio
engraving the notation (grand staff, percussion staff, beams, triplets) into SVG.

Verovio is also exercised through the API in tests/scores/test_notation_api.py.
"""

from __future__ import annotations

import re

from defusedxml.ElementTree import fromstring

from ariaforge.music import engraving
from ariaforge.music.engraving import Page, PageCache, PageSpan
from ariaforge.music.score import Key, Meter, MeterChange, Mode, Note, Score, TempoChange, Track


def piece(bars: int = 64, staves: int = 3) -> Score:
    """A whole note in every bar of every staff."""
    return Score(bars=bars, tracks=[
        Track(id=f"t{staff}", name=f"Staff {staff}",
              notes=[Note(pitch=60 + staff, start=bar * 1920, duration=1920)
                     for bar in range(bars)])
        for staff in range(staves)])


def test_a_page_holds_fewer_bars_the_more_staves() -> None:
    assert engraving.bars_per_page(1) == engraving.MAX_BARS_PER_PAGE
    assert engraving.bars_per_page(3) == 13
    assert engraving.bars_per_page(40) == engraving.bars_per_page(80) == 1


def test_pages_are_runs_of_bars_numbered_as_in_the_piece() -> None:
    score = piece(bars=64, staves=3)  # 13 bars a page: 5 pages, the last of 12 bars
    assert engraving.page_count(score) == 5
    assert engraving.page_span(score, 1) == PageSpan(page=1, count=5, first=1, last=13)
    assert engraving.page_span(score, 2) == PageSpan(page=2, count=5, first=14, last=26)
    assert engraving.page_span(score, 5) == PageSpan(page=5, count=5, first=53, last=64)
    assert engraving.page_span(score, 0) is None
    assert engraving.page_span(score, 6) is None


def test_a_note_ringing_past_the_last_bar_gets_a_bar_of_its_own() -> None:
    score = Score(bars=2, tracks=[Track(id="t", name="Horn", notes=[
        Note(pitch=60, start=1920, duration=3 * 1920)])])  # bars 2-4 of a 2-bar score
    assert engraving.written_bars(score) == 4
    assert engraving.written_bars(Score(bars=3, tracks=[Track(id="t", name="Horn")])) == 3


def test_a_page_is_cut_from_the_piece_with_what_is_in_force_there() -> None:
    bare = Score(bars=8, meter_changes=[MeterChange(bar=3, meter=Meter(numerator=3,
                                                                      denominator=4))],
                 tempo_changes=[TempoChange(tick=1920, bpm=90)])
    bars = [Note(pitch=60, start=bare.bar_start(bar),
                 duration=bare.bar_start(bar + 1) - bare.bar_start(bar)) for bar in range(1, 9)]
    ringing = Note(pitch=72, start=bare.bar_start(4) - 480, duration=960)  # bars 3 into 4
    score = bare.model_copy(update={"tracks": [
        Track(id="t", name="Oboe", notes=[*bars, ringing])]})
    page = engraving.slice_bars(score, 4, 6)
    assert page.bars == 3
    assert page.meter == Meter(numerator=3, denominator=4) and page.meter_changes == []
    assert page.tempo == 90 and page.tempo_changes == []
    # The note sounding into the page is cut at its edge; the page starts at tick 0.
    assert sorted((n.pitch, n.start, n.duration) for n in page.tracks[0].notes) == [
        (60, 0, 1440), (60, 1440, 1440), (60, 2880, 1440), (72, 0, 480)]


def test_page_musicxml_numbers_measures_and_ends_only_the_last_page() -> None:
    score = piece(bars=30, staves=1)  # 32 bars a page: one page
    longer = piece(bars=64, staves=3)
    span = engraving.page_span(longer, 2)
    assert span is not None
    middle = fromstring(engraving.page_musicxml(
        engraving.slice_bars(longer, span.first, span.last), span))
    numbers = [m.get("number") for m in middle.find("part").findall("measure")]
    assert numbers == [str(bar) for bar in range(14, 27)]
    assert middle.find(".//barline") is None
    only = engraving.page_span(score, 1)
    assert only is not None
    last = fromstring(engraving.page_musicxml(score, only))
    assert last.find(".//barline/bar-style").text == "light-heavy"


def test_the_page_key_is_the_content_not_where_it_came_from() -> None:
    score = piece(bars=64, staves=3)
    span = engraving.page_span(score, 2)
    assert span is not None
    part = engraving.slice_bars(score, span.first, span.last)
    key = engraving.page_key(span, part)
    assert engraving.page_key(span, Score.model_validate(part.model_dump())) == key
    assert key[1] == span.count
    # The same bars elsewhere in the piece are numbered differently: another page.
    elsewhere = PageSpan(page=3, count=5, first=27, last=39)
    assert engraving.page_key(elsewhere, part) != key
    edited = part.model_copy(update={"tracks": part.tracks[:2]})
    assert engraving.page_key(span, edited) != key


def test_cache_is_bounded_in_bytes() -> None:
    cache = PageCache(max_bytes=100)
    for number in range(5):
        cache.put(("digest", number), Page(b"x" * 40, 5))
    assert len(cache) == 2
    assert cache.get(("digest", 0)) is None and cache.get(("digest", 4)) is not None
    cache.get(("digest", 3))  # now most recently used
    cache.put(("digest", 9), Page(b"y" * 40, 5))
    assert cache.get(("digest", 3)) is not None and cache.get(("digest", 4)) is None
    cache.put(("huge", 1), Page(b"z" * 101, 1))  # larger than the whole cache
    assert cache.get(("huge", 1)) is None



def test_verovio_engraves_a_grand_staff_and_a_percussion_staff_without_a_key() -> None:
    piano = [Note(pitch=p, start=0, duration=1920) for p in (43, 55, 64, 72)]
    piano += [Note(pitch=76 + i, start=1920 + i * 160, duration=160) for i in range(3)]
    piano += [Note(pitch=74, start=2400, duration=1440)]
    drums = [Note(pitch=42, start=i * 240, duration=60) for i in range(16)]
    drums += [Note(pitch=36 + 2 * (i % 2), start=i * 480, duration=60) for i in range(8)]
    score = Score(bars=2, key=Key(tonic="D", mode=Mode.MAJOR), tracks=[
        Track(id="p", name="Piano", program=0, notes=piano),
        Track(id="d", name="Drums", is_drum=True, notes=drums)])
    span = engraving.page_span(score, 1)
    assert span is not None
    svg = engraving.engrave_svg(engraving.page_musicxml(
        engraving.slice_bars(score, span.first, span.last), span)).decode()
    assert len(re.findall(r'class="staff\b', svg)) == 3 * 2  # treble, bass, drums; 2 bars
    assert len(re.findall(r'class="note\b', svg)) >= len(piano) + 16 + 8
    assert "#E069" in svg  # the percussion clef (SMuFL unpercussionClef1)
    # D major's two sharps on the treble and bass staves, none on the drum staff.
    assert len(re.findall(r'xlink:href="#E262', svg)) == 2 * 2
    assert len(re.findall(r'class="beam\b', svg)) >= 8  # hi-hat eighths, a beat a beam
    assert 'class="tuplet' in svg
