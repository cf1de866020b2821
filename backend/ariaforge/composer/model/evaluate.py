"""Held-out figures shared by training and the bench: negative log-likelihood per token
(in nats) of the melody model, of a plain interval 6-gram and of a random in-scale choice,
and a check for bars copied verbatim from the training tunes."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ariaforge.composer.model.corpus import Tune, intervals, melody_samples, plain_samples
from ariaforge.composer.model.ngram import NgramModel
from ariaforge.composer.model.tokens import INTERVALS, MAX_INTERVAL
from ariaforge.music.theory.modes import MODE_INTERVALS

# The random baseline keeps this share of its mass for chromatic notes, so a tune's
# occasional accidental costs a finite amount.
CHROMATIC_FLOOR = 0.01


@dataclass(frozen=True)
class Nll:
    total: float
    tokens: int

    @property
    def per_token(self) -> float:
        return self.total / self.tokens if self.tokens else float("nan")


def model_nll(model: NgramModel, samples: Iterable[tuple[Sequence[str], str]]) -> Nll:
    total, count = model.nll(samples)
    return Nll(total, count)


def random_in_scale_nll(tunes: Iterable[Tune]) -> Nll:
    """Each next note drawn uniformly from the scale notes within an octave of the last."""
    total, count = 0.0, 0
    for tune in tunes:
        scale = {step % 12 for step in MODE_INTERVALS[tune.mode]}
        for previous, step in zip(tune.notes, intervals(tune), strict=False):
            offset = previous.pitch - tune.tonic
            choices = [s for s in range(-MAX_INTERVAL, MAX_INTERVAL + 1)
                       if (offset + s) % 12 in scale]
            uniform = CHROMATIC_FLOOR / len(INTERVALS)
            inside = (1 - CHROMATIC_FLOOR) / len(choices) if step in choices else 0.0
            total -= math.log(inside + uniform)
            count += 1
    return Nll(total, count)


def heldout_figures(melody: NgramModel, plain: NgramModel, tunes: Sequence[Tune]
                    ) -> dict[str, float]:
    ours = model_nll(melody, (s for tune in tunes for s in melody_samples(tune)))
    sixgram = model_nll(plain, (s for tune in tunes for s in plain_samples(tune)))
    random = random_in_scale_nll(tunes)
    return {"tokens": ours.tokens, "melody_nats": round(ours.per_token, 4),
            "plain_6gram_nats": round(sixgram.per_token, 4),
            "random_in_scale_nats": round(random.per_token, 4)}


# --- copying ------------------------------------------------------------------------

BarNotes = Sequence[tuple[int, int, int]]  # (pitch, position in bar, duration)


def bar_signature(notes: BarNotes, tonic: int) -> bytes:
    """A bar as key-relative, octave-free material: positions, durations, the first
    note's degree and the intervals inside the bar."""
    parts: list[str] = []
    previous: int | None = None
    for pitch, position, duration in notes:
        step = (pitch - tonic) % 12 if previous is None else pitch - previous
        parts.append(f"{position},{duration},{step}")
        previous = pitch
    return ";".join(parts).encode()


def bar_hash(*signatures: bytes) -> int:
    digest = hashlib.blake2b(b"/".join(signatures), digest_size=4).digest()
    return int.from_bytes(digest, "big")


def tune_bars(tune: Tune) -> list[list[tuple[int, int, int]]]:
    bars: dict[int, list[tuple[int, int, int]]] = {}
    for note in tune.notes:
        bars.setdefault(note.onset // tune.bar, []).append(
            (note.pitch, note.position, note.duration))
    if not bars:
        return []
    return [bars.get(index, []) for index in range(max(bars) + 1)]


def copy_hashes(bars: Sequence[BarNotes], tonic: int) -> tuple[set[int], set[int]]:
    """Hashes of every non-empty bar and of every pair of consecutive bars."""
    signatures = [bar_signature(bar, tonic) if bar else b"" for bar in bars]
    singles = {bar_hash(s) for s in signatures if s}
    pairs = {bar_hash(a, b) for a, b in itertools.pairwise(signatures)
             if a and b}
    return singles, pairs


def longest_copy_bars(bars: Sequence[BarNotes], tonic: int, singles: set[int],
                      pairs: set[int]) -> int:
    """The longest run of consecutive bars found verbatim (as consecutive bars) in the
    training tunes: 1 when single bars recur but no two in a row, 0 when none does."""
    signatures = [bar_signature(bar, tonic) if bar else b"" for bar in bars]
    longest = run = 0
    for index, signature in enumerate(signatures):
        if not signature or bar_hash(signature) not in singles:
            run = 0
        elif run and bar_hash(signatures[index - 1], signature) in pairs:
            run += 1
        else:
            run = 1
        longest = max(longest, run)
    return longest
