"""Melody rhythm cells for the styles added with issue 13, written in the notation of
`rhythm_cells` (one character a sixteenth: `x` starts a note, `-` holds it, `.` rests; a
`3:` prefix writes eighth-note triplets, three characters a beat).

What each list aims at, as a player would phrase it:
- funk: short sixteenth-note stabs off the beat, riffs that come back;
- reggae: phrases that start on the "and", space on the downbeat;
- trap: a sparse hook that repeats, and the rapper's triplet flow;
- hip-hop: laid-back figures with a sixteenth pickup, repeated;
- tango: the habanera (dotted eighth, sixteenth, two eighths), the marcato of four
  accented quarters, the 3+3+2 síncopa, long dramatic notes;
- gospel: long sung notes, sixteenth melismas into them;
- country: straight eighths and quarters, a plain sung line;
- samba: two-four bars of sixteenth syncopation;
- metal: eighth and sixteenth riffs, the gallop (an eighth and two sixteenths);
- synthwave: long notes and repeated eighth-note arpeggio hooks;
- ballad: long notes, a few eighths leading into them;
- lullaby: quarters, halves and dotted quarters only, rocking;
- carol: quarters, a few halves and passing eighths, like a hymn tune;
- cinematic: long-note themes (halves, wholes), a few quarters;
- chiptune: running sixteenths, like a square-wave arpeggio;
- nocturne: long singing notes, sixteenth-note runs and turns as ornaments;
- baroque: a continuous motor of eighths and sixteenths.
Celtic tunes take their rhythm from the learned model, like folk (`rhythm.LEARNED`).
"""

from __future__ import annotations

from typing import Final

Cells = tuple[tuple[str, float], ...]

FUNK: Final[Cells] = (
    ("x.x.", 1), ("..xx", 1), ("x..x", 1),
    ("x..x ..x.", 2.5), ("..x. x.x.", 2), ("x.xx .x..", 1.5), ("x... ..x.", 1),
    ("x..x ..x. ..x. x...", 2.5), ("x.x. .x.x ..x. ....", 2), ("..xx .x.. x..x ..x.", 1.5),
    ("x..x ..x- ..x. x...", 1.5),
    ("x..x ..x. ..x. x... .... x..x ..x. x-..", 1.5),
)
REGGAE: Final[Cells] = (
    ("..x-", 2), ("x---", 1), ("x-x-", 1),
    ("..x- ..x-", 2), ("..x- x---", 1.5), ("x--- ..x-", 1.5), ("..x- --x-", 1),
    ("..x- ..x- x--- ....", 2), ("x--- ..x- ..x- ....", 1.5), ("..x- x-x- x--- ....", 1.5),
    (".... ..x- ..x- x---", 1),
    ("..x- ..x- ..x- x--- ---- .... .... ....", 1),
)
TRAP: Final[Cells] = (
    ("x---", 1), ("..x-", 1), ("x-x-", 1), ("3:xxx", 1.5),
    ("x--- ..x-", 1.5), ("3:xxx x--", 2), ("3:x-x x-x", 1), ("x-.x ..x-", 1.5),
    ("x--- ---- ..x- x---", 1.5), ("3:xxx xxx x-- ...", 2), ("x-x- x--- ---- ....", 1.5),
    ("3:... xxx xxx x--", 1.5),
    ("x--- ---- ..x- x--- x--- ---- .... ....", 1),
)
HIP_HOP: Final[Cells] = (
    ("x---", 1), ("..x-", 1.5), ("x-x-", 1),
    ("x--- ..x-", 2), ("..x- x---", 1.5), ("x-.x ..x-", 1.5), ("x--- x-.x", 1),
    ("x--- ---- ..x- x---", 1.5), ("..x- x--- ..x- ....", 1.5), ("x-x- ..x- x--- ....", 1.5),
    ("x--- ..x- ---- ..x- ..x- x--- .... ....", 1),
)
TANGO: Final[Cells] = (
    ("x---", 1), ("x-x-", 1),
    ("x--x x-x-", 3), ("x--- x---", 1.5), ("x--x --x-", 2), ("x-.x x---", 1),
    ("x--- x--- x--- x---", 2), ("x--x x-x- x--- ----", 2), ("x--- ---- ---x x-x-", 1.5),
    ("x-x- x-x- x--- ----", 1.5), ("x--x x-x- x--x x-x-", 1.5),
    ("x--x x-x- x--- ---- x--- x--- x--- ....", 1.5),
)
GOSPEL: Final[Cells] = (
    ("x---", 1.5), ("x-x-", 1.5), ("..x-", 1),
    ("x--- x-x-", 2), ("x-x- x---", 2), ("x--- ----", 1.5), ("..x- x---", 1.5),
    ("x-xx x---", 1),
    ("x-x- x--- ---- ....", 2), ("..x- x-x- x--- ----", 2), ("x--- ---- x-x- x---", 1.5),
    ("x-xx x-x- x--- ....", 1),
    ("x-x- x-x- x--- ---- ---- ..x- x--- ....", 1.5),
)
COUNTRY: Final[Cells] = (
    ("x---", 1.5), ("x-x-", 2),
    ("x-x- x-x-", 2), ("x--- x-x-", 2), ("x-x- x---", 2), ("x--- x---", 1.5), ("x-x- ----", 1),
    ("x-x- x-x- x--- x---", 2), ("x--- x-x- x--- ----", 2), ("x-x- x-x- x--- ....", 1.5),
    ("x--- x--- x-x- x---", 1.5),
    ("x-x- x-x- x--- ---- x-x- x-x- x--- ....", 1),
)
SAMBA: Final[Cells] = (
    ("x-x-", 1), ("x-xx", 1), ("x--x", 1), (".xx-", 0.5),
    ("x-xx .x-x", 2), ("x--x --x-", 2), ("..x- x-x-", 1.5), ("x-x- .x-x", 1.5),
    ("x-x- x---", 1), ("x--x --x- x--x --x-", 1), ("x-xx .x-x x-x- x---", 1.5),
)
METAL: Final[Cells] = (
    ("x-x-", 2), ("xxxx", 1), ("x---", 1), ("x-xx", 1.5),
    ("x-x- x-x-", 2), ("x-xx x-xx", 1.5), ("x--- x-x-", 1.5), ("x-x- xxxx", 1),
    ("x-xx x-xx x-xx x---", 2), ("x-x- x-x- x--- x---", 1.5), ("x--- ---- x-x- x-x-", 1.5),
    ("x-x- xxxx x--- ....", 1),
)
SYNTHWAVE: Final[Cells] = (
    ("x---", 1), ("x-x-", 1.5), ("x--- ----", 1.5),
    ("x-x- x-x-", 2), ("x--- x-x-", 1.5), ("x-x- x---", 1.5), ("..x- x-x-", 1),
    ("x-x- x-x- x-x- x---", 2), ("x--- ---- x-x- x-x-", 1.5), ("x--- ---- ---- x-x-", 1.5),
    ("x-x- x--- ---- ....", 1),
    ("x-x- x-x- x--- ---- x-x- x-x- x--- ----", 1.5),
)
BALLAD: Final[Cells] = (
    ("x---", 2), ("x-x-", 0.5), ("x--- ----", 2.5), ("..x- x---", 1.5), ("x-x- x---", 1),
    ("x--- x---", 1.5), ("x--- --x-", 1),
    ("x--- ---- x-x- x---", 2), ("x-x- x--- ---- ....", 2), ("..x- x--- x--- ----", 1.5),
    ("x--- ---- ---- ....", 2), ("x--- x--- x--- ----", 1),
    ("x--- ---- ..x- x--- x--- ---- ---- ....", 1.5),
)
LULLABY: Final[Cells] = (
    ("x---", 2), ("x--- ----", 1.5), ("x--- --x-", 1.5), ("x--- x---", 1.5),
    ("x--- ---- ----", 2), ("x--- x--- x---", 2), ("x--- --x- x---", 1.5),
    ("x--- ---- x---", 1.5),
    ("x--- x--- x--- ----", 1), ("x--- --x- x--- ----", 1),
)
CAROL: Final[Cells] = (
    ("x---", 3), ("x--- x---", 2), ("x--- ----", 1.5), ("x-x- x---", 1),
    ("x--- x--- x---", 1.5), ("x--- ---- x---", 1),
    ("x--- x--- x--- x---", 2), ("x--- x--- x--- ----", 1.5), ("x--- x-x- x--- x---", 1.5),
    ("x--- --x- x--- x---", 1),
)
CINEMATIC: Final[Cells] = (
    ("x---", 1), ("x--- ----", 2), ("x--- ---- ----", 1.5),
    ("x--- ---- ---- ----", 2), ("x--- ---- x--- ----", 1.5), ("x--- ---- ---- x---", 1.5),
    ("x-x- x--- ---- ----", 1), ("x--- x--- x--- ----", 1), ("x--- ---- ---- x-x-", 1),
    ("x--- ---- ---- ---- x--- ---- x--- ----", 1.5),
)
CHIPTUNE: Final[Cells] = (
    ("xxxx", 1.5), ("x-x-", 1.5), ("x-xx", 1), ("x---", 0.5),
    ("xxxx x-x-", 2), ("x-x- xxxx", 1.5), ("xxxx xxxx", 1.5), ("x-xx x-xx", 1),
    ("xxxx x-x- xxxx x---", 2), ("x-x- x-x- xxxx x---", 1.5), ("xxxx xxxx x-x- x---", 1.5),
)
NOCTURNE: Final[Cells] = (
    ("x---", 1), ("x--- ----", 2), ("x--- --x-", 1.5), ("x--- ---- ----", 1),
    ("x--- ---- ---- ----", 1), ("x--- ---- xxxx x---", 1.5), ("x--- --x- x--- ----", 1.5),
    ("x--- ---- ---- xxxx", 1), ("x-x- x--- ---- ....", 1), ("xxxx x--- ---- ----", 0.7),
    ("x--- ---- ---- ---- x--- --x- x--- ----", 1.5),
)
BAROQUE: Final[Cells] = (
    ("x-x-", 2), ("xxxx", 1.5), ("x-xx", 1), ("x---", 0.5),
    ("x-x- x-x-", 2), ("xxxx x-x-", 1.5), ("x-x- xxxx", 1.5), ("xxxx xxxx", 1),
    ("x-xx x-xx", 1),
    ("x-x- x-x- xxxx x---", 1.5), ("xxxx x-x- x-x- x-x-", 1.5), ("x-x- x-x- x-x- x---", 1.5),
)
# Three-part beats: a lullaby rocks in quarter-eighth pairs.
COMPOUND_ROCKING: Final[Cells] = (
    ("x---x-", 2), ("x-----", 2), ("x----- x---x-", 1.5), ("x---x- x-----", 2),
    ("x----- ------", 1.5),
)
