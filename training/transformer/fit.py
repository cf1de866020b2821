"""Train the melody transformer on CPU within a wall-clock budget.

    python training/transformer/fit.py --features melody_features.npz --out DIR
        [--minutes 30] [--threads 1] [--seed 0]

Needs the training environment (training/requirements-transformer.txt), not the app's.
AdamW with warm-up and cosine decay; the number of steps is fixed after timing the first
ones so that the schedule ends inside the budget. The validation tunes (features.py)
choose the checkpoint; the held-out tunes are never looked at here. Writes DIR/weights.npz
and DIR/training.json (config, figures, times).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path


def _limit_threads(threads: int) -> None:
    # Before jax is imported: XLA reads its flags once. The machine is shared.
    os.environ["XLA_FLAGS"] = (f"--xla_cpu_multi_thread_eigen={'true' if threads > 1 else 'false'}"
                               f" intra_op_parallelism_threads={threads}")


def save(out: Path, params: dict[str, object]) -> None:
    import numpy as np

    out.mkdir(parents=True, exist_ok=True)
    arrays = {name: np.asarray(value) for name, value in params.items()}
    np.savez(out / "weights.npz", allow_pickle=False, **arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args()
    _limit_threads(args.threads)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/
    run(args)


def run(args: argparse.Namespace) -> None:
    import jax
    import jax.numpy as jnp
    import numpy as np
    import optax

    from transformer.model import Config, count, init_params, loss
    from transformer.windows import evaluation_windows, training_windows

    started = time.time()
    data = np.load(args.features)
    config = Config(layers=args.layers, width=args.width)
    params = init_params(config, args.seed)
    rng = np.random.default_rng(args.seed)
    val = evaluation_windows(data["validation_x"], data["validation_y"],
                             data["validation_offsets"], config.context)
    optimiser = optax.chain(optax.clip_by_global_norm(1.0), optax.scale_by_adam())
    state = optimiser.init(params)

    @jax.jit
    def step(params, state, x, y, w, key, lr):  # type: ignore[no-untyped-def]
        value, grads = jax.value_and_grad(loss)(params, config, x, y, w, key)
        updates, state = optimiser.update(grads, state, params)
        decay = {name: 0.0 if name.endswith(("_b", "_bias", "_scale")) else 0.05
                 for name in params}
        params = {name: p - lr * (updates[name] + decay[name] * p)
                  for name, p in params.items()}
        return params, state, value

    @jax.jit
    def summed_nll(params, x, y, w):  # type: ignore[no-untyped-def]
        return loss(params, config, x, y, w, None) * w.sum()

    def validation_nll(params) -> float:  # type: ignore[no-untyped-def]
        total = 0.0
        for begin in range(0, len(val[0]), 256):
            total += float(summed_nll(params, *(jnp.asarray(a[begin:begin + 256])
                                                for a in val)))
        return total / float(val[2].sum())

    budget = args.minutes * 60 - (time.time() - started)
    warmup, total_steps, steps_done = 150, None, 0
    best, best_params, history, key = math.inf, params, [], jax.random.PRNGKey(args.seed)
    timing_from = None
    while total_steps is None or steps_done < total_steps:
        x, y, w = training_windows(data["train_x"], data["train_y"], data["train_offsets"],
                                   config.context, rng)
        order = rng.permutation(len(x))
        for begin in range(0, len(order) - args.batch + 1, args.batch):
            if total_steps is not None and steps_done >= total_steps:
                break
            if time.time() - started > args.minutes * 60:
                total_steps = steps_done  # the machine got slower: stop on time, keep the best
                break
            pick = order[begin:begin + args.batch]
            if total_steps is None:
                lr = args.lr * min(1.0, (steps_done + 1) / warmup)
            else:
                progress = (steps_done - warmup) / max(1, total_steps - warmup)
                lr = args.lr * (min(1.0, (steps_done + 1) / warmup) if steps_done < warmup
                                else 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
            key, sub = jax.random.split(key)
            params, state, value = step(params, state, jnp.asarray(x[pick]),
                                        jnp.asarray(y[pick]), jnp.asarray(w[pick]), sub,
                                        jnp.float32(lr))
            steps_done += 1
            if steps_done == 5:
                timing_from = time.time()  # after compilation
            if steps_done == 65 and total_steps is None and timing_from is not None:
                per_step = (time.time() - timing_from) / 60
                left = budget - (time.time() - started) - 60  # keep a minute for checks
                # validation passes cost about as much as 25 steps each, 1 per 200 steps
                total_steps = steps_done + max(1, int(left / per_step / (1 + 25 / 200)))
                print(f"{per_step * 1000:.0f} ms/step -> {total_steps} steps", flush=True)
            if steps_done % 200 == 0 or steps_done == total_steps:
                nll = validation_nll(params)
                history.append({"step": steps_done, "train_loss": round(float(value), 4),
                                "validation_nats": round(nll, 4),
                                "minutes": round((time.time() - started) / 60, 2)})
                print(history[-1], flush=True)
                if nll < best:
                    best, best_params = nll, params
                    save(args.out, best_params)
    if not history or history[-1]["step"] != steps_done:
        nll = validation_nll(params)
        history.append({"step": steps_done, "validation_nats": round(nll, 4)})
        if nll < best:
            best, best_params = nll, params
    save(args.out, best_params)
    summary = {"config": config.to_json(), "parameters": count(best_params),
               "steps": steps_done, "batch": args.batch, "peak_lr": args.lr,
               "seed": args.seed, "threads": args.threads,
               "training_tokens": int(data["train_y"].size),
               "validation_tokens": int(data["validation_y"].size),
               "best_validation_nats": round(best, 4), "history": history,
               "wall_minutes": round((time.time() - started) / 60, 2)}
    (args.out / "training.json").write_text(json.dumps(summary, indent=1) + "\n")
    print({k: v for k, v in summary.items() if k != "history"})


if __name__ == "__main__":
    main()
