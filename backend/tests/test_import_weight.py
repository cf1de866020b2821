"""The API process and the CLI load only what they use: the audio stack (NumPy, SciPy,
pedalboard, pyloudnorm, the SoundFont synth, FFmpeg's locator) and the notation
libraries (music21, Verovio) belong to the worker and to the commands that render.

Each check runs in a fresh interpreter, so what earlier tests imported does not count,
and asserts on which modules are loaded, never on how long loading took."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "scipy", "pedalboard", "pyloudnorm", "tinysoundfont", "imageio_ffmpeg",
         "music21", "verovio")
AUDIO_STACK = ("numpy", "scipy", "pedalboard", "pyloudnorm", "tinysoundfont")


def loaded_after(code: str) -> set[str]:
    """The top-level packages of HEAVY that `code` leaves in sys.modules."""
    report = (f"import json, sys\n{code}\n"
              f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & "
              f"set({HEAVY!r}))))")
    done = subprocess.run([sys.executable, "-c", report], cwd=BACKEND, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", ["ariaforge.main", "ariaforge.cli", "ariaforge.api"])
def test_importing_the_api_or_the_cli_loads_nothing_heavy(module: str) -> None:
    assert loaded_after(f"import {module}") == set()


def test_the_app_is_built_without_the_audio_stack() -> None:
    """Building the app (every router, the OpenAPI schema) is what a process serving
    requests does on start."""
    assert loaded_after(
        "import tempfile\nfrom pathlib import Path\n"
        "from ariaforge.config import Settings\nfrom ariaforge.main import create_app\n"
        "with tempfile.TemporaryDirectory() as home:\n"
        "    create_app(Settings(ariaforge_home=Path(home))).openapi()") == set()


def cli(*args: str) -> str:
    return ("import sys\nfrom ariaforge.cli import app\n"
            f"sys.argv = ['ariaforge', *{list(args)!r}]\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")


@pytest.mark.parametrize("args", [("version",), ("compose", "--help"), ("render", "--help"),
                                  ("--help",)])
def test_cli_commands_that_render_nothing_load_nothing_heavy(args: tuple[str, ...]) -> None:
    assert loaded_after(cli(*args)) == set()


def test_the_worker_loads_the_audio_stack() -> None:
    """The other side of the line: the export handlers, which only the worker imports,
    do render (so the checks above are not passing because nothing ever loads it)."""
    assert set(AUDIO_STACK) <= loaded_after(
        "from ariaforge.tasks import all_handlers\nall_handlers()")


def test_a_starting_worker_defers_the_audio_stack() -> None:
    """`ariaforge worker` takes deferred handlers: it is live before the heavy imports,
    which its first job (or the background preload) pays."""
    assert loaded_after(
        "from ariaforge.tasks import all_handlers\nall_handlers(deferred=True)") == set()
