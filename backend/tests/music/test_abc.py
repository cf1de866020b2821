"""ABC: a small tune's pitches, durations, key, meter, tempo and chord symbols; the first of
several tunes; encodings; junk refused."""

from __future__ import annotations

import pytest

from ariaforge.music.interchange import InterchangeError, detect_format, read_abc, read_any
from ariaforge.music.score import Key, Meter, Mode

TUNE = """%abc-2.1
X:1
T:Little Tune
M:6/8
L:1/8
Q:1/4=100
K:Bb
"Gm"B2c d2e|"F"f3- f2z|"Eb"e/d/c B ^F3|]
"""

SECOND = """
X:2
T:Another
M:2/4
L:1/4
K:G
GA|Bc|]
"""


def test_small_tune() -> None:
    score = read_abc(TUNE)
    assert score.key == Key(tonic="Bb", mode=Mode.MAJOR)
    assert score.meter == Meter(numerator=6, denominator=8)
    assert score.tempo == 100
    assert [t.name for t in score.tracks] == ["Little Tune"]
    notes = [(n.pitch, n.start, n.duration) for n in score.tracks[0].sorted_notes()]
    assert notes == [
        (70, 0, 480), (72, 480, 240), (74, 720, 480), (75, 1200, 240),  # B2 c d2 e (Bb key)
        (77, 1440, 1200),  # f3- f2: tied into one note, then an eighth rest
        (75, 2880, 120), (74, 3000, 120), (72, 3120, 240), (70, 3360, 240),
        (66, 3600, 720),  # ^F3: the sharp overrides the key
    ]
    assert [(c.tick, c.symbol) for c in score.chord_symbols] == [
        (0, "Gm"), (1440, "F"), (2880, "Eb")]
    assert score.bars == 3


def test_only_the_first_tune_is_read() -> None:
    score = read_abc(TUNE + SECOND)
    assert score.meter == Meter(numerator=6, denominator=8)
    assert len(score.tracks[0].notes) == 10


def test_bytes_in_utf8_and_latin1() -> None:
    named = TUNE.replace("T:Little Tune", "T:Déjà vu")
    assert read_abc(named.encode("utf-8")).tracks[0].notes
    assert read_abc(named.encode("latin-1")).tracks[0].notes


def test_minor_key_and_detection() -> None:
    data = b"X:1\nM:3/4\nL:1/4\nK:Em\nEFG|]\n"
    assert detect_format(None, data) == "abc"
    assert detect_format("tune.abc", b"T:No X line\nK:C\nCDE|]\n") == "abc"
    score = read_any("tune.abc", data)
    assert score.key == Key(tonic="E", mode=Mode.MINOR)
    assert [n.pitch for n in score.tracks[0].sorted_notes()] == [64, 66, 67]


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ("hello world, this is not music", "no K: "),
        ("X:1\nK:C\n", "no notes"),
        ("X:1\nT:only header\n", "no K: "),
        ("X:1\nK:C\n\x00\x01\x02binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("", "empty"),
    ],
)
def test_junk_is_refused(junk: str | bytes, message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        read_abc(junk)
