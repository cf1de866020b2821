"""A small n-gram model with interpolated Witten-Bell back-off over feature contexts.

A context is a tuple of feature strings ordered from the most general to the most specific
(for a plain n-gram: the previous token, then the one before...). Level k of the model
conditions on the first k features; a prediction interpolates every level down to a uniform
distribution, so probabilities always sum to one over the vocabulary and an unseen context
simply backs off to its longest seen prefix. No library does conditioning on arbitrary
feature chains with pruning and a compact JSON form, so the ~100 lines live here
(see docs/adr/0009-composer-ngram-models.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SEPARATOR = "|"
_MEMO_LIMIT = 50_000  # distributions cached per model; decoding revisits few contexts


@dataclass
class _Counts:
    total: float = 0.0
    by_token: dict[int, float] = field(default_factory=dict)

    @property
    def types(self) -> int:
        return len(self.by_token)


class NgramModel:
    """P(token | context) for tokens of a fixed vocabulary."""

    def __init__(self, vocab: Sequence[str], order: int) -> None:
        if len(set(vocab)) != len(vocab) or not vocab:
            raise ValueError("the vocabulary must be non-empty and without repeats")
        self.vocab: tuple[str, ...] = tuple(vocab)
        self.index: dict[str, int] = {token: i for i, token in enumerate(self.vocab)}
        self.order = order  # the number of context features used at the most specific level
        self._counts: dict[tuple[str, ...], _Counts] = {}
        self._memo: dict[tuple[str, ...], tuple[float, ...]] = {}

    # --- training -----------------------------------------------------------------

    def add(self, context: Sequence[str], token: str, weight: float = 1.0) -> None:
        """Count one observation at every level of its context chain."""
        position = self.index[token]
        chain = tuple(context[:self.order])
        for level in range(len(chain) + 1):
            counts = self._counts.setdefault(chain[:level], _Counts())
            counts.total += weight
            counts.by_token[position] = counts.by_token.get(position, 0.0) + weight
        self._memo.clear()

    def prune(self, min_count: float, keep_levels: int = 2) -> None:
        """Forget contexts seen fewer than `min_count` times above level `keep_levels`:
        they then back off to their prefix, which is what a rare context mostly did."""
        self._counts = {context: counts for context, counts in self._counts.items()
                        if len(context) <= keep_levels or counts.total >= min_count}
        self._memo.clear()

    # --- prediction ---------------------------------------------------------------

    def distribution(self, context: Sequence[str]) -> tuple[float, ...]:
        """P(token | context) for every token of the vocabulary, in vocabulary order."""
        chain = tuple(context[:self.order])
        cached = self._memo.get(chain)
        if cached is not None:
            return cached
        size = len(self.vocab)
        probs = [1.0 / size] * size
        for level in range(len(chain) + 1):
            counts = self._counts.get(chain[:level])
            if counts is None:
                break  # longer contexts extend this one, so none of them was seen either
            backoff = counts.types
            scale = 1.0 / (counts.total + backoff)
            probs = [p * backoff * scale for p in probs]
            for position, count in counts.by_token.items():
                probs[position] += count * scale
        result = tuple(probs)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[chain] = result
        return result

    def prob(self, token: str, context: Sequence[str]) -> float:
        return self.distribution(context)[self.index[token]]

    def nll(self, samples: Iterable[tuple[Sequence[str], str]]) -> tuple[float, int]:
        """(total negative log-likelihood in nats, number of tokens) over samples; tokens
        outside the vocabulary are skipped (the caller counts them)."""
        total, count = 0.0, 0
        for context, token in samples:
            if token in self.index:
                total -= math.log(self.prob(token, context))
                count += 1
        return total, count

    @property
    def context_count(self) -> int:
        return len(self._counts)

    # --- storage ------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        contexts = {
            SEPARATOR.join(context): [[position, _compact(count)]
                                      for position, count in sorted(counts.by_token.items())]
            for context, counts in sorted(self._counts.items())
        }
        return {"vocab": list(self.vocab), "order": self.order, "contexts": contexts}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NgramModel:
        model = cls(data["vocab"], int(data["order"]))
        for key, pairs in data["contexts"].items():
            context = tuple(key.split(SEPARATOR)) if key else ()
            by_token = {int(position): float(count) for position, count in pairs}
            model._counts[context] = _Counts(sum(by_token.values()), by_token)
        return model


def _compact(count: float) -> float | int:
    """Integers stay integers in the JSON; weighted counts keep two decimals."""
    rounded = round(count, 2)
    return int(rounded) if rounded.is_integer() else rounded
