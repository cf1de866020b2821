"""The shipped models: loaded once, lazily, from `ariaforge/composer/data/`."""

from __future__ import annotations

import array
import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ariaforge.composer.model.ngram import NgramModel

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODELS_FILE = "models.json.gz"
HELDOUT_FILE = "heldout.json.gz"
MANIFEST_FILE = "manifest.json"
COPYCHECK_FILE = "copycheck.bin.gz"
FORMAT = 1


@dataclass(frozen=True)
class Models:
    """melody: next interval given mode, beat, previous pitch class, chord and the last two
    intervals; plain: a 6-gram over intervals alone (the baseline the bench compares);
    rhythm: next duration given metre position and the previous durations; harmony: next
    chord given mode, previous chords and style; opening: the first note's pitch class
    above the tonic given mode family and opening chord."""

    melody: NgramModel
    plain: NgramModel
    rhythm: NgramModel
    harmony: NgramModel
    opening: NgramModel
    info: dict[str, Any]


def models_from_json(data: dict[str, Any]) -> Models:
    if data.get("format") != FORMAT:
        raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
    return Models(
        melody=NgramModel.from_json(data["melody"]), plain=NgramModel.from_json(data["plain"]),
        rhythm=NgramModel.from_json(data["rhythm"]), harmony=NgramModel.from_json(data["harmony"]),
        opening=NgramModel.from_json(data["opening"]), info=data.get("info", {}))


def read_models(path: Path) -> Models:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return models_from_json(json.load(handle))


@cache
def load_models() -> Models:
    """The shipped models, read on first use (a fraction of a second) and kept."""
    return read_models(DATA_DIR / MODELS_FILE)


def load_heldout(directory: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The held-out tunes shipped for evaluation (the bench reads them)."""
    with gzip.open(directory / HELDOUT_FILE, "rt", encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)["tunes"]
    return data


def load_manifest(directory: Path = DATA_DIR) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((directory / MANIFEST_FILE).read_text())
    return manifest


@dataclass(frozen=True)
class CopyCheck:
    """Hashes of every training bar and every pair of consecutive training bars (see
    `evaluate.copy_hashes`): the decoder redraws a bar that would continue a copy."""

    singles: frozenset[int]
    pairs: frozenset[int]


@cache
def load_copycheck(directory: Path = DATA_DIR) -> CopyCheck:
    with gzip.open(directory / COPYCHECK_FILE, "rb") as handle:
        data = handle.read()
    groups: list[frozenset[int]] = []
    offset = 0
    for _ in range(2):
        count = int.from_bytes(data[offset:offset + 4], "little")
        offset += 4
        values = array.array("I")
        values.frombytes(data[offset:offset + 4 * count])
        offset += 4 * count
        groups.append(frozenset(values))
    return CopyCheck(groups[0], groups[1])
