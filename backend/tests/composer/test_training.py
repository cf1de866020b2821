"""The training scripts end to end on a tiny run: prepare 20 tunes per source, train, and
get a loadable model that beats a random in-scale melody on its held-out tunes."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from ariaforge.composer.model.store import read_models

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.timeout(600)
def test_tiny_training_run_gives_a_working_model(tmp_path: Path) -> None:
    pytest.importorskip("music21")
    cache, out = tmp_path / "cache", tmp_path / "out"
    subprocess.run([sys.executable, str(REPO / "training" / "prepare.py"), "--limit", "20",
                    "--cache", str(cache), "--workers", "2"], check=True, timeout=540)
    prepared = json.loads((cache / "prepare.json").read_text())
    assert prepared["tunes"]["oneills1850"] == 20
    assert "essenFolksong" in prepared["excluded"]
    subprocess.run([sys.executable, str(REPO / "training" / "train.py"), "--cache", str(cache),
                    "--out", str(out)], check=True, timeout=300)
    models = read_models(out / "models.json.gz")
    assert math.isclose(sum(models.melody.distribution(("maj", "2", "0", "0:maj"))), 1.0,
                        abs_tol=1e-9)
    manifest = json.loads((out / "manifest.json").read_text())
    figures = manifest["heldout_nll_nats_per_token"]
    assert figures["tokens"] > 100
    assert figures["melody_nats"] < figures["random_in_scale_nats"]
    assert manifest["chord_labels"]["hand_built_C_F_G_C"] == ["0:maj", "5:maj", "7:maj",
                                                               "0:maj"]
    assert manifest["limit"] == 20
