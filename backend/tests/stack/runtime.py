"""The stack's runtime: the ariaforge wheel, built from backend/, in a virtualenv made from
the production lock by the same script as the image (backend/scripts/install-python-deps.sh).

The virtualenv is cached under build/ by backend/scripts/locked-venv.sh, keyed by the lock's
hash, so a rerun only rebuilds and reinstalls the wheel (seconds); a fresh clone builds it
once (a minute or two with pip's cache).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BACKEND = REPO / "backend"
LOCK = BACKEND / "requirements.lock"
WEB_DIR = REPO / "frontend" / "out"


def locked_venv(lock: Path, name: str, python: str | None = None) -> Path:
    """The cached virtualenv of `lock` under build/`name` (backend/scripts/locked-venv.sh),
    made with `python` when given (a bench running inside a venv passes its base Python)."""
    env = {**os.environ, **({"PYTHON": python} if python else {})}
    done = subprocess.run(["sh", str(BACKEND / "scripts" / "locked-venv.sh"), str(lock), name],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"installing {lock.name} failed:\n{done.stderr[-3000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def build_wheel(into: Path) -> Path:
    """`pip wheel` of backend/ without build isolation: hatchling comes from the dev venv."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--disable-pip-version-check",
                    "-w", str(into), str(BACKEND)], check=True, capture_output=True)
    wheels = sorted(into.glob("ariaforge-*.whl"), key=lambda path: path.stat().st_mtime)
    if not wheels:
        raise RuntimeError(f"pip wheel wrote no ariaforge wheel into {into}")
    return wheels[-1]


def runtime_venv() -> Path:
    """The cached virtualenv of the production lock, with this checkout's wheel installed.

    A file lock keeps two runs (a test and a bench) from building the same venv at once.
    """
    venv = locked_venv(LOCK, "stack-venv")
    with (venv.parent / ".wheel-lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with tempfile.TemporaryDirectory(prefix="ariaforge-wheel-") as scratch:
            wheel = build_wheel(Path(scratch))
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", "--no-deps", "--force-reinstall",
                            str(wheel)], check=True, capture_output=True)
    return venv


if __name__ == "__main__":
    print(runtime_venv())
