"""The kits of the lyric and concert styles of issue 13 (tango, ballad, lullaby, carol,
cinematic, nocturne, baroque, celtic), in the terms of `styles`. Most of these have no
drummer: their "drums" are what a percussionist would add if the brief asks for one
(timpani, a bodhrán, sleigh bells, a soft kit for a ballad), and their character lives in
the bass and the accompaniment figures.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from ariaforge.composer.style_figures import (
    EIGHTHS,
    HELD,
    QUARTERS,
    SOFT_FILL,
    TWO_FEEL,
    WHOLE,
    at,
    bar,
    hit,
    notes,
)
from ariaforge.composer.styles import (
    CLOSED_HAT,
    CRASH,
    FLOOR_TOM,
    HIGH_TOM,
    KICK,
    LOW_TOM,
    MID_TOM,
    RIDE,
    SHAKER,
    SIDE_STICK,
    SNARE,
    TAMBOURINE,
    BassPart,
    BassRule,
    Beats,
    CompPart,
    DrumPart,
    Fill,
    Pulse,
    StyleKit,
    Texture,
    Voicing,
)
from ariaforge.composer.vocabulary import Style

F = Fraction
_HALF, _QUARTER = F(1, 2), F(1, 4)
# The habanera: dotted eighth, sixteenth, two eighths, in each half of a 4/4 bar.
HABANERA: Final = tuple(half + step for half in (F(0), F(2))
                        for step in (F(0), F(3, 4), F(1), F(3, 2)))
_TRIPLETS = bar(Pulse(Beats.ALL, length=F(1, 3), grid=3))

# --- tango: marcato in four (every beat hit hard and short) or the habanera; the bass
# and the piano's left hand share it, the bandoneon and violin sing over it.
TANGO = StyleKit(
    Style.TANGO,
    DrumPart(bar(hit(KICK, Beats.ALL, 80), hit(SIDE_STICK, Beats.BACK, 60)),
             bar(hit(KICK, Beats.STRONG, 60)), SOFT_FILL,
             variants=(bar(at(KICK, 80, *HABANERA), hit(SIDE_STICK, Beats.BACK, 55)),)),
    # The habanera throughout (half of it in quiet bars): it is what makes a tango.
    BassPart(BassRule.ROOT_FIFTH,
             bar(*notes(*((onset, _HALF) for onset in HABANERA))),
             bar(*notes(*((onset, _HALF) for onset in HABANERA[:3]), (F(2), F(2)))),
             velocity=98),
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (bar(*notes(*((onset, _QUARTER) for onset in HABANERA))),
              bar(*notes((F(0), _HALF), (F(3, 2), _HALF), (F(3), _HALF)))),  # 3-3-2 síncopa
             bar(*notes(*((onset, _QUARTER) for onset in HABANERA), velocity=70)),
             bar(Pulse(Beats.ALL, length=_HALF, velocity=92)),
             voices=4, legato=F(3, 5), velocity=82))

# --- ballad: a soft backbeat (cross-stick, then snare in the chorus), a bass in long
# notes, a piano in broken chords.
BALLAD = StyleKit(
    Style.BALLAD,
    DrumPart(bar(at(KICK, 85, F(0), F(5, 2)), hit(SIDE_STICK, Beats.BACK, 72),
                 hit(CLOSED_HAT, Beats.ALL, 45, grid=2)),
             bar(hit(KICK, Beats.FIRST, 65), hit(SIDE_STICK, Beats.BACK, 50),
                 hit(CLOSED_HAT, Beats.ALL, 35)),
             SOFT_FILL,
             full=bar(at(KICK, 95, F(0), F(5, 2)), hit(SNARE, Beats.BACK, 95),
                      hit(RIDE, Beats.ALL, 55, grid=2), hit(CRASH, Beats.FIRST, 50)),
             variants=(bar(hit(KICK, Beats.STRONG, 80), hit(SNARE, Beats.BACK, 80),
                           hit(CLOSED_HAT, Beats.ALL, 45)),)),
    BassPart(BassRule.ROOT_FIFTH, TWO_FEEL, WHOLE,
             bar(*notes((F(0), F(3, 2)), (F(3, 2), _HALF), (F(2), F(2)))), velocity=86),
    CompPart(Voicing.CLOSE, Texture.ARPEGGIO, (EIGHTHS, QUARTERS), TWO_FEEL,
             voices=4, legato=F(1), velocity=66, open_ok=True))

# --- lullaby (3/4): a rocking broken chord, the bass once a bar, nothing loud.
LULLABY = StyleKit(
    Style.LULLABY,
    DrumPart(bar(hit(KICK, Beats.FIRST, 45), hit(SHAKER, Beats.WEAK, 35)),
             bar(hit(SHAKER, Beats.ALL, 30)), SOFT_FILL,
             variants=(bar(hit(KICK, Beats.FIRST, 40), hit(SHAKER, Beats.ALL, 30, _HALF)),)),
    BassPart(BassRule.ROOT, bar(Pulse(Beats.FIRST, length=F(3))), HELD, velocity=70),
    CompPart(Voicing.CLOSE, Texture.ARPEGGIO, (EIGHTHS, QUARTERS), QUARTERS,
             voices=3, arpeggio=(0, 1, 2, 1), legato=F(1), velocity=56))

# --- carol: a hymn's block chords, a bass that moves with the harmony, sleigh bells and
# a soft drum if asked.
CAROL = StyleKit(
    Style.CAROL,
    DrumPart(bar(hit(KICK, Beats.STRONG, 55), hit(TAMBOURINE, Beats.ALL, 45, grid=2)),
             bar(hit(TAMBOURINE, Beats.ALL, 35)), SOFT_FILL,
             variants=(bar(hit(KICK, Beats.FIRST, 55), hit(TAMBOURINE, Beats.BACK, 55)),)),
    BassPart(BassRule.ROOT, HELD, HELD, velocity=80),
    CompPart(Voicing.CLOSE, Texture.BLOCK, (HELD, QUARTERS), HELD, voices=4, legato=F(1),
             velocity=72, open_ok=True))

# --- cinematic: timpani and low toms (kick and floor tom stand in), a rising tom fill,
# long low pedals that turn into an ostinato at the climax, strings spread wide.
CINEMATIC = StyleKit(
    Style.CINEMATIC,
    DrumPart(bar(hit(KICK, Beats.STRONG, 90), at(FLOOR_TOM, 80, F(0), F(3, 4), F(3, 2), F(3))),
             bar(hit(KICK, Beats.FIRST, 60)),
             Fill((FLOOR_TOM, LOW_TOM, MID_TOM, HIGH_TOM), beats=2, grid=4,
                  velocity=(60, 120)),
             full=bar(hit(KICK, Beats.ALL, 105), hit(FLOOR_TOM, Beats.ALL, 90, grid=2),
                      hit(CRASH, Beats.FIRST, 80)),
             variants=(bar(hit(KICK, Beats.FIRST, 90), at(LOW_TOM, 75, F(2), F(5, 2), F(3))),)),
    BassPart(BassRule.ROOT, TWO_FEEL, HELD, EIGHTHS, velocity=92),
    CompPart(Voicing.SPREAD, Texture.BLOCK, (HELD, TWO_FEEL), HELD, EIGHTHS, voices=4,
             legato=F(1), velocity=72))

# --- nocturne: the left hand's wide arpeggio under a singing line, pedalled, in eighths
# or triplets; no drummer.
NOCTURNE = StyleKit(
    Style.NOCTURNE,
    DrumPart(bar(hit(KICK, Beats.FIRST, 40)), bar(hit(KICK, Beats.FIRST, 30)), SOFT_FILL,
             variants=(bar(hit(KICK, Beats.STRONG, 35)),)),
    BassPart(BassRule.ROOT, HELD, HELD, velocity=72),
    CompPart(Voicing.OPEN, Texture.ARPEGGIO, (EIGHTHS, _TRIPLETS), QUARTERS, voices=4,
             arpeggio=(0, 1, 2, 3, 2, 1), legato=F(1), velocity=58))

# --- baroque: the motor rhythm of a continuo, a bass walking in running eighths (a
# two-feel in the quiet bars), the harpsichord realising the figures in even chords.
BAROQUE = StyleKit(
    Style.BAROQUE,
    DrumPart(bar(hit(KICK, Beats.STRONG, 50)), bar(hit(KICK, Beats.FIRST, 40)), SOFT_FILL,
             variants=(bar(hit(KICK, Beats.FIRST, 55), hit(SNARE, Beats.WEAK, 35)),)),
    BassPart(BassRule.WALK, EIGHTHS, TWO_FEEL, EIGHTHS, velocity=86),
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (QUARTERS, bar(Pulse(Beats.ALL, (F(0), _HALF), _HALF))),
             TWO_FEEL, voices=3, legato=F(4, 5), velocity=70,
             pad=EIGHTHS))  # strings repeat their chords in eighths, as Vivaldi's do

# --- celtic: a bodhrán (low and high tom standing in) driving eighths with the accent on
# the beat, a guitar strumming DADGAD-like open chords, the bass mostly on 1 and 3.
_BODHRAN = (hit(LOW_TOM, Beats.ALL, 85), hit(HIGH_TOM, Beats.ALL, 55, _HALF))
CELTIC = StyleKit(
    Style.CELTIC,
    DrumPart(bar(*_BODHRAN),
             bar(hit(LOW_TOM, Beats.STRONG, 65), hit(SHAKER, Beats.ALL, 35, grid=2)),
             Fill((HIGH_TOM, MID_TOM, LOW_TOM), beats=2, grid=4, velocity=(55, 95)),  # a roll
             variants=(bar(*_BODHRAN, at(SNARE, 40, F(3, 4), F(11, 4)),
                           hit(CLOSED_HAT, Beats.BACK, 40)),)),
    BassPart(BassRule.ALTERNATE, TWO_FEEL, WHOLE, QUARTERS, velocity=86),
    CompPart(Voicing.OPEN, Texture.STRUM,
             (EIGHTHS,
              bar(*notes((F(0), F(1)), (F(1), _HALF), (F(3, 2), F(1)), (F(5, 2), _HALF),
                         (F(3), _HALF), (F(7, 2), _HALF)))),
             QUARTERS, voices=3, velocity=78))

LYRIC_KITS: Final = {kit.style: kit for kit in (TANGO, BALLAD, LULLABY, CAROL, CINEMATIC,
                                                 NOCTURNE, BAROQUE, CELTIC)}
