"""Bench modules the tests share, so a test and its bench use one brief list and one way of
counting: bench/musicality/ modules (standard library only) loaded by path, and bench
packages such as bench/arrangement/ imported by name."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"
MUSICALITY = BENCH / "musicality"


def load_musicality_module(name: str) -> ModuleType:
    """bench/musicality/<name>.py as a module of its own."""
    path = MUSICALITY / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"musicality_bench_{name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_bench_package(name: str) -> ModuleType:
    """bench/<name>/ imported as a package: its modules import each other by package name
    (`from arrangement.grid import ...`), as they do when a bench script runs them."""
    if str(BENCH) not in sys.path:
        sys.path.append(str(BENCH))
    return importlib.import_module(name)
