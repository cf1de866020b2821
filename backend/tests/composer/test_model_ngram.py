"""The n-gram class: a proper distribution at every context, back-off for unseen
contexts, pruning and the JSON round trip."""

from __future__ import annotations

import math
import random

import pytest

from ariaforge.composer.model.ngram import NgramModel

VOCAB = ["a", "b", "c", "d"]


def trained() -> NgramModel:
    model = NgramModel(VOCAB, order=2)
    rng = random.Random(3)
    text = "abcabcabdabcacd" * 5
    for index, token in enumerate(text):
        context = tuple(reversed(text[max(0, index - 2):index]))
        model.add(context, token, weight=1.0 + rng.random())
    return model


@pytest.mark.parametrize("context", [(), ("c",), ("c", "b"), ("d", "d"), ("x", "y"),
                                     ("a", "zzz")])
def test_probabilities_sum_to_one(context: tuple[str, ...]) -> None:
    dist = trained().distribution(context)
    assert math.isclose(sum(dist), 1.0, abs_tol=1e-9)
    assert all(p > 0 for p in dist)


def test_seen_context_predicts_what_followed_it() -> None:
    model = trained()
    after_ab = model.distribution(("b", "a"))
    assert max(zip(after_ab, VOCAB, strict=False))[1] == "c"


def test_unseen_context_backs_off_to_its_longest_seen_prefix() -> None:
    model = trained()
    assert model.distribution(("c", "never")) == model.distribution(("c",))
    assert model.distribution(("never", "c")) == model.distribution(())


def test_unigram_of_an_empty_model_is_uniform() -> None:
    model = NgramModel(VOCAB, order=3)
    assert model.distribution(("a", "b", "c")) == (0.25, 0.25, 0.25, 0.25)


def test_json_round_trip_keeps_every_probability() -> None:
    model = trained()
    again = NgramModel.from_json(model.to_json())
    for context in [(), ("a",), ("b", "a"), ("d", "c")]:
        for left, right in zip(model.distribution(context), again.distribution(context),
                               strict=True):
            assert math.isclose(left, right, rel_tol=1e-3)


def test_pruning_drops_rare_long_contexts_and_stays_normalised() -> None:
    model = trained()
    before = model.context_count
    model.prune(min_count=20, keep_levels=1)
    assert model.context_count < before
    assert math.isclose(sum(model.distribution(("d", "c"))), 1.0, abs_tol=1e-9)


def test_nll_prefers_the_data_it_was_trained_on() -> None:
    model = trained()
    seen = [(("b", "a"), "c")] * 10
    unseen = [(("b", "a"), "d")] * 10
    assert model.nll(seen)[0] < model.nll(unseen)[0]


def test_vocabulary_must_be_unique() -> None:
    with pytest.raises(ValueError, match="vocabulary"):
        NgramModel(["a", "a"], order=1)
