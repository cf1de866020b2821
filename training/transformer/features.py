"""Per-note input features for the melody transformer, from the same tunes, chord labels
and split as the n-gram melody model (training/train.py), written as numpy arrays.

    python training/transformer/features.py [--cache DIR] [--out FILE]

Runs in the backend's environment (it reads tunes with `ariaforge.composer.model.corpus`),
so the features are built by the very code that builds the n-gram's contexts. Each row is
one melody interval to predict (interval token = step + 12, 25 tokens) with what the
n-gram also conditions on:

    previous interval token (START_TOKEN before the first), metric strength of the new
    note, previous note's pitch class above the tonic, chord under the new note (degree
    above the tonic + triad quality), mode family.

The transformer differs only in seeing the whole history, not the last two intervals.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
for extra in (REPO / "backend", REPO / "training"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from ariaforge.composer.model.corpus import Tune, intervals, read_tune  # noqa: E402
from ariaforge.composer.model.tokens import MAX_INTERVAL, strength  # noqa: E402
from transformer import inference as app  # noqa: E402
from transformer import layout  # noqa: E402
from transformer.inference import feature_row  # noqa: E402

# training/transformer/layout.py is the training environment's copy of the app's layout.
if (layout.COLUMNS, layout.SIZES, layout.CONTEXT, layout.START_TOKEN, layout.FAMILIES,
        layout.QUALITIES, layout.MAX_INTERVAL) != (
        app.COLUMNS, app.SIZES, app.CONTEXT, app.START_TOKEN, app.FAMILIES, app.QUALITIES,
        MAX_INTERVAL):
    raise SystemExit("training/transformer/layout.py differs from the app's layout")
VALIDATION_SHARE = 25  # one training tune in 25 watches training (checkpoint choice)


def step_row(previous_step: int | None, beat: str, previous_pc: int, chord: str,
             family: str) -> list[int]:
    """One feature row: the app's own function, so training and decoding build rows alike."""
    return feature_row(previous_step, beat, previous_pc, chord, family)


def tune_rows(tune: Tune) -> tuple[np.ndarray, np.ndarray]:
    """(features [n, 6], targets [n]) for the n intervals of a tune, in the n-gram's order
    (same strength, pitch class and chord as `corpus.melody_samples`)."""
    steps = intervals(tune)
    rows = []
    for index, _ in enumerate(steps):
        previous, note = tune.notes[index], tune.notes[index + 1]
        beat = strength(note.position, tune.numerator, tune.denominator)
        rows.append(step_row(steps[index - 1] if index else None, beat,
                             previous.pitch - tune.tonic, tune.chord_at(note.onset),
                             tune.family))
    targets = np.asarray([step + MAX_INTERVAL for step in steps], dtype=np.int8)
    return np.asarray(rows, dtype=np.int8).reshape(-1, len(layout.COLUMNS)), targets


def _bucket(tune_id: str, share: int) -> bool:
    digest = hashlib.blake2b(tune_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % share == 0


def is_validation(tune_id: str) -> bool:
    """A second, independent hash (salted) so validation tunes are spread like the rest."""
    return _bucket("validation:" + tune_id, VALIDATION_SHARE)


def pack(tunes: Iterable[Tune]) -> dict[str, np.ndarray]:
    """Concatenated rows with per-tune offsets (a tune is rows[offsets[i]:offsets[i+1]])."""
    features, targets, offsets = [], [], [0]
    for tune in tunes:
        rows, steps = tune_rows(tune)
        features.append(rows)
        targets.append(steps)
        offsets.append(offsets[-1] + len(steps))
    return {"x": np.concatenate(features), "y": np.concatenate(targets),
            "offsets": np.asarray(offsets, dtype=np.int64)}


def main() -> None:
    from train import held_out, read_cache  # training/train.py: the n-gram's split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" /
                        "ariaforge-training")
    parser.add_argument("--out", type=Path, default=Path("melody_features.npz"))
    args = parser.parse_args()
    groups: dict[str, list[Tune]] = {"train": [], "validation": [], "heldout": []}
    for data in read_cache(args.cache):
        if data["role"] != "train":
            continue
        tune = read_tune(data)
        if tune is None:
            continue
        group = ("heldout" if held_out(data["id"]) else
                 "validation" if is_validation(data["id"]) else "train")
        groups[group].append(tune)
    arrays = {f"{group}_{name}": value for group, tunes in groups.items()
              for name, value in pack(tunes).items()}
    np.savez_compressed(args.out, allow_pickle=False, **arrays)
    print({group: (len(tunes), int(arrays[f"{group}_y"].size))
           for group, tunes in groups.items()}, "->", args.out)


if __name__ == "__main__":
    main()
