"""A score cut into notation pages: runs of bars, each written as its own MusicXML.

A page is ours, not Verovio's: a run of bars (fewer when there are more staves), so the
page count is known without engraving anything, a page past the end is refused at once,
and engraving a page costs what the page holds rather than the whole piece (page 1 of a
10,000-bar score took 50 s when Verovio laid out every bar to find it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ariaforge.music.interchange import write_musicxml
from ariaforge.music.score import ChordSymbol, MeterChange, Note, Score, Section, TempoChange
from ariaforge.music.section_keys import KeyMap

# Staff-bars on one page: 32 bars of a single staff, 13 of a three-track score, one bar
# of a 40-staff score. Part of the cache key (through `svg.OPTIONS`).
STAFF_BARS_PER_PAGE = 40
MAX_BARS_PER_PAGE = 32


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Bars `first`..`last` (1-based, inclusive) of `page` out of `count`."""

    page: int
    count: int
    first: int
    last: int


def bars_per_page(staves: int) -> int:
    return max(1, min(MAX_BARS_PER_PAGE, STAFF_BARS_PER_PAGE // max(staves, 1)))


def written_bars(score: Score) -> int:
    """The bars the notation shows: the score's, plus any a ringing note runs into."""
    last_end = max((note.end for _, note in score.all_notes()), default=0)
    return max(score.bars, score.bar_of(last_end - 1) if last_end else 1)


def _staves(score: Score) -> int:
    """Tracks the notation shows: audio tracks (samples) have no staff."""
    return sum(1 for track in score.tracks if not track.is_audio)


def page_count(score: Score) -> int:
    per_page = bars_per_page(_staves(score))
    return -(-written_bars(score) // per_page)


def page_span(score: Score, page: int) -> PageSpan | None:
    """The bars on `page` (1-based), or None past the last page."""
    count = page_count(score)
    if not 1 <= page <= count:
        return None
    per_page = bars_per_page(_staves(score))
    first = (page - 1) * per_page + 1
    return PageSpan(page, count, first, min(first + per_page - 1, written_bars(score)))


def slice_bars(score: Score, first: int, last: int) -> Score:
    """Bars `first`..`last` as a score of their own, starting at tick 0.

    Notes sounding across the edges are cut to the page (the page shows what sounds
    there, unlike `transform.slice_bars`, which drops notes begun before the cut); meter,
    tempo and key in force at `first` carry over, and the page's sections keep their keys
    (so a page shows a modulated section's key signature).
    """
    start, end = score.bar_start(first), score.bar_start(last + 1)
    tracks = [track.model_copy(update={"notes": _notes_between(track.notes, start, end)})
              for track in score.tracks if not track.is_audio]
    return Score.model_validate({
        "tempo": score.tempo_at(start),
        "tempo_changes": [TempoChange(tick=c.tick - start, bpm=c.bpm)
                          for c in score.tempo_changes if start < c.tick < end],
        "key": KeyMap.of(score).at(start),
        "sections": _sections_between(score, first, last),
        "meter": score.meter_at_bar(first),
        "meter_changes": [MeterChange(bar=c.bar - first + 1, meter=c.meter)
                          for c in score.meter_changes if first < c.bar <= last],
        "bars": last - first + 1,
        "chord_symbols": [ChordSymbol(tick=c.tick - start, symbol=c.symbol)
                          for c in score.chord_symbols if start <= c.tick < end],
        "tracks": tracks,
    })


def _sections_between(score: Score, first: int, last: int) -> list[Section]:
    """The sections on the page, cut to it, each with its key spelled out (the page's
    own key is the one in force at its first bar, not always the score's)."""
    if not any(section.key for section in score.sections):
        return []
    return [Section(name=s.name, start_bar=max(s.start_bar, first) - first + 1,
                    bars=min(s.end_bar - 1, last) - max(s.start_bar, first) + 1,
                    key=s.key or score.key)
            for s in score.sections if s.start_bar <= last and s.end_bar > first]


def _notes_between(notes: list[Note], start: int, end: int) -> list[Note]:
    kept = []
    for note in notes:
        if note.start < end and note.end > start:
            begin, finish = max(note.start, start), min(note.end, end)
            kept.append(note.model_copy(update={"start": begin - start,
                                                "duration": finish - begin}))
    return kept


def page_musicxml(part: Score, span: PageSpan) -> bytes:
    """The page's bars (`part`, from `slice_bars`) as MusicXML, its measures numbered as
    in the whole piece and a final barline only on the last page."""
    return write_musicxml(part, first_bar=span.first, ends_piece=span.page == span.count)
