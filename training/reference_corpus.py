"""Build the similarity reference corpus shipped with the app from prepare.py's cache.

    python training/reference_corpus.py [--cache DIR] [--out FILE]

Every tune with role "train" (all sources but the evaluation-only one) becomes a row of
backend/ariaforge/music/similarity/data/reference.json.gz: id, title, source, tonic, mode,
meter, its melody (rests dropped; notes as flat [pitch, start step from the previous note,
duration] triples, ticks at 480 per quarter, bar 1 at tick 0) and its chords as
[start, duration, symbol]: the tune's own chord symbols, or for the Bach chorales chords
labelled from all four voices by the composer's chord labeller (the same labels the
n-gram models learn from). Other tunes carry no harmony. Licences come from prepare.py's
SOURCES.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "backend") not in sys.path:
    sys.path.insert(0, str(REPO / "backend"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from prepare import DEFAULT_CACHE, PPQ, SOURCES  # noqa: E402

from ariaforge.composer.model.corpus import read_tune  # noqa: E402
from ariaforge.music.score import Key, Mode  # noqa: E402
from ariaforge.music.similarity.reference import DATA_FILE, FORMAT  # noqa: E402
from ariaforge.music.theory.chords import parse_chord_symbol  # noqa: E402
from ariaforge.music.theory.pitch import pitch_class_name  # noqa: E402

ID_LENGTH, TITLE_LENGTH = 190, 300  # reference_tunes.id / .title column sizes
TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# music21 chord kinds (prepare.py keeps them as written) -> lead-sheet suffixes.
KIND_SUFFIX = {"major": "", "minor": "m", "dominant-seventh": "7", "major-seventh": "maj7",
               "minor-seventh": "m7", "diminished": "dim", "diminished-seventh": "dim7",
               "half-diminished-seventh": "m7b5", "augmented": "aug",
               "suspended-fourth": "sus4", "suspended-second": "sus2", "major-sixth": "6",
               "minor-sixth": "m6", "dominant-ninth": "9"}
# The labeller's quality tokens -> suffixes.
TOKEN_SUFFIX = {"maj": "", "min": "m"}


def bar_ticks(meter: list[int]) -> int:
    numerator, denominator = meter
    return numerator * PPQ * 4 // denominator


def key_of(data: dict[str, Any]) -> Key:
    mode = data["mode"] if data["mode"] in {m.value for m in Mode} else "major"
    return Key(tonic=TONICS[int(data["tonic"]) % 12], mode=Mode(mode))


def symbol(root: int, suffix: str, key: Key) -> str | None:
    text = pitch_class_name(root, key) + suffix
    try:
        parse_chord_symbol(text)
    except ValueError:
        return None
    return text


def melody(data: dict[str, Any]) -> list[tuple[int, int, int]]:
    bar = bar_ticks(data["meter"])
    notes = sorted((b * bar + position, pitch, duration)
                   for pitch, b, position, duration in data["melody"]
                   if pitch >= 0 and duration > 0)
    line: list[tuple[int, int, int]] = []
    for start, pitch, duration in notes:
        if line and line[-1][1] == start:
            continue  # one note per onset (prepare.py already keeps the highest)
        line.append((pitch, start, duration))
    return line


def chords(data: dict[str, Any], end: int) -> list[tuple[int, int, str]]:
    key = key_of(data)
    bar = bar_ticks(data["meter"])
    found: list[tuple[int, str]] = []
    if data.get("chords"):
        for b, position, root, kind in data["chords"]:
            text = symbol(int(root), KIND_SUFFIX.get(str(kind), ""), key)
            if text is not None:
                found.append((b * bar + position, text))
    elif data.get("voices"):
        tune = read_tune(data)
        if tune is not None:
            for index, token in enumerate(tune.chords):
                degree, _, quality = token.partition(":")
                text = symbol(int(data["tonic"]) + int(degree), TOKEN_SUFFIX.get(quality,
                                                                                quality), key)
                if text is not None:
                    found.append((index * tune.window, text))
    merged: list[tuple[int, str]] = []
    for tick, text in sorted(found):
        if not merged or merged[-1][1] != text:
            merged.append((tick, text))
    return [(tick, (merged[i + 1][0] if i + 1 < len(merged) else max(end, tick + 1)) - tick,
             text) for i, (tick, text) in enumerate(merged)]


def row(data: dict[str, Any]) -> list[Any] | None:
    notes = melody(data)
    if len(notes) < 8:
        return None
    packed: list[int] = []
    previous = 0
    for pitch, start, duration in notes:
        packed += [pitch, start - previous, duration]
        previous = start
    end = notes[-1][1] + notes[-1][2]
    numerator, denominator = data["meter"]
    return [data["id"][:ID_LENGTH], data.get("title", "")[:TITLE_LENGTH], data["source"],
            int(data["tonic"]) % 12, data["mode"], numerator, denominator, packed,
            [list(chord) for chord in chords(data, end)]]


def build(cache: Path) -> dict[str, Any]:
    roles = {name: role for name, _, _, role in SOURCES}
    rows: list[list[Any]] = []
    seen: dict[str, list[Any]] = {}
    with gzip.open(cache / "tunes.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            if roles.get(data["source"]) != "train":
                continue
            built = row(data)
            if built is None:
                continue
            # music21 lists some chorales twice (two encodings): keep one of identical
            # tunes, number different ones (ids are the table's primary key)
            if built[0] in seen:
                if seen[built[0]][3:] == built[3:]:
                    continue
                built[0] = f"{built[0]}~{sum(1 for r in rows if r[0].startswith(built[0]))+1}"
            seen[built[0]] = built
            rows.append(built)
    used = {r[2] for r in rows}
    return {"format": FORMAT, "ppq": PPQ,
            "licences": {name: licence for name, _, licence, _ in SOURCES if name in used},
            "tunes": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args()
    corpus = build(args.cache)
    text = json.dumps(corpus, separators=(",", ":"), ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same corpus gives the same bytes, so reference_version() is stable.
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                   filename="", compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    tunes = corpus["tunes"]
    print(f"{len(tunes)} tunes, {sum(len(t[7]) // 3 for t in tunes)} notes, "
          f"{sum(1 for t in tunes if t[8])} with chords -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
