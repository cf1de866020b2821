"""Start-up cost of the API process and the command line, and of `ariaforge up`.

- `import ariaforge.main` (what every API process and `ariaforge api` pays) as a ratio to
  `import fastapi, sqlalchemy, redis` (the floor any app on this stack pays), measured
  interleaved in the same run; goal <= 2.5x.
- `ariaforge version` and `ariaforge compose --help`: wall time of the whole command,
  goal < 1 s, also shown as a ratio to `python -c pass`.
- `ariaforge up` with an existing data folder, from the start of the command to `/ready`
  answering 200 (embedded PostgreSQL and Redis started, migrations checked, a job worker
  alive, the API serving); goal < 3 s. The first start creates the folder and is not timed.

A script, not a test: nothing here fails.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from servers import PYTHON, free_port, start_up, stop, wait_ready

REPEATS = 7


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def interleaved(commands: dict[str, list[str]], repeats: int = REPEATS) -> dict[str, float]:
    """Median wall time of each command, run in turns so that load on the machine
    falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache once
        wall(command)
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(wall(command))
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def time_up(home: Path) -> float | None:
    """Seconds from starting `ariaforge up` to /ready answering 200, or None."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = start_up(home, port)
    try:
        if not wait_ready(f"{base}/ready", process):
            return None
        return time.perf_counter() - started
    finally:
        stop(process)


def main() -> None:
    imports = interleaved({
        "app": [PYTHON, "-c", "import ariaforge.main"],
        "stack": [PYTHON, "-c", "import fastapi, sqlalchemy, redis"],
        "python": [PYTHON, "-c", "pass"],
        "version": [PYTHON, "-m", "ariaforge", "version"],
        "compose-help": [PYTHON, "-m", "ariaforge", "compose", "--help"],
    })
    ratio = imports["app"] / imports["stack"]
    print(f"import ariaforge.main {imports['app']:.2f} s, "
          f"import fastapi+sqlalchemy+redis {imports['stack']:.2f} s: "
          f"{ratio:.2f}x (goal <= 2.5x) {verdict(ratio <= 2.5)}")
    for name in ("version", "compose-help"):
        seconds = imports[name]
        print(f"ariaforge {name.replace('-', ' --')}: {seconds:.2f} s, "
              f"{seconds / imports['python']:.1f}x `python -c pass` "
              f"(goal < 1 s) {verdict(seconds < 1.0)}")

    with tempfile.TemporaryDirectory(prefix="ariaforge-bench-up-",
                                     ignore_cleanup_errors=True) as folder:
        home = Path(folder)
        os.chmod(home, 0o755)  # noqa: S103 - as root, PostgreSQL runs as another user
        first = time_up(home)  # creates the data folder: initdb, migrations
        again = [time_up(home) for _ in range(3)]
        measured = [seconds for seconds in again if seconds is not None]
        if first is None or not measured:
            print(f"ariaforge up did not become ready; see {home / 'up.log'}")
            return
        seconds = statistics.median(measured)
        print(f"ariaforge up to /ready: first start {first:.2f} s; with the data folder "
              f"{seconds:.2f} s, {seconds / imports['app']:.1f}x the bare import of the app "
              f"(goal < 3 s) {verdict(seconds < 3.0)}")


if __name__ == "__main__":
    main()
