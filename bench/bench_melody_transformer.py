"""Melody model: the shipped n-gram against the small transformer of issue 12 (ADR 0019).

Same tokens (the next melody interval), same held-out tunes (the 200 shipped with the
package), nats per token, measured in one run:

* held-out NLL of the n-gram melody model, a plain interval 6-gram, random in-scale and the
  transformer (ONNX Runtime);
* the same with the decoding mask: only intervals that stay inside the tune's register,
  renormalised (what the decoder does before it samples);
* ONNX Runtime time per next-interval call (one thread, full 64-step history) and what the
  ~250 calls of a 32-bar melody cost, beside the n-gram's lookup;
* sizes: the .onnx file and the installed onnxruntime package.

The transformer needs `onnxruntime` (not in the app's lock) and the exported model
(training/transformer/, see training/README.md); without either this prints why and stops.
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
from pathlib import Path

import numpy as np

from ariaforge.composer.model.corpus import Tune, melody_samples, read_tune
from ariaforge.composer.model.evaluate import heldout_figures, longest_copy_bars, tune_bars
from ariaforge.composer.model.store import DATA_DIR, load_copycheck, load_heldout, load_models
from ariaforge.composer.model.tokens import INTERVALS, MAX_INTERVAL, strength

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))
from transformer.inference import load_transformer  # noqa: E402

ONNX_FILE = "melody_transformer.onnx"
CANDIDATES = (REPO / "training" / "transformer" / ONNX_FILE,)
CALLS = 250  # next-interval calls in a 32-bar melody, about


def register_mask(tune: Tune) -> np.ndarray:
    """[tokens, 25] True where the interval keeps the melody inside the tune's range."""
    low, high = min(n.pitch for n in tune.notes), max(n.pitch for n in tune.notes)
    steps = np.arange(-MAX_INTERVAL, MAX_INTERVAL + 1)
    previous = np.array([n.pitch for n in tune.notes[:-1]])[:, None]
    return (previous + steps >= low) & (previous + steps <= high)


def masked_nll(logp: np.ndarray, targets: np.ndarray, mask: np.ndarray) -> float:
    probs = np.exp(logp) * mask
    picked = probs[np.arange(len(targets)), targets] / probs.sum(-1)
    return float(-np.log(picked).mean())


def paired_interval(ours: np.ndarray, theirs: np.ndarray, targets: np.ndarray,
                    offsets: np.ndarray, resamples: int = 2000) -> tuple[float, float]:
    """95% bootstrap interval of the NLL difference (ours - theirs, nats per token), drawing
    whole tunes with replacement: tokens of one tune are not independent."""
    rows = np.arange(len(targets))
    gap = theirs[rows, targets] - ours[rows, targets]  # per-token NLL difference
    per_tune = np.add.reduceat(gap, offsets[:-1])
    counts = np.diff(offsets)
    rng = np.random.default_rng(0)
    draws = rng.integers(0, len(counts), (resamples, len(counts)))
    means = per_tune[draws].sum(1) / counts[draws].sum(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def unquoted(tunes: list[Tune]) -> np.ndarray:
    """Per tune: True when no two consecutive bars of it are found in the training tunes
    (the copy check's hashes), i.e. it is not a duplicate of a training tune."""
    check = load_copycheck()
    singles, pairs = set(check.singles), set(check.pairs)
    return np.array([longest_copy_bars(tune_bars(t), t.tonic, singles, pairs) < 2
                     for t in tunes])


def app_gap(path: Path, tune: Tune, logp: np.ndarray) -> float:
    """The app's own inference path on a tune's first notes against the evaluation's rows
    (both see the whole history while it fits in the context)."""
    model = load_transformer(path)
    pitches = [n.pitch for n in tune.notes]
    starts = [n.onset for n in tune.notes]

    def beat(tick: int) -> str:
        return strength(tick % tune.bar, tune.numerator, tune.denominator)

    gaps = [float(np.abs(np.asarray(model.after_notes(
        tune.family, tune.tonic, pitches[:i + 1], starts[:i + 1], starts[i + 1], beat,
        tune.chord_at)) - np.exp(logp[i])).max()) for i in range(min(60, len(pitches) - 1))]
    return max(gaps)


def main() -> None:
    found = next((path for path in CANDIDATES if path.exists()), None)
    if importlib.util.find_spec("onnxruntime") is None or found is None:
        print("skipped: needs the onnxruntime package and an exported melody_transformer.onnx"
              " (training/README.md, 'The melody transformer'); the n-gram figures are in "
              "bench_composer_models")
        return
    from transformer.features import pack
    from transformer.measure import log_probs, session

    models = load_models()
    tunes = [t for t in (read_tune(d) for d in load_heldout()) if t is not None]
    figures = heldout_figures(models.melody, models.plain, tunes)
    packed = pack(tunes)
    targets = packed["y"].astype(np.int64)
    run = session(found)
    ours = log_probs(run, packed["x"], packed["offsets"])
    ngram = np.log(np.array([models.melody.distribution(context)
                             for tune in tunes for context, _ in melody_samples(tune)]))
    if [int(token) + MAX_INTERVAL for tune in tunes for _, token in melody_samples(tune)] \
            != targets.tolist():
        raise SystemExit("transformer and n-gram rows disagree")  # same tokens, same order
    mask = np.concatenate([register_mask(tune) for tune in tunes])
    transformer = -float(ours[np.arange(len(targets)), targets].mean())
    print(f"held-out NLL per interval token ({len(targets)} tokens, {len(tunes)} tunes, nats;"
          " lower is better):")
    print(f"  {'':24s}{'plain':>8s}{'register mask':>15s}")
    print(f"  {'transformer (ONNX)':24s}{transformer:8.3f}{masked_nll(ours, targets, mask):15.3f}")
    print(f"  {'n-gram melody model':24s}{figures['melody_nats']:8.3f}"
          f"{masked_nll(ngram, targets, mask):15.3f}")
    print(f"  {'plain 6-gram':24s}{figures['plain_6gram_nats']:8.3f}")
    print(f"  {'random in-scale':24s}{figures['random_in_scale_nats']:8.3f}")
    low, high = paired_interval(ours, ngram, targets, packed["offsets"])
    print(f"  transformer - n-gram = {transformer - figures['melody_nats']:+.3f} nats/token "
          f"(95% interval over tunes {low:+.3f} .. {high:+.3f}); perplexity "
          f"{math.exp(transformer):.2f} vs {math.exp(figures['melody_nats']):.2f}")

    clean = unquoted(tunes)
    keep = np.repeat(clean, np.diff(packed["offsets"]))
    rows = np.arange(len(targets))
    print(f"  only the {int(clean.sum())} tunes that share no 2 bars in a row with a training "
          f"tune ({int(keep.sum())} tokens; some tunes appear in two collections): "
          f"transformer {-ours[rows, targets][keep].mean():.3f}, "
          f"n-gram {-ngram[rows, targets][keep].mean():.3f}")
    print(f"  inference (training/transformer/inference.py) vs the rows above: max |p gap| "
          f"{app_gap(found, tunes[0], ours):.1e}")

    window = packed["x"][None, :64].astype(np.int64)
    times = []
    for _ in range(300):
        begin = time.perf_counter()
        logits = run.run(None, {"features": window})[0][0, -1]
        probs = np.exp(logits - logits.max()) * mask[63]
        probs /= probs.sum()
        times.append(time.perf_counter() - begin)
    context = next(melody_samples(tunes[0]))[0]
    begin = time.perf_counter()
    for _ in range(CALLS):
        models.melody.distribution(context)
    lookup = (time.perf_counter() - begin) / CALLS
    per_call = sorted(times)[len(times) // 2]
    print(f"\nnext-interval call, one thread: transformer {per_call * 1000:.2f} ms median "
          f"(p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.2f} ms) -> {CALLS} calls "
          f"{per_call * CALLS:.3f} s per 32-bar melody (goal < 0.3 s); n-gram "
          f"{lookup * 1e6:.1f} us per call (memoised)")
    import onnxruntime

    package = Path(onnxruntime.__file__).parent
    installed = sum(f.stat().st_size for f in package.rglob("*") if f.is_file())
    print(f"sizes: {found.name} {found.stat().st_size / 1e6:.2f} MB ({found.parent.name}/); "
          f"onnxruntime {onnxruntime.__version__} installed {installed / 1e6:.0f} MB; "
          f"n-gram models.json.gz {(DATA_DIR / 'models.json.gz').stat().st_size / 1e6:.2f} MB;"
          f" vocabulary {len(INTERVALS)} intervals")


if __name__ == "__main__":
    main()
