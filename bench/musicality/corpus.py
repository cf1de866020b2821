"""Held-out corpus tunes as `Piece`s: the folk tunes shipped in the package for evaluation
and the Bach chorales that training held out (parsed here from music21's corpus with the
training scripts' own reader and split, so the ids and the split are the same)."""

from __future__ import annotations

import bisect
import sys
import warnings
from pathlib import Path
from typing import Any

from ariaforge.composer.model.corpus import melody_notes
from ariaforge.composer.model.store import load_heldout
from ariaforge.composer.model.tokens import CHORD_TONES
from musicality.piece import Piece, chord_stream, melody_line, sounding_changes

TRAINING = Path(__file__).resolve().parents[2] / "training"


def _training_module(name: str) -> Any:
    if str(TRAINING) not in sys.path:
        sys.path.insert(0, str(TRAINING))
    return __import__(name)


def folk_style(data: dict[str, Any]) -> str:
    """The dance style training gave the tune (jig, reel, waltz, march), else folk."""
    styles = _training_module("train").styles_of(data)
    return str(styles[1]) if len(styles) > 1 else "folk"


TERTIAN = tuple(frozenset((root + step) % 12 for step in CHORD_TONES[quality])
                for quality in ("maj", "min", "dim", "aug", "7", "m7", "maj7", "m7b5", "dim7")
                for root in range(12))


def _is_chord(pcs: frozenset[int]) -> bool:
    """True when the pitch classes fit inside one triad or seventh chord."""
    return any(pcs <= chord for chord in TERTIAN)


def chorale_harmony(soprano: list[tuple[int, int, int]], lower: list[tuple[int, int, int]]
                    ) -> tuple[tuple[int, frozenset[int]], ...]:
    """At every change of the four-voice sonority: all four voices' pitch classes when
    they fit inside one triad or seventh chord (the soprano is then a chord tone); else
    the lower voices' when those fit one (the soprano is the dissonance: a non-chord
    tone); else an empty set (the dissonance is in a lower voice: not judged)."""
    below = sounding_changes(lower)
    harmony: list[tuple[int, frozenset[int]]] = []
    for tick, pcs in sounding_changes(soprano + lower):
        index = bisect.bisect_right([t for t, _ in below], tick) - 1
        under = below[index][1] if index >= 0 else frozenset()
        if _is_chord(pcs):
            harmony.append((tick, pcs))
        else:
            harmony.append((tick, under if under and _is_chord(under) else frozenset()))
    return tuple(harmony)


def folk_pieces(limit: int) -> list[tuple[Piece, dict[str, Any]]]:
    """The first `limit` shipped held-out folk tunes (O'Neill's), with their raw data. They
    carry no chords, so they have no harmony: chord-tone measures skip them (the training
    chord labeller reads chords from the melody itself, which would rate nearly every
    strong-beat note a chord tone)."""
    pieces = []
    for data in load_heldout()[:limit]:
        numerator, denominator = data["meter"]
        notes = melody_notes(data["melody"], numerator, denominator)
        if len(notes) < 8:
            continue
        melody = melody_line(((n.pitch, n.onset) for n in notes),
                             numerator * 1920 // denominator)
        pieces.append((Piece(source="folk", style=folk_style(data), numerator=numerator,
                             denominator=denominator, tonic=int(data["tonic"]), melody=melody,
                             group=str(data["id"])), data))
    return pieces


def _voice(raw: list[list[int]], bar: int) -> list[tuple[int, int, int]]:
    return [(p, b * bar + pos, d) for p, b, pos, d in raw if p >= 0]


def chorale_pieces(limit: int) -> list[tuple[Piece, dict[str, Any]]]:
    """Up to `limit` held-out chorales. Melody: the soprano. Harmony: `chorale_harmony`.
    Comping: alto + tenor (the voices
    AriaForge's chorales give the chords role), so parallels are the inner voices'."""
    warnings.simplefilter("ignore")
    prepare, train = _training_module("prepare"), _training_module("train")
    pieces: list[tuple[Piece, dict[str, Any]]] = []
    for path in prepare.source_files("chorales"):
        if len(pieces) >= limit:
            break
        # Ids end in "#<metadata number or 0>": guess 0 to parse only candidates, then
        # check the id the reader really gives.
        if not train.held_out(f"bachChorales/{path.split('/')[-1]}#0"):
            continue
        for data in prepare.parse_file((path, "bachChorales", "train", 0)):
            voices = data.get("voices") or []
            if not train.held_out(data["id"]) or len(voices) != 4:
                continue
            numerator, denominator = data["meter"]
            bar = numerator * 1920 // denominator
            top = _voice(voices[0], bar)
            soprano = [(p, s) for p, s, _ in top]
            lower = [n for v in voices[1:] for n in _voice(v, bar)]
            inner = [n for v in voices[1:3] for n in _voice(v, bar)]
            pieces.append((Piece(source="chorale", style="chorale", numerator=numerator,
                                 denominator=denominator, tonic=int(data["tonic"]),
                                 melody=melody_line(soprano, bar),
                                 harmony=chorale_harmony(top, lower), comping=chord_stream(inner),
                                 group=str(data["id"])), data))
    return pieces
