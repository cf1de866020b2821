"""The kits of the groove styles of issue 13 (funk, reggae, trap, hip-hop, gospel, country,
samba, metal, synthwave, chiptune), as data in the terms of `styles`: felt beats, offsets
in beats from the bar's start for syncopated figures (1/4 = a sixteenth, 1/8 = a 32nd).

Each style's signature is written where a drummer would feel it, and kept in every groove
of the style (light and full included) so it survives quiet and loud bars alike.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from ariaforge.composer.style_figures import (
    EIGHTHS,
    HELD,
    QUARTERS,
    ROCK_FILL,
    SIXTEENTHS,
    TWO_FEEL,
    WHOLE,
    at,
    bar,
    hit,
    notes,
    sixteenths,
)
from ariaforge.composer.styles import (
    CLAP,
    CLOSED_HAT,
    CRASH,
    FLOOR_TOM,
    HIGH_TOM,
    KICK,
    LOW_TOM,
    MID_TOM,
    OPEN_HAT,
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
HIGH_AGOGO, LOW_AGOGO = 67, 68


# --- funk: sixteenth hats, ghost notes between the backbeats, a kick that dodges the beat
_FUNK_HATS = hit(CLOSED_HAT, Beats.ALL, 60, grid=4)
_FUNK_GHOSTS = at(SNARE, 32, *sixteenths(3, 7, 9, 13, 15))
FUNK = StyleKit(
    Style.FUNK,
    DrumPart(bar(at(KICK, 105, *sixteenths(0, 3, 10)), hit(SNARE, Beats.BACK, 108),
                 _FUNK_GHOSTS, _FUNK_HATS),
             bar(at(KICK, 85, *sixteenths(0, 3, 10)), hit(SIDE_STICK, Beats.BACK, 70),
                 hit(CLOSED_HAT, Beats.ALL, 45, grid=4)),
             Fill(beats=1, grid=4),
             variants=(bar(at(KICK, 105, *sixteenths(0, 2, 7, 10)),
                           hit(SNARE, Beats.BACK, 108), at(SNARE, 32, *sixteenths(5, 9, 11, 15)),
                           _FUNK_HATS, at(OPEN_HAT, 70, F(7, 2))),)),
    # Slap bass: thumbed roots, popped octaves, on the sixteenths around the beat.
    BassPart(BassRule.OCTAVES,
             bar(*notes((F(0), _HALF), (F(3, 4), _QUARTER), (F(3, 2), _QUARTER),
                        (F(7, 4), _QUARTER), (F(5, 2), _HALF), (F(13, 4), _QUARTER),
                        (F(7, 2), _QUARTER))),
             bar(*notes((F(0), F(1)), (F(5, 2), _HALF))), velocity=100),
    # Guitar or clavinet chops: short chords on the "e" and "a" of the beat.
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (bar(Pulse(Beats.ALL, (_QUARTER, F(3, 4)), _QUARTER, 78)),
              bar(*notes((F(0), _QUARTER), (F(3, 4), _QUARTER), (F(3, 2), _QUARTER),
                         (F(9, 4), _QUARTER), (F(11, 4), _QUARTER), (F(7, 2), _QUARTER)))),
             bar(*notes((F(0), _QUARTER), (F(3, 2), _QUARTER))),
             voices=3, add_sevenths=True, legato=F(1, 2), velocity=78))

# --- reggae: the one-drop (nothing on 1, kick and rim together on 3) or steppers (a kick
# on every beat), the skank on the off-beats, the bass leaving the downbeat room.
_ONE_DROP = bar(at(KICK, 100, F(2)), at(SIDE_STICK, 100, F(2)),
                hit(CLOSED_HAT, Beats.ALL, 55, F(0), _HALF))
REGGAE = StyleKit(
    Style.REGGAE,
    DrumPart(_ONE_DROP,
             bar(at(KICK, 75, F(2)), at(SIDE_STICK, 70, F(2)),
                 hit(CLOSED_HAT, Beats.ALL, 40, _HALF)),
             Fill((SNARE, HIGH_TOM, MID_TOM, LOW_TOM), beats=1, grid=3, velocity=(60, 95)),
             variants=(bar(hit(KICK, Beats.ALL, 100), at(SIDE_STICK, 95, F(2)),
                           hit(CLOSED_HAT, Beats.ALL, 55, _HALF)),)),  # steppers
    BassPart(BassRule.ROOT_FIFTH,
             bar(*notes((F(0), F(1)), (F(3, 2), _HALF), (F(2), F(1)), (F(7, 2), _HALF))),
             bar(*notes((F(0), F(3, 2)), (F(2), F(3, 2)))), velocity=100),
    # The skank: short chords on 2 and 4 (the off-beats of the half-time feel), or on
    # every "and" (the double skank); never on 1 or 3.
    CompPart(Voicing.CLOSE, Texture.AFTERBEAT,
             (bar(Pulse(Beats.BACK, length=_QUARTER, velocity=80)),
              bar(Pulse(Beats.ALL, (_HALF,), _QUARTER, 76))),
             bar(Pulse(Beats.BACK, length=_QUARTER, velocity=70)),
             voices=3, legato=F(1, 2), velocity=78))

# --- trap: written at full tempo with the snare (clap) on 3 only, the half-time feel;
# eighth hats broken by 16th, 32nd and triplet rolls; a sparse 808 under the kick.
_TRAP_SNARE = (at(SNARE, 105, F(2)), at(CLAP, 100, F(2)))
_ROLL_32 = tuple(F(7, 2) + F(k, 8) for k in range(4))  # 32nds over the last eighth
_ROLL_TRIPLETS = tuple(F(3) + F(k, 6) for k in range(6))  # 16th triplets through beat 4
TRAP = StyleKit(
    Style.TRAP,
    DrumPart(bar(at(KICK, 110, F(0), F(11, 4)), *_TRAP_SNARE,
                 hit(CLOSED_HAT, Beats.ALL, 70, grid=2),
                 at(CLOSED_HAT, 62, *sixteenths(5, 6, 7)), at(CLOSED_HAT, 66, *_ROLL_32)),
             bar(at(KICK, 85, F(0)), at(CLAP, 80, F(2)), hit(CLOSED_HAT, Beats.ALL, 50, grid=2),
                 at(CLOSED_HAT, 48, *_ROLL_32)),
             # A 32nd-note hat roll into the next section, over the groove.
             Fill((CLOSED_HAT,), beats=1, grid=8, velocity=(45, 105), replaces=False),
             variants=(bar(at(KICK, 110, F(0), F(3, 4), F(5, 2)), *_TRAP_SNARE,
                           hit(CLOSED_HAT, Beats.ALL, 70, grid=2),
                           at(CLOSED_HAT, 64, *sixteenths(3, 9)),
                           at(CLOSED_HAT, 64, *_ROLL_TRIPLETS), at(OPEN_HAT, 60, F(3, 2))),)),
    # The 808: long roots that start with the kick and ring until the next.
    BassPart(BassRule.ROOT,
             bar(*notes((F(0), F(11, 4)), (F(11, 4), F(5, 4)))),
             bar(*notes((F(0), F(4)))), velocity=108),
    # A dark bell or pluck arpeggio, in triplets or eighths.
    CompPart(Voicing.CLOSE, Texture.ARPEGGIO,
             (bar(Pulse(Beats.ALL, length=F(1, 3), grid=3)), EIGHTHS),
             QUARTERS, voices=3, arpeggio=(0, 1, 2, 1), legato=F(3, 4), velocity=66))

# --- hip-hop: boom-bap, a heavy kick and a hard snare on 2 and 4, lazily swung hats.
HIP_HOP = StyleKit(
    Style.HIP_HOP,
    DrumPart(bar(at(KICK, 110, F(0), F(7, 4), F(5, 2)), hit(SNARE, Beats.BACK, 112),
                 hit(CLOSED_HAT, Beats.ALL, 60, grid=2)),
             bar(at(KICK, 85, F(0), F(5, 2)), hit(SIDE_STICK, Beats.BACK, 70),
                 hit(CLOSED_HAT, Beats.ALL, 45)),
             Fill((SNARE, LOW_TOM), beats=1, grid=2, velocity=(70, 100)),  # snare, tom
             variants=(bar(at(KICK, 110, F(0), F(1, 2), F(5, 2), F(11, 4)),
                           hit(SNARE, Beats.BACK, 112), hit(CLOSED_HAT, Beats.ALL, 58, grid=2),
                           at(OPEN_HAT, 55, F(7, 2))),)),
    BassPart(BassRule.ROOT_FIFTH,
             bar(*notes((F(0), F(3, 2)), (F(5, 2), F(1)))), WHOLE, velocity=96),
    # A sampled chord stab, or the loop's held chords.
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (bar(*notes((F(0), _HALF), (F(3, 2), _HALF), (F(3), _HALF))),
              bar(*notes((F(0), F(2)), (F(5, 2), F(3, 2))))),
             HELD, voices=4, add_sevenths=True, velocity=70, open_ok=True),
    swing_ratio=F(3, 5))

# --- gospel: a shuffled backbeat with tambourine, a busy bass, full church chords.
_GOSPEL_BACKBEAT = (hit(KICK, Beats.STRONG, 100), hit(SNARE, Beats.BACK, 108),
                    hit(CLOSED_HAT, Beats.ALL, 65, F(0), _HALF))
GOSPEL = StyleKit(
    Style.GOSPEL,
    DrumPart(bar(*_GOSPEL_BACKBEAT),
             bar(hit(KICK, Beats.FIRST, 80), hit(SIDE_STICK, Beats.BACK, 70),
                 hit(CLOSED_HAT, Beats.ALL, 50)),
             Fill((SNARE, HIGH_TOM, MID_TOM, FLOOR_TOM), beats=2, grid=3, velocity=(60, 110)),
             full=bar(*_GOSPEL_BACKBEAT, hit(TAMBOURINE, Beats.BACK, 80)),
             variants=(bar(at(KICK, 100, F(0), F(3, 2), F(2)), hit(SNARE, Beats.BACK, 108),
                           hit(RIDE, Beats.ALL, 65, F(0), _HALF),
                           hit(TAMBOURINE, Beats.BACK, 70)),)),
    BassPart(BassRule.ROOT_FIFTH,
             bar(*notes((F(0), F(1)), (F(3, 2), _HALF), (F(2), F(1)), (F(7, 2), _HALF))),
             TWO_FEEL, velocity=98),
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (bar(Pulse(Beats.ALL, (F(0), _HALF), _HALF, 76)),  # shuffle chords
              bar(*notes((F(0), F(3, 2)), (F(3, 2), F(1)), (F(5, 2), F(3, 2)))),
              QUARTERS),
             HELD, voices=4, add_sevenths=True, velocity=76, open_ok=True))

# --- country: the train beat (snare sixteenths, accents on 2 and 4) or a two-step
# backbeat; the bass on 1 and 3 under the guitar's "chick" on 2 and 4: boom-chick. The
# weak beats are used so that a country waltz turns it into boom-chick-chick.
COUNTRY = StyleKit(
    Style.COUNTRY,
    DrumPart(bar(hit(KICK, Beats.STRONG, 95), hit(SNARE, Beats.ALL, 50, grid=4),
                 hit(SNARE, Beats.WEAK, 105)),
             bar(hit(KICK, Beats.STRONG, 80), hit(SIDE_STICK, Beats.WEAK, 70)),
             Fill((SNARE,), beats=1, grid=4, velocity=(60, 105)),
             variants=(bar(hit(KICK, Beats.STRONG, 95), hit(SNARE, Beats.WEAK, 100),
                           hit(CLOSED_HAT, Beats.ALL, 60, grid=2)),)),
    BassPart(BassRule.ALTERNATE, TWO_FEEL, WHOLE, velocity=94),
    CompPart(Voicing.CLOSE, Texture.AFTERBEAT,
             (bar(Pulse(Beats.WEAK, length=_HALF, velocity=80)),
              bar(Pulse(Beats.WEAK, (F(0), _HALF), _QUARTER, 76))),  # chick-a
             bar(Pulse(Beats.WEAK, length=_HALF, velocity=68)),
             voices=3, legato=F(3, 5), velocity=80, open_ok=True))

# --- samba (2/4): the surdo's deep answer on 2, the ganzá's sixteenths, the tamborim's
# partido-alto over two bars; a bass like a surdo, a cavaquinho or guitar in sixteenths.
# Soft on the strong beats, loud on the others: 1 and 2 in 2/4, and still right in 4/4.
_SURDO = (hit(KICK, Beats.STRONG, 60), hit(KICK, Beats.BACK, 112))
_GANZA = hit(SHAKER, Beats.ALL, 50, grid=4)
SAMBA = StyleKit(
    Style.SAMBA,
    DrumPart(((*_SURDO, _GANZA, at(SIDE_STICK, 80, *sixteenths(0, 2, 3, 5, 7))),
              (*_SURDO, _GANZA, at(SIDE_STICK, 80, *sixteenths(1, 3, 5, 6)))),
             bar(hit(KICK, Beats.STRONG, 55), hit(KICK, Beats.BACK, 95),
                 hit(SHAKER, Beats.ALL, 40, grid=4)),
             Fill((SIDE_STICK, HIGH_TOM, LOW_TOM), beats=1, grid=4, velocity=(65, 105)),
             variants=(((*_SURDO, _GANZA, at(LOW_AGOGO, 75, F(0), F(3, 4)),
                         at(HIGH_AGOGO, 75, F(1, 2), F(5, 4))),
                        (*_SURDO, _GANZA, at(HIGH_AGOGO, 75, F(1, 4), F(1)),
                         at(LOW_AGOGO, 75, F(3, 4), F(3, 2)))),)),
    BassPart(BassRule.ALTERNATE,
             bar(*notes((F(0), F(3, 4)), (F(3, 4), _QUARTER), (F(1), F(1)))),
             bar(*notes((F(0), F(1)), (F(1), F(1)))), velocity=96),
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             ((notes((F(0), _HALF), (F(3, 4), _QUARTER), (F(5, 4), _HALF)),
               notes((F(1, 4), _HALF), (F(3, 4), _HALF), (F(3, 2), _HALF))),
              bar(Pulse(Beats.ALL, (F(0), F(1, 2), F(3, 4)), _QUARTER, 74))),
             bar(*notes((F(0), F(3, 4)), (F(3, 4), F(5, 4)))),
             voices=4, add_sevenths=True, legato=F(7, 10), velocity=74))

# --- metal: double kick (sixteenths on the bass drum) under a hard backbeat, a thrash
# beat (kick eighths, snare on every "and"), or a half-time crush; gallops in bass and
# guitars.
_GALLOP = Pulse(Beats.ALL, (F(0), _HALF, F(3, 4)), _QUARTER)
_DOUBLE_KICK = bar(hit(KICK, Beats.ALL, 100, grid=4), hit(SNARE, Beats.BACK, 120),
                   hit(CRASH, Beats.STRONG, 80), hit(RIDE, Beats.ALL, 80))
METAL = StyleKit(
    Style.METAL,
    DrumPart(_DOUBLE_KICK,
             bar(hit(KICK, Beats.ALL, 90, grid=2), hit(SNARE, Beats.BACK, 100),
                 hit(CLOSED_HAT, Beats.ALL, 75, grid=2)),
             ROCK_FILL, full=_DOUBLE_KICK,
             variants=(bar(hit(KICK, Beats.ALL, 100, grid=2), hit(SNARE, Beats.ALL, 110, _HALF),
                           hit(CRASH, Beats.ALL, 75)),  # thrash
                       bar(hit(KICK, Beats.ALL, 100, grid=4), at(SNARE, 122, F(2)),
                           hit(CRASH, Beats.ALL, 80)))),  # half-time over double kick
    BassPart(BassRule.ROOT, bar(_GALLOP), HELD, SIXTEENTHS, velocity=106),
    CompPart(Voicing.CLOSE, Texture.BLOCK,
             (bar(_GALLOP), bar(Pulse(Beats.ALL, length=_HALF, grid=2, velocity=96))),
             WHOLE, voices=3, legato=F(7, 10), velocity=98))

# --- synthwave: a gated snare (snare and clap together) on 2 and 4 over a straight or
# four-on-the-floor kick; pumping bass eighths; arpeggiated synths.
_GATED = (hit(SNARE, Beats.BACK, 112), hit(CLAP, Beats.BACK, 100))
SYNTHWAVE = StyleKit(
    Style.SYNTHWAVE,
    DrumPart(bar(hit(KICK, Beats.STRONG, 105), *_GATED, hit(CLOSED_HAT, Beats.ALL, 60, grid=2)),
             bar(hit(KICK, Beats.STRONG, 85), hit(CLOSED_HAT, Beats.ALL, 45, grid=2)),
             Fill((HIGH_TOM, MID_TOM, LOW_TOM, FLOOR_TOM), beats=2, grid=4,
                  velocity=(70, 115)),
             variants=(bar(hit(KICK, Beats.ALL, 105), *_GATED,
                           hit(CLOSED_HAT, Beats.ALL, 55, grid=4),
                           hit(OPEN_HAT, Beats.ALL, 60, _HALF)),)),
    BassPart(BassRule.ROOT, EIGHTHS, WHOLE, SIXTEENTHS, velocity=100),
    CompPart(Voicing.CLOSE, Texture.ARPEGGIO,
             (SIXTEENTHS, EIGHTHS), QUARTERS, voices=4, legato=F(3, 4), velocity=70,
             open_ok=True))

# --- chiptune: a noise-channel beat (kick, snare on 2 and 4, ticking sixteenths), a
# triangle bass leaping octaves, and the pulse channel's fast arpeggio for chords.
CHIPTUNE = StyleKit(
    Style.CHIPTUNE,
    DrumPart(bar(at(KICK, 100, F(0), F(3, 2), F(2)), hit(SNARE, Beats.BACK, 100),
                 hit(CLOSED_HAT, Beats.ALL, 55, grid=4)),
             bar(hit(KICK, Beats.FIRST, 80), hit(CLOSED_HAT, Beats.ALL, 45, grid=2)),
             Fill((SNARE,), beats=1, grid=8, velocity=(60, 110)),
             variants=(bar(hit(KICK, Beats.ALL, 100), hit(SNARE, Beats.BACK, 100),
                           hit(CLOSED_HAT, Beats.ALL, 55, _HALF)),)),
    BassPart(BassRule.OCTAVES, EIGHTHS, QUARTERS, velocity=100),
    CompPart(Voicing.CLOSE, Texture.ARPEGGIO,
             (SIXTEENTHS, bar(Pulse(Beats.ALL, length=F(1, 6), grid=6))),
             EIGHTHS, voices=3, arpeggio=(0, 1, 2), legato=F(1, 2), velocity=68))

GROOVE_KITS: Final = {kit.style: kit for kit in (FUNK, REGGAE, TRAP, HIP_HOP, GOSPEL, COUNTRY,
                                                  SAMBA, METAL, SYNTHWAVE, CHIPTUNE)}
