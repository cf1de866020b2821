"""The API process loads no native engraving or parsing library: Verovio and music21 run
only in the worker processes of `core.isolation` (which import them themselves)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("verovio", "music21")


def test_importing_the_app_loads_neither_verovio_nor_music21() -> None:
    code = ("import sys, ariaforge.main; "
            f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == ""
