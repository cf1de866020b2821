"""Learn how Bach voices a four-part chorale: the statistics the four-part arranger
(`composer/arrange/four_part.py`) turns into costs.

    python training/chorale_voicing.py [--cache DIR] [--out DIR] [--limit N]

Reads the Bach chorales shipped inside music21 (from prepare.py's cache when it holds them,
else parsed here, ~2 min on one core, and cached as DIR/chorales.jsonl.gz), keeps the
four-voice ones on the training side of train.py's split (held-out chorales stay unseen)
and writes DIR_OUT/chorale_voicing.json (a few KB): each voice's range and its motion from
beat to beat, the gaps between neighbouring voices, how often a triad is complete, which
tone is doubled in each inversion, and, as figures to compare with, how often the inner
voices move by step, the leading tone rises at a cadence, and voices cross or move in
parallel fifths or octaves.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TRAINING = Path(__file__).resolve().parent
for path in (REPO / "backend", TRAINING):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from ariaforge.composer.model import store  # noqa: E402
from ariaforge.music.theory.chords import ChordQuality, recognize_chord  # noqa: E402

SCRIPT_VERSION = "1"
OUT_FILE = "chorale_voicing.json"
VOICES = ("S", "A", "T", "B")
MAX_LEAP = 12
MAX_GAP = 24
TRIADS = (ChordQuality.MAJOR, ChordQuality.MINOR, ChordQuality.DIMINISHED)
DOMINANTS = (ChordQuality.MAJOR, ChordQuality.DOMINANT_7)
Voice = list[tuple[int, int, int]]  # (pitch, onset, duration), absolute ticks


def chorales(cache: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    """Every parsed chorale (with all its voices), from a cache when one exists."""
    prepared, own = cache / "tunes.jsonl.gz", cache / "chorales.jsonl.gz"
    for source in (prepared, own):
        if source.exists():
            with gzip.open(source, "rt", encoding="utf-8") as handle:
                found = [tune for line in handle
                         if (tune := json.loads(line))["source"] == "bachChorales"]
            if found and (limit is None or len(found) >= limit):
                yield from found[:limit]
                return
    import prepare

    cache.mkdir(parents=True, exist_ok=True)
    files = prepare.source_files("chorales")[:limit]
    with gzip.open(own, "wt", encoding="utf-8") as out:
        for path in files:
            for tune in prepare.parse_file((path, "bachChorales", "train", 0)):
                out.write(json.dumps(tune, separators=(",", ":")) + "\n")
                yield tune


def voice_notes(raw: Sequence[Sequence[int]], bar: int) -> Voice:
    return sorted(((p, b * bar + pos, d) for p, b, pos, d in raw if p >= 0 and d > 0),
                  key=lambda note: note[1])


def sounding(voice: Voice, tick: int) -> int | None:
    for pitch, onset, length in voice:
        if onset <= tick < onset + length:
            return pitch
        if onset > tick:
            break
    return None


def beat_sonorities(voices: Sequence[Voice], beat: int) -> list[tuple[int, ...] | None]:
    """(S, A, T, B) sounding at every beat, None where a voice rests."""
    end = max(onset + length for voice in voices for _, onset, length in voice)
    found: list[tuple[int, ...] | None] = []
    for tick in range(0, end, beat):
        pitches = [sounding(voice, tick) for voice in voices]
        found.append(None if None in pitches else tuple(p for p in pitches if p is not None))
    return found


def degree_of(pc: int, root: int, quality: ChordQuality) -> str | None:
    third = 3 if quality in (ChordQuality.MINOR, ChordQuality.DIMINISHED) else 4
    fifth = 6 if quality is ChordQuality.DIMINISHED else 7
    return {0: "root", third: "third", fifth: "fifth"}.get((pc - root) % 12)


class Counts:
    def __init__(self) -> None:
        self.pitches: dict[str, list[int]] = {v: [] for v in VOICES}
        self.motion: dict[str, Counter[int]] = {v: Counter() for v in VOICES}
        self.notes: dict[str, Counter[str]] = {v: Counter() for v in VOICES}
        self.gaps: dict[str, Counter[int]] = {p: Counter() for p in ("SA", "AT", "TB")}
        self.triads: Counter[str] = Counter()  # complete / no fifth
        self.doubling: dict[str, Counter[str]] = {i: Counter() for i in ("root", "third",
                                                                          "fifth")}
        self.inversions: Counter[str] = Counter()
        self.leading: Counter[str] = Counter()
        self.offbeats: Counter[str] = Counter()  # notes starting between beats, per voice
        self.pairs: Counter[str] = Counter()  # changes, parallels, crossings, sonorities
        self.chorales = 0

    def add(self, voices: Sequence[Voice], beat: int) -> None:
        self.chorales += 1
        for name, voice in zip(VOICES, voices, strict=True):
            self.pitches[name] += [p for p, _, _ in voice]
            self.offbeats[name] += sum(1 for _, onset, _ in voice if onset % beat)
            self.offbeats["beats"] += sum(length for _, _, length in voice) // beat
            for (a, _, _), (b, _, _) in itertools.pairwise(voice):
                self.notes[name][_motion_kind(b - a)] += 1
        sonorities = beat_sonorities(voices, beat)
        for before, after in itertools.pairwise(sonorities):
            if before is None or after is None:
                continue
            for index, name in enumerate(VOICES):
                step = max(-MAX_LEAP, min(MAX_LEAP, after[index] - before[index]))
                self.motion[name][step] += 1
            self.pairs["changes"] += 1
            self.pairs["parallels"] += _has_parallel(before, after)
            self.leading_tone(before, after)
        for sonority in sonorities:
            if sonority is not None:
                self.sonority(sonority)

    def sonority(self, voices: tuple[int, ...]) -> None:
        self.pairs["sonorities"] += 1
        self.pairs["crossings"] += any(low > high for low, high in
                                       zip(voices[1:], voices, strict=False))
        for (upper, lower), pair in zip(((0, 1), (1, 2), (2, 3)), ("SA", "AT", "TB"),
                                        strict=True):
            self.gaps[pair][max(0, min(MAX_GAP, voices[upper] - voices[lower]))] += 1
        chord = recognize_chord(voices)
        if chord is None:
            pcs = {p % 12 for p in voices}
            bass = voices[3] % 12
            if len(pcs) == 2 and (max(pcs) - min(pcs)) % 12 in (3, 4, 8, 9):
                self.triads["no_fifth" if {bass, (bass + 3) % 12} <= pcs
                            or {bass, (bass + 4) % 12} <= pcs else "other"] += 1
            return
        if chord.quality not in TRIADS:
            self.triads["seventh_or_other"] += 1
            return
        self.triads["complete"] += 1
        inversion = degree_of(chord.bass_pc, chord.root_pc, chord.quality)
        if inversion is None:
            return
        self.inversions[inversion] += 1
        doubled = Counter(degree_of(p % 12, chord.root_pc, chord.quality) for p in voices)
        for degree, times in doubled.items():
            if degree is not None and times > 1:
                self.doubling[inversion][degree] += 1

    def leading_tone(self, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        """At V(7) -> I: does the inner voice holding the leading tone rise to the tonic?"""
        first, second = recognize_chord(before), recognize_chord(after)
        if first is None or second is None or first.quality not in DOMINANTS:
            return
        if second.quality not in TRIADS[:2] or (second.root_pc - first.root_pc) % 12 != 5:
            return
        leading = (first.root_pc + 4) % 12
        for index in (1, 2):
            if before[index] % 12 == leading:
                rose = after[index] - before[index] == 1
                self.leading["inner_up" if rose else "inner_other"] += 1

    def result(self) -> dict[str, Any]:
        def share(counter: Counter[Any]) -> dict[str, float]:
            total = sum(counter.values()) or 1
            return {str(k): round(v / total, 5) for k, v in sorted(counter.items())}

        def percentile(values: list[int], q: float) -> int:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        inner = self.notes["A"] + self.notes["T"]
        moves = sum(v for k, v in inner.items() if k != "hold")
        changes = self.pairs["changes"] or 1
        sonorities = self.pairs["sonorities"] or 1
        leading = sum(self.leading.values()) or 1
        triads = self.triads["complete"] + self.triads["no_fifth"] or 1
        return {
            "format": 1, "script_version": SCRIPT_VERSION,
            "source": "J. S. Bach, four-part chorales in the music21 corpus (public domain); "
                      "training side of train.py's split",
            "chorales": self.chorales, "sonorities": self.pairs["sonorities"],
            "ranges": {v: [percentile(p, 0.01), percentile(p, 0.99)]
                       for v, p in self.pitches.items()},
            "motion": {v: share(c) for v, c in self.motion.items()},
            "gaps": {pair: share(c) for pair, c in self.gaps.items()},
            "doubling": {inv: share(c) for inv, c in self.doubling.items()},
            "inversions": share(self.inversions),
            "omitted_fifth": round(self.triads["no_fifth"] / triads, 5),
            "figures": {
                "inner_step_share": round(inner["step"] / (moves or 1), 4),
                "inner_hold_share": round(inner["hold"] / (sum(inner.values()) or 1), 4),
                "note_motion": {v: share(c) for v, c in self.notes.items()},
                "leading_tone_up": round(self.leading["inner_up"] / leading, 4),
                "offbeat_notes_per_beat": {v: round(4 * self.offbeats[v]
                                                    / (self.offbeats["beats"] or 1), 4)
                                           for v in VOICES},
                "parallel_share": round(self.pairs["parallels"] / changes, 5),
                "crossing_share": round(self.pairs["crossings"] / sonorities, 5),
            },
        }


def _motion_kind(step: int) -> str:
    size = abs(step)
    return "hold" if size == 0 else "step" if size <= 2 else "third" if size <= 4 else "leap"


def _has_parallel(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """Any two voices moving the same way into the same perfect fifth or octave."""
    for low in range(len(before)):
        for high in range(low):
            moved = (after[low] - before[low], after[high] - before[high])
            if moved[0] * moved[1] <= 0:
                continue
            first = (before[high] - before[low]) % 12
            if first in (0, 7) and first == (after[high] - after[low]) % 12:
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" /
                        "ariaforge-training")
    parser.add_argument("--out", type=Path, default=store.DATA_DIR)
    parser.add_argument("--limit", type=int, default=None, help="chorales to read (tests)")
    args = parser.parse_args()
    import train

    counts = Counts()
    for tune in chorales(args.cache, args.limit):
        voices = tune.get("voices") or []
        if len(voices) != 4 or train.held_out(tune["id"]):
            continue
        numerator, denominator = tune["meter"]
        bar = numerator * 1920 // denominator
        counts.add([voice_notes(v, bar) for v in voices], 1920 // denominator)
    result = counts.result()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / OUT_FILE).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"{counts.chorales} chorales, {result['sonorities']} sonorities ->",
          args.out / OUT_FILE)
    print(json.dumps(result["figures"], indent=1))


if __name__ == "__main__":
    main()
