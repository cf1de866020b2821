"""The shipped artifact: it loads, it is what the manifest says, and no source it was
trained on is restricted to non-commercial use."""

from __future__ import annotations

import math

from ariaforge.composer.model.corpus import read_tune
from ariaforge.composer.model.evaluate import heldout_figures
from ariaforge.composer.model.store import load_heldout, load_manifest, load_models
from ariaforge.composer.model.tokens import INTERVALS


def test_shipped_models_load_and_are_distributions() -> None:
    models = load_models()
    assert models is load_models()  # loaded once
    assert models.melody.vocab == INTERVALS
    for model in (models.melody, models.rhythm, models.harmony, models.opening):
        assert math.isclose(sum(model.distribution(())), 1.0, abs_tol=1e-9)
    assert {"0:maj", "7:7", "5:maj", "0:min"} <= set(models.harmony.vocab)


def test_manifest_lists_no_non_commercial_source() -> None:
    manifest = load_manifest()
    names = [source["name"].lower() for source in manifest["sources"]]
    assert manifest["non_commercial_sources"] == []
    assert "essenfolksong" in [name.lower() for name in manifest["excluded_sources"]]
    assert not any("essen" in name for name in names)
    for source in manifest["sources"]:
        assert "non-commercial" not in source["licence"].lower()
    assert manifest["limit"] is None  # the shipped model is the full run


def test_manifest_figures_match_the_shipped_heldout_tunes() -> None:
    manifest = load_manifest()
    figures = manifest["heldout_nll_nats_per_token"]
    assert figures["melody_nats"] < figures["plain_6gram_nats"] < figures["random_in_scale_nats"]
    models = load_models()
    tunes = [t for t in (read_tune(d) for d in load_heldout()) if t is not None]
    assert len(tunes) >= 50
    measured = heldout_figures(models.melody, models.plain, tunes)
    assert measured["melody_nats"] < measured["random_in_scale_nats"]
    assert measured["melody_nats"] < measured["plain_6gram_nats"]
