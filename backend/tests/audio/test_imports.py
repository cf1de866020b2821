"""The light modules of `ariaforge.audio` load without the audio stack: the API process
validates and prices render requests with them and must not pay for NumPy, SciPy,
pedalboard, pyloudnorm or the synth (only the worker and the offline CLI need those)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "pedalboard", "pyloudnorm", "tinysoundfont", "imageio_ffmpeg")


def loaded_after(*modules: str) -> set[str]:
    """Which of HEAVY a fresh interpreter has loaded after importing `modules`."""
    code = (f"import sys\nfor name in {list(modules)!r}: __import__(name)\n"
            f"print(__import__('json').dumps(sorted(n for n in {list(HEAVY)!r} "
            "if n in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=BACKEND, capture_output=True,
                            text=True, check=True)
    return set(json.loads(result.stdout))


def test_the_package_and_its_light_modules_load_nothing_heavy() -> None:
    assert loaded_after("ariaforge.audio", "ariaforge.audio.errors",
                        "ariaforge.audio.options", "ariaforge.audio.loudness") == set()


def test_a_heavy_module_does_load_the_stack() -> None:
    # The check above can see an import: the pipeline really loads what it needs.
    assert {"numpy", "scipy", "pedalboard"} <= loaded_after("ariaforge.audio.pipeline")
