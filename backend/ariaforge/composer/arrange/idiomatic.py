"""A chord instrument's part in its own idiom (`idioms`): a keyboard's left hand, a guitar,
an organ, each as its family plays the style, in its place in the band (`Ensemble`).

With no bassist, the first chord part covers the bass: the root sits at the bottom, in the
bass register, under chords that stay above it. Beside other chord parts a part keeps to
its own register window, and when an earlier part already plays its idiom it sustains
instead (or comps, beside a sustained part), so no two play the same voicing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final

from ariaforge.composer.arrange.comping import Comper, arrange_comping
from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.figures import FIGURES, LADDER_SPANS
from ariaforge.composer.arrange.idioms import (
    BASS_LINES,
    GUITARS,
    SUSTAINED,
    Idiom,
    family_of,
    idiom_for,
)
from ariaforge.composer.arrange.play import Hands, play_figure
from ariaforge.composer.arrange.timing import Harmony, fit
from ariaforge.composer.brief import Instrument
from ariaforge.composer.plan import Plan, seeded_choice
from ariaforge.composer.styles import Beats, CompPart, Pulse, StyleKit, Texture, Voicing, style_kit
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note
from ariaforge.music.validation.ranges import instrument_range

__all__ = ["arrange_idiom", "idiom_of", "style_comper"]

_HELD_GROOVE = ((Pulse(Beats.CHORD, length=Fraction(64)),),)
_KEYBOARD_BASS: Final = (36, 50)  # where a left hand's bass notes sit with no bassist
_GUITAR_BASS: Final = (40, 52)  # a guitar's three lowest strings
_ABOVE_THE_BASS: Final = (52, 70)  # the chords over a left hand's own bass notes
_OVER_A_BASSIST: Final = 48  # the lowest a chord part's voicings go beside a bass
_REACH_BELOW: Final = 5  # semitones a voicing may dip under that, at a price


@dataclass(frozen=True)
class _Chords:
    """How a figure's chords are voiced: voices, spacing, rootless, coloured with the
    key's sevenths, and the register they like."""

    voices: int
    spacing: Voicing
    window: tuple[int, int]
    rootless: bool = False
    sevenths: bool = False


_FIGURE_CHORDS: Final[dict[Idiom, _Chords]] = {
    Idiom.OOM_PAH: _Chords(3, Voicing.CLOSE, (53, 69)),
    Idiom.STRIDE: _Chords(3, Voicing.CLOSE, (53, 70)),
    Idiom.CONTINUO: _Chords(3, Voicing.CLOSE, (52, 69)),
    Idiom.BOOM_CHICK: _Chords(4, Voicing.CLOSE, (50, 70)),
    Idiom.SKANK: _Chords(3, Voicing.CLOSE, (60, 77)),
    Idiom.FUNK_CHOPS: _Chords(3, Voicing.CLOSE, (62, 79), sevenths=True),
    Idiom.FOUR_TO_THE_BAR: _Chords(3, Voicing.SHELL, (48, 64), sevenths=True),
}
# Where an arpeggio's (or power chord's) root sits: alone on the bass, over a bassist.
_LADDERS: Final[dict[Idiom, tuple[tuple[int, int], tuple[int, int]]]] = {
    Idiom.ALBERTI: ((43, 54), (50, 60)), Idiom.BROKEN: ((41, 53), (48, 60)),
    Idiom.NOCTURNE: ((36, 48), (43, 52)), Idiom.BOOGIE: ((36, 48), (43, 52)),
    Idiom.FINGERPICK: ((40, 52), (45, 55)), Idiom.POWER: ((40, 52), (40, 52)),
}


def idiom_of(instrument: Instrument, style: Style, ensemble: Ensemble) -> Idiom:
    """What this chord part plays: its family's idiom in the style, a bass-line idiom
    given up to a bassist, and a second part in an idiom already played sustaining (or
    comping, beside a sustained part)."""
    has_bass = ensemble.has_bass

    def own(inst: Instrument) -> Idiom:
        idiom = idiom_for(family_of(inst.program), style)
        return Idiom.STYLE if idiom in BASS_LINES and has_bass else idiom

    idiom = own(instrument)
    taken = {_rhythm(own(other)) for other in ensemble.earlier_chord_parts()}
    if _rhythm(idiom) in taken:
        idiom = Idiom.STYLE if idiom in SUSTAINED else Idiom.HELD
    return idiom


def _rhythm(idiom: Idiom) -> Idiom:
    """Idioms that move alike: two arpeggios at once would meet on the same tones."""
    return Idiom.BROKEN if idiom in _LADDERS and idiom is not Idiom.POWER else idiom


def style_comper(plan: Plan, kit: StyleKit, part: CompPart, register: tuple[int, int],
                 floor: int, open_ok: bool = True) -> Comper:
    """The style's own comping player; a seed may open the voicing where the style lets it."""
    spacing = part.voicing
    if open_ok and part.open_ok and seeded_choice(plan.seed, 2, "chords", "spacing",
                                                  plan.style):
        spacing = Voicing.OPEN
    return Comper(plan, kit, part, spacing, part.texture, part.voices,
                  part.voicing is Voicing.SHELL, register, floor)


def arrange_idiom(plan: Plan, harmony: Harmony, melody: Sequence[Note], instrument: Instrument,
                  ensemble: Ensemble, register: tuple[int, int]) -> list[Note]:
    """The chord part of `instrument` in its idiom; `register` is its role's usual range."""
    kit = style_kit(plan.style)
    idiom = idiom_of(instrument, plan.style, ensemble)
    bottom, top = instrument_range(instrument.program)[:2]
    guitar = family_of(instrument.program) in GUITARS
    bass = None
    if ensemble.covers_bass:
        low, high = _GUITAR_BASS if guitar else _KEYBOARD_BASS
        bass = (max(low, bottom), max(high, bottom + 12))
    shared = ensemble.shared_window()

    def within(window: tuple[int, int]) -> tuple[int, int]:
        low, high = shared or (window if bass or idiom in _FIGURE_CHORDS else register)
        low = max(low, bottom, bass[1] + 1 if bass else 0)
        return low, max(low + 12, min(high, top))

    figures = FIGURES.get(idiom, ())
    if idiom in _LADDERS:
        figure = figures[seeded_choice(plan.seed, len(figures), "figure", idiom)]
        span = LADDER_SPANS[figure.ladder] if idiom is not Idiom.POWER else 12
        low, high = _LADDERS[idiom][0 if bass else 1]
        if shared and not bass:  # beside another chord part: its top in this part's window
            high = shared[1] - span
            low = high - 11
        high = min(high, top - span)  # every tone playable, a whole octave of roots
        low = max(bottom, min(low, high - 11))
        hands = Hands(bass, (low, max(high, low + 11)), (), kit.comp.velocity,
                      melody=melody)
        return play_figure(plan, kit, harmony, figure, hands, f"figure {idiom}")
    if idiom in _FIGURE_CHORDS:
        spec = _FIGURE_CHORDS[idiom]
        window = within(spec.window)
        part = replace(kit.comp, add_sevenths=spec.sevenths or kit.comp.add_sevenths)
        comper = Comper(plan, kit, part, spec.spacing, Texture.BLOCK, spec.voices,
                        spec.rootless, window, window[0])
        figure = figures[seeded_choice(plan.seed, len(figures), "figure", idiom)]
        hands = Hands(bass, window, comper.voicings(harmony, melody), kit.comp.velocity)
        return play_figure(plan, kit, harmony, figure, hands, f"figure {idiom}")
    window = within(_ABOVE_THE_BASS)
    floor = bottom
    if bass or shared or ensemble.has_bass:  # clear of the bass notes, its own or a bassist's
        window = (max(window[0], _OVER_A_BASSIST), window[1])
        # A little room below the window: a voicing squeezed between the bass and the tune
        # would have only parallel shapes left. Only the lowest chord part reaches there
        # (a higher one dipping would land in the window of the part under it), and only
        # when it strikes its chords: held low tones would blur the bassist's line.
        lowest = (ensemble.chord_rank or 0) == 0
        reach = _REACH_BELOW if lowest and idiom is not Idiom.HELD else 0
        floor = max(bottom, window[0] - reach)
    comper = _comper(plan, kit, idiom, window, floor, guitar)
    voicings = comper.voicings(harmony, melody)
    notes = arrange_comping(comper, harmony, melody, voicings=voicings)
    if bass is not None:
        under = FIGURES[Idiom.BOSSA if idiom is Idiom.BOSSA else Idiom.STYLE][0]
        hands = Hands(bass, bass, (), kit.comp.velocity + 6, final_chord=False)
        notes += play_figure(plan, kit, harmony, under, hands, "figure bass")
    # The bass figure's fifth may be the chord's lowest tone too: one string, one note.
    return fit(notes, plan.total_ticks)


def _comper(plan: Plan, kit: StyleKit, idiom: Idiom, window: tuple[int, int],
            floor: int, guitar: bool) -> Comper:
    """The comping player of an idiom that plays the style's rhythms in its own way."""
    part = kit.comp
    if not guitar and part.texture is Texture.STRUM:  # a keyboard strikes every chord whole
        part = replace(part, texture=Texture.BLOCK)
    if idiom is Idiom.JAZZ_SHELLS:
        return Comper(plan, kit, replace(part, add_sevenths=True), Voicing.SHELL,
                      Texture.BLOCK, 3, True, window, floor)
    if idiom in (Idiom.EPIANO, Idiom.GOSPEL):
        # Sevenths only where the style's harmony has them: the chord symbols must name
        # what the comping sounds.
        return Comper(plan, kit, part, Voicing.OPEN, Texture.BLOCK, 4, False, window, floor)
    if idiom is Idiom.HELD:
        held = replace(part, main=(_HELD_GROOVE,), sparse=_HELD_GROOVE, full=None,
                       legato=Fraction(1))
        return Comper(plan, kit, held, Voicing.OPEN, Texture.BLOCK, 4, False, window, floor)
    if idiom is Idiom.STRUM and part.texture is not Texture.STRUM:
        folk = style_kit(Style.FOLK).comp  # the strummer's down, down-up, up-down-up
        part = replace(part, texture=Texture.STRUM, main=folk.main, sparse=folk.sparse,
                       full=folk.full, voicing=Voicing.CLOSE, voices=4)
    return style_comper(plan, kit, part, window, floor)
