"""The chorale statistics behind four-part writing: the shipped file is small and learned
from the chorales (Bach's habits cost least), a bare checkout falls back to stand-ins,
and the training script rebuilds the file from a few chorales."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ariaforge.composer.arrange.chorale_costs import (
    MAX_LEAP,
    STATS_FILE,
    costs_from_stats,
    load_costs,
)
from ariaforge.composer.model.store import DATA_DIR

REPO = Path(__file__).resolve().parents[4]


def test_the_shipped_statistics_are_small_and_learned() -> None:
    path = DATA_DIR / STATS_FILE
    assert path.stat().st_size < 200_000
    costs = load_costs()
    assert costs.learned
    for voice in "ATB":
        motion = costs.motion[voice]
        assert len(motion) == 2 * MAX_LEAP + 1
        # a step costs less than a tritone leap, and holding or stepping is what is cheapest
        assert motion[MAX_LEAP + 2] < motion[MAX_LEAP + 6]
        assert min(motion) in (motion[MAX_LEAP], motion[MAX_LEAP - 1], motion[MAX_LEAP + 1],
                               motion[MAX_LEAP - 2], motion[MAX_LEAP + 2])
    # root position doubles the root; Bach's spacing favours gaps inside the octave
    doubling = costs.doubling["root"]
    assert doubling["root"] < doubling["third"] and doubling["root"] < doubling["fifth"]
    assert costs.gaps["AT"][5] < costs.gaps["AT"][14]
    assert costs.omitted_fifth > 0 and 0 < costs.passing_rate < 1


def test_a_missing_file_falls_back_to_stand_ins(tmp_path: Path) -> None:
    costs = load_costs(tmp_path / STATS_FILE)
    assert not costs.learned
    assert costs.motion["A"][MAX_LEAP] < costs.motion["A"][MAX_LEAP + 7]
    assert costs.ranges["B"][0] < costs.ranges["T"][0] < costs.ranges["A"][0]


@pytest.mark.timeout(300)
def test_the_training_script_rebuilds_the_statistics(tmp_path: Path) -> None:
    pytest.importorskip("music21")
    subprocess.run([sys.executable, str(REPO / "training" / "chorale_voicing.py"),
                    "--limit", "12", "--cache", str(tmp_path / "cache"),
                    "--out", str(tmp_path)], check=True, timeout=280, capture_output=True)
    data = json.loads((tmp_path / STATS_FILE).read_text())
    assert data["chorales"] >= 8 and data["sonorities"] > 300
    assert data["figures"]["parallel_share"] < 0.05
    costs = costs_from_stats(data)
    assert costs.learned and costs.ranges["S"][0] > costs.ranges["B"][1] - 12
