"""Held-out NLL and ONNX Runtime latency of an exported melody transformer.

    python training/transformer/measure.py --features melody_features.npz --onnx FILE
        [--first 200] [--out FILE.json]

NLL in nats per interval token over every held-out tune and over the first `--first` of
them (the ones shipped for the bench, in the same order as training/train.py). Latency: one
next-step call (batch 1, the full context, one thread), as the decoder would make it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/
from transformer.layout import CONTEXT
from transformer.windows import evaluation_windows


def session(path: Path, threads: int = 1):  # type: ignore[no-untyped-def]
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options,
                                        providers=["CPUExecutionProvider"])


def log_probs(run, x: np.ndarray, offsets: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Log-probabilities [tokens, VOCAB] of every row of x (tunes cut by offsets), each
    with its history (see windows.evaluation_windows), in row order."""
    xs, _, weight = evaluation_windows(x, np.zeros(len(x), np.int64), offsets, CONTEXT)
    parts = []
    for begin in range(0, len(xs), 128):
        logits = run.run(None, {"features": xs[begin:begin + 128]})[0].astype(np.float64)
        logits -= logits.max(-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        parts.append(logp[weight[begin:begin + 128] > 0])  # windows, then positions, in order
    return np.concatenate(parts)


def nll(run, x: np.ndarray, y: np.ndarray, offsets: np.ndarray) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    logp = log_probs(run, x, offsets)
    return -float(logp[np.arange(len(y)), y.astype(np.int64)].sum()), len(y)


def latency(run, x: np.ndarray, calls: int = 300) -> dict[str, float]:  # type: ignore[no-untyped-def]
    window = x[None, :CONTEXT].astype(np.int64)
    for _ in range(20):
        run.run(None, {"features": window})
    times = []
    for _ in range(calls):
        begin = time.perf_counter()
        logits = run.run(None, {"features": window})[0][0, -1]
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        times.append(time.perf_counter() - begin)
    times.sort()
    return {"median_ms": round(1000 * times[len(times) // 2], 3),
            "p95_ms": round(1000 * times[int(len(times) * 0.95)], 3),
            "melody_32_bars_250_calls_s": round(250 * times[len(times) // 2], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, required=True)
    parser.add_argument("--onnx", type=Path, required=True)
    parser.add_argument("--first", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    data = np.load(args.features)
    run = session(args.onnx)
    x, y, offsets = data["heldout_x"], data["heldout_y"], data["heldout_offsets"]
    total, tokens = nll(run, x, y, offsets)
    first = offsets[:args.first + 1]
    total_first, tokens_first = nll(run, x[:first[-1]], y[:first[-1]], first)
    result = {"heldout_tunes": len(offsets) - 1, "heldout_tokens": tokens,
              "heldout_nats": round(total / tokens, 4),
              f"first_{args.first}_tokens": tokens_first,
              f"first_{args.first}_nats": round(total_first / tokens_first, 4),
              "onnx_bytes": args.onnx.stat().st_size, "latency_one_thread": latency(run, x)}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
