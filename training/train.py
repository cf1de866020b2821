"""Train the composer's n-gram models from the cache that prepare.py wrote.

    python training/train.py [--cache DIR] [--out DIR]

Labels every tune's chords, splits tunes into training and held-out sets by a hash of the
tune id (about 10% held out), trains the melody, plain 6-gram, rhythm, harmony and opening
models, measures them on the held-out tunes and writes models.json.gz, heldout.json.gz,
copycheck.bin.gz and manifest.json to DIR (default: the package's composer/data).
"""

from __future__ import annotations

import argparse
import array
import datetime
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "backend") not in sys.path:
    sys.path.insert(0, str(REPO / "backend"))

from ariaforge.composer.model import store  # noqa: E402
from ariaforge.composer.model.chordlabel import label_windows, window_notes  # noqa: E402
from ariaforge.composer.model.corpus import (  # noqa: E402
    Tune,
    chord_changes,
    melody_samples,
    opening_sample,
    plain_samples,
    read_tune,
    rhythm_samples,
)
from ariaforge.composer.model.evaluate import (  # noqa: E402
    copy_hashes,
    heldout_figures,
    model_nll,
    tune_bars,
)
from ariaforge.composer.model.ngram import NgramModel  # noqa: E402
from ariaforge.composer.model.progressions import PROGRESSIONS, style_sequences  # noqa: E402
from ariaforge.composer.model.tokens import (  # noqa: E402
    INTERVALS,
    harmony_context,
    simple_quality,
)

SCRIPT_VERSION = "1"
HELDOUT_SHARE = 10  # one tune in ten
SHIPPED_HELDOUT = 200
DANCE_WORDS = (("reel", "reel"), ("hornpipe", "reel"), ("strathspey", "reel"),
               ("jig", "jig"), ("waltz", "waltz"), ("march", "march"))
METER_DANCE = {(6, 8): "jig", (9, 8): "jig", (12, 8): "jig", (3, 4): "waltz",
               (2, 4): "march", (4, 4): "reel", (2, 2): "reel"}


def held_out(tune_id: str) -> bool:
    digest = hashlib.blake2b(tune_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % HELDOUT_SHARE == 0


def styles_of(data: dict[str, Any]) -> list[str]:
    if data["source"] == "bachChorales":
        return ["chorale", "classical"]
    words = (data.get("title", "") + " " + data["id"]).lower()
    dance = next((style for word, style in DANCE_WORDS if word in words), None)
    dance = dance or METER_DANCE.get(tuple(data["meter"]))
    return ["folk", dance] if dance else ["folk"]


def read_cache(cache: Path) -> list[dict[str, Any]]:
    with gzip.open(cache / "tunes.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def train_models(train: list[tuple[dict[str, Any], Tune]]) -> dict[str, NgramModel]:
    melody, plain = NgramModel(INTERVALS, 6), NgramModel(INTERVALS, 5)
    durations: Counter[str] = Counter(s[1] for _, t in train for s in rhythm_samples(t))
    rhythm = NgramModel(sorted((d for d, n in durations.items() if n >= 3), key=int), 6)
    chords = {c for _, t in train for c in t.chords}
    for style in PROGRESSIONS:
        chords |= {c for _, seq, _ in style_sequences(style) for c in seq}
    harmony = NgramModel(sorted(chords), 5)
    opening = NgramModel([str(pc) for pc in range(12)], 2)
    for data, tune in train:
        for context, token in melody_samples(tune):
            melody.add(context, token)
        for context, token in plain_samples(tune):
            plain.add(context, token)
        for context, token in rhythm_samples(tune):
            if token in rhythm.index:
                rhythm.add(context, token)
        opening.add(*opening_sample(tune))
        changes = chord_changes(tune.chords)
        for style in styles_of(data):
            for index, token in enumerate(changes):
                harmony.add(harmony_context(tune.family, style, changes[:index]), token)
    for style in PROGRESSIONS:
        for family, sequence, weight in style_sequences(style):
            changes = chord_changes(sequence)
            for index, token in enumerate(changes):
                harmony.add(harmony_context(family, style, changes[:index]), token, weight)
    melody.prune(3, keep_levels=4)
    plain.prune(3, keep_levels=3)
    rhythm.prune(3, keep_levels=4)
    return {"melody": melody, "plain": plain, "rhythm": rhythm, "harmony": harmony,
            "opening": opening}


def _triad(token: str) -> str:
    degree, _, quality = token.partition(":")
    return f"{degree}:{simple_quality(quality)}"


def nottingham_agreement(tunes: list[dict[str, Any]]) -> dict[str, float]:
    """Derived labels (melody only) against the chord symbols written in the tunes, per
    chord window, compared as root and as root + triad quality."""
    kinds = {"major": "maj", "minor": "min", "diminished": "dim", "dominant-seventh": "maj",
             "minor-seventh": "min", "major-seventh": "maj", "augmented": "aug"}
    roots = same = windows = tonic = 0
    for data in tunes:
        tune = read_tune(data, use_voices=False)
        if tune is None or not data.get("chords"):
            continue
        bar = tune.bar
        written = sorted((b * bar + p, (pc - tune.tonic) % 12, kinds.get(k, "maj"))
                         for b, p, pc, k in data["chords"])
        for index, label in enumerate(tune.chords):
            start = index * tune.window
            current = [w for w in written if w[0] <= start]
            if not current:
                continue
            _, degree, quality = current[-1]
            windows += 1
            ours_degree, _, ours_quality = _triad(label).partition(":")
            roots += int(ours_degree) == degree
            same += int(ours_degree) == degree and ours_quality == quality
            tonic += degree == 0
    return {"windows": windows, "root_agreement": round(roots / max(1, windows), 3),
            "chord_agreement": round(same / max(1, windows), 3),
            "always_tonic_root_agreement": round(tonic / max(1, windows), 3)}


def chorale_agreement(tunes: list[dict[str, Any]]) -> dict[str, float]:
    """Melody-only labels of chorale sopranos against labels from all four voices."""
    agree = windows = tonic = 0
    for data in tunes:
        if data["source"] != "bachChorales":
            continue
        full, melody_only = read_tune(data), read_tune(data, use_voices=False)
        if full is None or melody_only is None:
            continue
        for ours, theirs in zip(melody_only.chords, full.chords, strict=False):
            windows += 1
            agree += _triad(ours) == _triad(theirs)
            tonic += _triad(theirs) == _triad(full.chords[0])
    return {"windows": windows, "chord_agreement": round(agree / max(1, windows), 3),
            "always_first_chord_agreement": round(tonic / max(1, windows), 3)}


def hand_built_check() -> list[str]:
    """C-F-G-C arpeggios in C major, one bar each: the labeller must say I IV V I."""
    windows = []
    for root in (0, 5, 7, 0):
        spans = [((root + step) % 12, index * 480, 480)
                 for index, step in enumerate((0, 4, 7, 12))]
        windows.append(window_notes(spans, 0, 1920))
    return label_windows(windows, "maj")


def write_copycheck(out: Path, train: list[tuple[dict[str, Any], Tune]]) -> int:
    singles: set[int] = set()
    pairs: set[int] = set()
    for _, tune in train:
        one, two = copy_hashes(tune_bars(tune), tune.tonic)
        singles |= one
        pairs |= two
    with gzip.open(out / store.COPYCHECK_FILE, "wb") as handle:
        for group in (singles, pairs):
            packed = array.array("I", sorted(group))
            handle.write(len(packed).to_bytes(4, "little"))
            handle.write(packed.tobytes())
    return len(singles) + len(pairs)


def shipped_tune(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("id", "source", "tonic", "mode", "meter", "melody")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" /
                        "ariaforge-training")
    parser.add_argument("--out", type=Path, default=store.DATA_DIR)
    args = parser.parse_args()
    started = time.time()
    raw = read_cache(args.cache)
    evaluation = [d for d in raw if d["role"] == "eval"]
    train: list[tuple[dict[str, Any], Tune]] = []
    heldout: list[tuple[dict[str, Any], Tune]] = []
    for data in raw:
        if data["role"] != "train":
            continue
        tune = read_tune(data)
        if tune is not None:
            (heldout if held_out(data["id"]) else train).append((data, tune))
    labelled = time.time()
    models = train_models(train)
    trained = time.time()
    figures = heldout_figures(models["melody"], models["plain"], [t for _, t in heldout])
    rhythm_nll = model_nll(models["rhythm"], (s for _, t in heldout for s in rhythm_samples(t)))
    figures["rhythm_nats"] = round(rhythm_nll.per_token, 4)
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {"format": store.FORMAT, "info": {"script_version": SCRIPT_VERSION},
               **{name: model.to_json() for name, model in models.items()}}
    with gzip.open(args.out / store.MODELS_FILE, "wt", encoding="utf-8") as handle:
        json.dump(payload, handle, separators=(",", ":"))
    shipped = [shipped_tune(d) for d, _ in heldout[:SHIPPED_HELDOUT]]
    with gzip.open(args.out / store.HELDOUT_FILE, "wt", encoding="utf-8") as handle:
        json.dump({"tunes": shipped}, handle, separators=(",", ":"))
    hashes = write_copycheck(args.out, train)
    prepared = json.loads((args.cache / "prepare.json").read_text())
    manifest = {
        "script_version": SCRIPT_VERSION,
        "trained": datetime.date.today().isoformat(),
        "sources": prepared["sources"], "excluded_sources": prepared["excluded"],
        "non_commercial_sources": [],
        "tunes_parsed": prepared["tunes"], "limit": prepared.get("limit"),
        "tunes": {"train": len(train), "heldout": len(heldout),
                  "heldout_shipped": len(shipped), "evaluation_only": len(evaluation)},
        "modes": dict(Counter(t.mode.value for _, t in train)),
        "tokens": {"melody": sum(len(t.notes) - 1 for _, t in train),
                   "harmony_changes": sum(len(chord_changes(t.chords)) for _, t in train)},
        "contexts": {name: model.context_count for name, model in models.items()},
        "heldout_nll_nats_per_token": figures,
        "chord_labels": {"hand_built_C_F_G_C": hand_built_check(),
                         "nottingham": nottingham_agreement(evaluation),
                         "chorales_melody_vs_voices": chorale_agreement(
                             [d for d, _ in heldout + train])},
        "hand_written_progression_styles": sorted(PROGRESSIONS),
        "copycheck_hashes": hashes,
        "seconds": {"label": round(labelled - started, 1), "train": round(trained - labelled, 1),
                    "total": round(time.time() - started, 1),
                    "prepare": prepared.get("seconds")},
        "sizes_bytes": {name: (args.out / name).stat().st_size for name in
                        (store.MODELS_FILE, store.HELDOUT_FILE, store.COPYCHECK_FILE)},
    }
    (args.out / store.MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps({k: manifest[k] for k in ("tunes", "heldout_nll_nats_per_token",
                                                "chord_labels", "seconds", "sizes_bytes")},
                     indent=1))


if __name__ == "__main__":
    main()
