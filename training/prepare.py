"""Parse the training corpora once with music21 and cache them as plain JSON.

    python training/prepare.py [--cache DIR] [--limit N] [--workers 2]

Reads only the collections shipped inside the installed `music21` package (see
training/MODEL_CARD.md for sources and licences; the Essen collection is non-commercial and
is never read). Writes DIR/tunes.jsonl.gz: one tune per line with its key, metre, melody
notes (and every voice of a chorale) and any chord symbols it carries. Ticks are at 480 per
quarter, snapped to a sixteenth. `--limit N` keeps the first N tunes per source (for tests).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path
from typing import Any

PPQ = 480
GRID = PPQ // 4
SCRIPT_VERSION = "1"
DEFAULT_CACHE = Path.home() / ".cache" / "ariaforge-training"

# (source name, corpus-relative file pattern, licence, role). Role "train" tunes are split
# into training and held-out sets; "eval" tunes only measure chord labelling.
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("oneills1850", "oneills1850/*.abc", "public domain (1850); ABC encodings in the "
     "music21 corpus (BSD-3 distribution)", "train"),
    ("ryansMammoth", "ryansMammoth/*.abc", "public domain (1883); ABC encodings in the "
     "music21 corpus", "train"),
    ("airdsAirs", "airdsAirs/*.abc", "public domain (1778-1803); ABC by Jack Campin, "
     "in the music21 corpus", "train"),
    ("miscFolk", "miscFolk/*.abc", "public domain tunes; ABC in the music21 corpus", "train"),
    ("bachChorales", "chorales", "public domain (J. S. Bach); encodings in the music21 "
     "corpus", "train"),
    ("nottingham", "nottingham-dataset/reelsa-c.abc", "Nottingham Music Database; used only "
     "to measure chord labelling, not trained on", "eval"),
)
EXCLUDED = ("essenFolksong",)  # licensed for non-commercial use only


def corpus_root() -> Path:
    import music21

    return Path(music21.__path__[0]) / "corpus"


def source_files(pattern: str) -> list[str]:
    if pattern == "chorales":
        from music21 import corpus

        return [str(name) for name in
                corpus.chorales.Iterator(returnType="filename")]
    return sorted(str(path) for path in corpus_root().glob(pattern))


def _ticks(quarter_length: float) -> int:
    return round(float(quarter_length) * PPQ / GRID) * GRID


def _mode_of(score: Any) -> tuple[int, str]:
    from music21 import key as m21key

    keys = list(score.flatten().getElementsByClass(m21key.Key))
    found = keys[0] if keys else score.analyze("key")
    mode = str(found.mode).lower()
    if mode not in ("major", "minor", "dorian", "mixolydian", "lydian", "phrygian",
                    "aeolian", "ionian", "locrian"):
        mode = "major"
    return int(found.tonic.pitchClass), mode


def _part_notes(part: Any, bar_length: int) -> tuple[list[list[int]], list[list[Any]]]:
    """Notes [pitch or -1 for a rest, bar, position in bar, duration] and chord symbols
    [bar, position, root pitch class, kind] of one part, ties merged."""
    from music21 import harmony

    notes: list[list[int]] = []
    symbols: list[list[Any]] = []
    for bar, measure in enumerate(part.getElementsByClass("Measure")):
        padding = _ticks(measure.paddingLeft or 0)
        if bar == 0 and not padding:
            padding = max(0, bar_length - _ticks(measure.duration.quarterLength))
        for element in measure.recurse().getElementsByClass(harmony.ChordSymbol):
            position = padding + _ticks(element.getOffsetInHierarchy(measure))
            symbols.append([bar, position, int(element.root().pitchClass),
                            str(element.chordKind)])
        for element in measure.recurse().notesAndRests:
            if isinstance(element, harmony.ChordSymbol) or element.duration.isGrace:
                continue
            position = padding + _ticks(element.getOffsetInHierarchy(measure))
            duration = _ticks(element.quarterLength)
            if duration <= 0:
                continue
            pitch = -1 if element.isRest else max(p.midi for p in element.pitches)
            tie = element.tie.type if element.tie is not None else None
            if tie in ("stop", "continue") and notes and notes[-1][0] == pitch:
                notes[-1][3] += duration  # may cross the bar line; tokenising clips it
                continue
            notes.append([pitch, bar, position, duration])
    return notes, symbols


def _meter(part: Any) -> tuple[int, int]:
    counts: Counter[tuple[int, int]] = Counter()
    current = None
    for measure in part.getElementsByClass("Measure"):
        if measure.timeSignature is not None:
            current = (measure.timeSignature.numerator, measure.timeSignature.denominator)
        if current is not None:
            counts[current] += 1
    return counts.most_common(1)[0][0] if counts else (4, 4)


def extract(score: Any, tune_id: str, source: str, all_voices: bool) -> dict[str, Any] | None:
    parts = list(score.parts) or [score]
    numerator, denominator = _meter(parts[0])
    bar_length = numerator * PPQ * 4 // denominator
    melody, symbols = _part_notes(parts[0], bar_length)
    if sum(1 for note in melody if note[0] >= 0) < 8:
        return None
    tonic, mode = _mode_of(score)
    tune: dict[str, Any] = {
        "id": tune_id, "source": source, "title": str(score.metadata.title or "")
        if score.metadata else "", "tonic": tonic, "mode": mode,
        "meter": [numerator, denominator], "melody": melody, "chords": symbols,
    }
    if all_voices:
        tune["voices"] = [_part_notes(part, bar_length)[0] for part in parts]
    return tune


def parse_file(job: tuple[str, str, str, int]) -> list[dict[str, Any]]:
    """All tunes of one file (an ABC book holds many)."""
    path, source, role, limit = job
    warnings.simplefilter("ignore")
    from music21 import converter, corpus, stream

    tunes: list[dict[str, Any]] = []
    try:
        parsed = corpus.parse(path) if source == "bachChorales" else converter.parse(path)
    except Exception as error:
        print(f"skipped {path}: {error}", file=sys.stderr)
        return tunes
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    name = Path(path).stem if source != "bachChorales" else path.split("/")[-1]
    for index, score in enumerate(scores[:limit] if limit else scores):
        number = score.metadata.number if score.metadata and score.metadata.number else index
        try:
            tune = extract(score, f"{source}/{name}#{number}", source,
                           all_voices=source == "bachChorales")
        except Exception as error:
            print(f"skipped a tune of {path}: {error}", file=sys.stderr)
            continue
        if tune is not None:
            tune["role"] = role
            tunes.append(tune)
    return tunes


def jobs(limit: int | None) -> Iterator[tuple[str, str, str, int]]:
    for source, pattern, _, role in SOURCES:
        files = source_files(pattern)
        if limit:
            files = files[:limit] if source in ("ryansMammoth", "bachChorales") else files[:1]
        for path in files:
            yield path, source, role, limit or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--limit", type=int, default=None, help="tunes per source (tests)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.time()
    counts: Counter[str] = Counter()
    target = args.cache / "tunes.jsonl.gz"
    with Pool(args.workers) as pool, gzip.open(target, "wt", encoding="utf-8") as out:
        for tunes in pool.imap(parse_file, list(jobs(args.limit))):
            for tune in tunes:
                if args.limit and counts[tune["source"]] >= args.limit:
                    continue
                counts[tune["source"]] += 1
                out.write(json.dumps(tune, separators=(",", ":")) + "\n")
    info = {"script_version": SCRIPT_VERSION, "tunes": dict(counts),
            "sources": [{"name": s, "licence": lic, "role": role} for s, _, lic, role in SOURCES],
            "excluded": list(EXCLUDED), "seconds": round(time.time() - started, 1),
            "limit": args.limit}
    (args.cache / "prepare.json").write_text(json.dumps(info, indent=2))
    print(json.dumps(info["tunes"]), f"in {info['seconds']} s ->", target)


if __name__ == "__main__":
    main()
