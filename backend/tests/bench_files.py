"""Modules of bench/musicality/ that need nothing but the standard library, loaded by path,
so the tests and the musicality bench share one brief list and one way of counting."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

MUSICALITY = Path(__file__).resolve().parents[2] / "bench" / "musicality"


def load_musicality_module(name: str) -> ModuleType:
    """bench/musicality/<name>.py as a module of its own."""
    path = MUSICALITY / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"musicality_bench_{name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
