"""Mix balance and dynamics: the role-balanced mix against the previous fixed-volume mix,
on the same composed pieces, in the same run.

For each brief (jazz trio with trumpet, house, rock, folk, orchestral, lo-fi, ...) the
composer writes a score once; its stems are rendered once (TimGM6mb, 44.1 kHz) and mixed
two ways:

* "new": what `render_score` does now: every fader at the composer's default and a trim
  per track measured on a probe render (`audio.balance.probe_trims`);
* "old": the fixed volumes per role the composer used to set (melody 110, chords 88,
  pad 80, bass 100, drums 96, other 84), no trims.

Figures per piece, new beside old:

* melody - accompaniment (dB): the melody stem's integrated loudness minus the power
  sum of the chords, pad and other stems (target 3-6 dB);
* kick - bass (dB): the drum track's kick notes alone (rendered apart, at the drum
  track's gain) against the bass stem (balanced: within about +-4 dB);
* LRA (LU): EBU R 128 loudness range of the bus (target >= 2 on pieces with contrasting
  sections). Both mixes play the same (new) velocities, so the LRA here shows what the
  mix does to the dynamics; the velocity law itself is in the composer;
* MP3 true peak (dBTP) of the decoded mix file: "new" through `render_score`, "old" the
  same master limited at -1 dBTP and encoded without the lossy headroom and check.

And once, a ratio: the whole render (WAV) of a balanced score against the same score
with its roles removed (no probe render, as before). A script, not a test: nothing here
fails.
"""

from __future__ import annotations

import math
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import numpy.typing as npt

from ariaforge.audio.balance import probe_trims
from ariaforge.audio.encode import decode, encode
from ariaforge.audio.loudness.meter import integrated_lufs, loudness_range_lu
from ariaforge.audio.loudness.true_peak import true_peak_dbtp
from ariaforge.audio.mix import master_chain, process_stems, sum_stems
from ariaforge.audio.options import DEFAULT_TAIL_SECONDS, MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_score
from ariaforge.audio.synth import render_stems
from ariaforge.composer.run import compose
from ariaforge.music.score import Role, Score, Track

RATE = 44100
BRIEFS = [
    "a swinging jazz trio with trumpet, piano, bass and drums, 32 bars",
    "a house track with a synth lead, synth bass and drums, 124 bpm, 32 bars",
    "a rock song with electric guitar, bass and drums, verse and chorus, 36 bars",
    "a folk song with acoustic guitar, violin and bass, 32 bars",
    "an orchestral piece with strings, flute, horn and timpani, 40 bars",
    "a lo-fi hip hop beat with rhodes, bass and drums, 32 bars",
    "a pop song with piano, synth pad, bass and drums, verse and chorus, 32 bars",
]
OLD_VOLUMES = {Role.MELODY: 110, Role.CHORDS: 88, Role.PAD: 80, Role.BASS: 100,
               Role.DRUMS: 96, Role.OTHER: 84}
ACCOMPANIMENT = (Role.CHORDS, Role.PAD, Role.OTHER)
KICKS = (35, 36)


def loudness(audio: object) -> float | None:
    return integrated_lufs(audio, RATE)  # type: ignore[arg-type]


def power_sum(levels: list[float]) -> float | None:
    return 10.0 * math.log10(sum(10.0 ** (v / 10.0) for v in levels)) if levels else None


def old_score(score: Score) -> Score:
    return score.model_copy(update={"tracks": [
        t.model_copy(update={"volume": OLD_VOLUMES[t.role]}) for t in score.tracks]})


def figures(score: Score, stems: Mapping[str, npt.ArrayLike], trims: dict[str, float],
            folder: Path, *, new: bool) -> dict[str, float | None]:
    processed = process_stems(score, stems, MixSettings(), RATE, trims=trims)
    by_role: dict[Role, list[float]] = {}
    for track in score.tracks:
        value = loudness(processed[track.id])
        if value is not None:
            by_role.setdefault(track.role, []).append(value)
    melody = power_sum(by_role.get(Role.MELODY, []))
    accompaniment = power_sum([v for r in ACCOMPANIMENT for v in by_role.get(r, [])])
    bass = power_sum(by_role.get(Role.BASS, []))
    kick = kick_loudness(score, trims)
    bus = sum_stems(processed)
    lra = loudness_range_lu(bus, RATE)
    if new:
        result = render_score(score, MixSettings(), RenderOptions(format="mp3"), folder)
        mp3 = result.files[0].path
    else:
        master = master_chain(bus, RATE, MixSettings().master, target_lufs=-14.0).audio
        mp3 = encode(master, RATE, folder / "old.mp3", "mp3")
    return {
        "melody-acc": None if melody is None or accompaniment is None
        else melody - accompaniment,
        "kick-bass": None if kick is None or bass is None else kick - bass,
        "lra": lra,
        "mp3 tp": true_peak_dbtp(decode(mp3)),
    }


def kick_loudness(score: Score, trims: dict[str, float]) -> float | None:
    """The kick notes of the drum tracks alone, at each drum track's fader and trim."""
    levels = []
    for track in score.tracks:
        kicks = [n for n in track.notes if track.is_drum and n.pitch in KICKS]
        if not kicks:
            continue
        alone = Score(tempo=score.tempo, tempo_changes=score.tempo_changes, bars=score.bars,
                      meter=score.meter, tracks=[Track(
                          id=track.id, role=track.role, program=track.program, is_drum=True,
                          volume=track.volume, notes=kicks)])
        stem = render_stems(alone, None, RATE)[track.id]
        processed = process_stems(alone, {track.id: stem}, MixSettings(), RATE,
                                  trims={track.id: trims.get(track.id, 0.0)})
        value = loudness(processed[track.id])
        if value is not None:
            levels.append(value)
    return power_sum(levels)


def show(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.1f}"


def main() -> int:
    names = ["melody-acc", "kick-bass", "lra", "mp3 tp"]
    print(f"{'brief':38s} " + "  ".join(f"{n:>15s}" for n in names))
    print(f"{'':38s} " + "  ".join(f"{'new':>7s} {'old':>7s}" for _ in names))
    rows: list[tuple[dict[str, float | None], dict[str, float | None]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-mix-") as folder:
        for index, brief in enumerate(BRIEFS):
            score = compose(brief).score
            stems = render_stems(score, None, RATE)
            here = Path(folder) / str(index)
            here.mkdir()
            trims = probe_trims(score, None, start_tick=0, end_tick=None,
                                tail_seconds=DEFAULT_TAIL_SECONDS,
                                track_ids=[t.id for t in score.tracks])
            new = figures(score, stems, trims, here, new=True)
            old = figures(old_score(score), stems, {}, here, new=False)
            rows.append((new, old))
            roles = ",".join(sorted({t.role.value for t in score.tracks}))
            label = f"{brief[:24]}.. [{roles}]"[:38]
            print(f"{label:38s} " + "  ".join(
                f"{show(new[n])} {show(old[n])}" for n in names), flush=True)
        print("median".ljust(38) + " " + "  ".join(
            f"{show(_median([r[0][n] for r in rows]))} "
            f"{show(_median([r[1][n] for r in rows]))}" for n in names))
        count = len(rows)

        def hits(side: int, name: str, low: float, high: float) -> int:
            values = [row[side][name] for row in rows]
            return sum(1 for v in values if v is not None and low <= v <= high)

        print(f"melody 3-6 dB over the accompaniment: new {hits(0, 'melody-acc', 3, 6)}, "
              f"old {hits(1, 'melody-acc', 3, 6)} of {count}")
        print(f"LRA >= 2 LU: new {hits(0, 'lra', 2, 99)}, old {hits(1, 'lra', 2, 99)} of "
              f"{count}; MP3 <= -1 dBTP: new {hits(0, 'mp3 tp', -99, -1)}, old "
              f"{hits(1, 'mp3 tp', -99, -1)} of {count}")
        render_ratio(compose(BRIEFS[0]).score, Path(folder))
    return 0


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def render_ratio(score: Score, folder: Path) -> None:
    """Whole render, balanced vs the same score without roles, best of 3."""
    plain = score.model_copy(update={"tracks": [
        t.model_copy(update={"role": Role.OTHER}) for t in score.tracks]})
    best = {"balanced": math.inf, "plain": math.inf}
    for _ in range(3):
        for name, which in (("balanced", score), ("plain", plain)):
            began = time.perf_counter()
            render_score(which, MixSettings(), RenderOptions(), folder / name)
            best[name] = min(best[name], time.perf_counter() - began)
    print(f"render time, balanced (with its probe) / plain mix: "
          f"{best['balanced'] / best['plain']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
