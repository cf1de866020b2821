"""The melody step: a lead line over the harmony, built from a plan rather than bar by bar.

Each section gets a phrase form (`phrase`: sentence, period, hook, AABA) and a one- or
two-bar motif, a rhythm cell in the style (`rhythm`) with a contour chosen by the learned
melody model; the motif is restated, sequenced and varied as the form says, each phrase
rises to one climax and closes with a cadence (`compose`, `line`). Voice leading
(`rules`): strong-beat non-chord tones resolve by step, leaps turn back, the line keeps to
a style's tessitura inside the instrument's register, the mode's own degree is heard.
Swung styles swing the melody as the band does (`feel`)."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Final

from ariaforge.composer.melody.compose import Motif, Phrase, compose_tones, realise
from ariaforge.composer.melody.contour import cell_of
from ariaforge.composer.melody.decode import Decoder, Tone
from ariaforge.composer.melody.feel import swing_notes
from ariaforge.composer.melody.line import Line
from ariaforge.composer.melody.phrase import INVERTING, BarRole, piece_roles
from ariaforge.composer.melody.rules import (
    enforce_resolution,
    recover_leaps,
    states_motif,
    tessitura,
)
from ariaforge.composer.melody.vary import vary_melody
from ariaforge.composer.model.store import load_models
from ariaforge.composer.plan import ChordEvent, Plan, rng_for
from ariaforge.music.score import Note

__all__ = ["compose_melody", "resample_melody_bars", "vary_melody"]

VELOCITY: Final = {"2": 96, "1": 88, "0": 80}
OPENING_DRAWS: Final = 4  # lines drawn at most until the opening restates its motif
_RESTATEMENTS: Final = ("sequence", "vary", "exact", "displace", "invert")


def compose_melody(plan: Plan, harmony: Sequence[ChordEvent],
                   register: tuple[int, int]) -> list[Note]:
    """A melody for every bar of the plan, inside `register` (inclusive MIDI range)."""
    tones: list[Tone] = []
    for draw in range(OPENING_DRAWS):
        # The clean-up passes (resolutions, leaps) may bend a planned restatement out of
        # shape; a line whose opening no longer states its motif twice is drawn again.
        drawn = plan if draw == 0 else replace(
            plan, seed=rng_for(plan.seed, "melody-opening", draw).randrange(2**32))
        decoder = Decoder(drawn, harmony, tessitura(plan, _ordered(register)), load_models())
        tones = recover_leaps(decoder, enforce_resolution(decoder, compose_tones(Line(decoder))))
        if states_motif(plan, tones):
            break
    return swing_notes(plan, _notes(decoder, tones))


def resample_melody_bars(plan: Plan, harmony: Sequence[ChordEvent], notes: Sequence[Note],
                         bars: Collection[int], register: tuple[int, int],
                         attempt: int) -> list[Note]:
    """The melody with only `bars` (1-based) written afresh from the piece's own motif
    (read back from the melody's opening), joined to the notes around them; bars past
    the end of `notes` are new material. Other notes are kept as given."""
    register = _ordered(register)
    ordered = sorted(notes, key=lambda n: (n.start, n.pitch))
    decoder = Decoder(plan, harmony, _around(tessitura(plan, register), ordered, register),
                      load_models())
    chosen = set(bars)
    kept = [n for n in ordered if plan.bar_of(n.start) not in chosen]
    kept_tones = [Tone(n.pitch, n.start, n.duration) for n in kept]
    roles = piece_roles(plan)
    made: list[Tone] = []
    for bar in sorted(chosen):
        rng = rng_for(plan.seed, "melody-resample", attempt, bar)
        start, end = plan.bar_start(bar), plan.bar_start(bar + 1)
        before = sorted((t for t in kept_tones + made if t.start < start), key=lambda t: t.start)
        after = [t for t in kept_tones if t.start >= end]
        target = after[0].pitch if after else None
        old = [(n.pitch, n.start, n.duration) for n in ordered if start <= n.start < end]
        line = Line(decoder, before)
        motif = _recovered_motif(line, ordered, bar)
        role = _fresh_role(plan, roles.get(bar) or BarRole(bar, "free"), rng, motif)
        new = realise(line, rng, role, motif, Phrase(), len(motif.cells), target)
        if [(t.pitch, t.start, t.duration) for t in new] == old:  # the same bar again
            del line.tones[len(before):]
            new = realise(line, rng, BarRole(bar, "free"), motif, Phrase(), 1, target)
        made += line.tones[len(before):]
    made = enforce_resolution(decoder, sorted(made, key=lambda t: t.start))
    fresh = swing_notes(plan, _notes(decoder, made))
    return sorted([*kept, *fresh], key=lambda n: (n.start, n.pitch))


def _recovered_motif(line: Line, notes: Sequence[Note], bar: int) -> Motif:
    """The motif of the section holding `bar`, read from its first two bars when they are
    written, else from the piece's first two bars."""
    plan = line.plan
    section = plan.section_at(min(bar, plan.bars))
    motif = Motif()
    for opening in (section.start_bar, 1):
        for index in range(2):
            start = plan.bar_start(opening + index)
            tones = [(n.pitch, n.start, n.duration) for n in notes
                     if start <= n.start < start + plan.bar_ticks]
            if len(tones) >= 2 and opening + index != bar:
                motif.cells[index] = cell_of(tones, start, line.degrees)
                motif.degrees[index] = line.degrees.degree(tones[0][0])
        if motif.cells:
            break
    return motif


def _fresh_role(plan: Plan, role: BarRole, rng: random.Random, motif: Motif) -> BarRole:
    """The bar's role in the plan, restated another way this time (no pickups: the
    notes before the bar stay as they are)."""
    if role.kind == "cadence":
        return BarRole(role.bar, "cadence", cadence=role.cadence)
    if role.kind in ("motif", "restate") and motif.cells:
        hows = [h for h in _RESTATEMENTS if h != "invert" or plan.style in INVERTING]
        cell = role.cell if role.cell in motif.cells else min(motif.cells)
        return BarRole(role.bar, "restate", cell, rng.choice(hows), rng.choice((-2, -1, 1, 2)))
    return BarRole(role.bar, "free", climax=False)


def _around(tessitura: tuple[int, int], notes: Sequence[Note],
            register: tuple[int, int]) -> tuple[int, int]:
    """The tessitura widened to take in the notes already written, inside `register`."""
    low = min([tessitura[0], *(n.pitch for n in notes)])
    high = max([tessitura[1], *(n.pitch for n in notes)])
    return max(register[0], low), min(register[1], high)


def _notes(decoder: Decoder, tones: Sequence[Tone]) -> list[Note]:
    plan = decoder.plan
    notes = []
    for tone in tones:
        bar = min(max(1, plan.bar_of(tone.start)), max(1, plan.bars))
        energy = plan.bar_energy[bar - 1] if plan.bar_energy else 0.5
        # Softer in the quiet sections (relative to the piece's loudest bar), but less
        # so than the accompaniment (arrange.timing.velocity): the tune stays present.
        peak = max(plan.bar_energy, default=0.5) or 1.0
        scale = (0.4 + 0.6 * energy / peak) * (0.85 + 0.15 * energy)
        velocity = round(VELOCITY[decoder.beat(tone.start)] * scale)
        notes.append(Note(id=f"mel-{tone.start}", pitch=tone.pitch, start=tone.start,
                          duration=tone.duration, velocity=max(1, min(127, velocity))))
    return notes




def _ordered(register: tuple[int, int]) -> tuple[int, int]:
    """The register low to high; a narrow one works too (fewer notes fit the chords)."""
    low, high = sorted(register)
    if not 0 <= low <= high <= 127:
        raise ValueError(f"a register is two MIDI pitches 0-127, got {register}")
    return low, high
