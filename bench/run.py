"""Runs every benchmark in bench/ (files named bench_*.py); each prints ratios against a
peer measured in the same run. Speed targets live here, never in tests."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> int:
    benchmarks = sorted(Path(__file__).parent.glob("bench_*.py"))
    if not benchmarks:
        print("no benchmarks yet")
        return 0
    for path in benchmarks:
        print(f"== {path.stem}")
        runpy.run_path(str(path), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
