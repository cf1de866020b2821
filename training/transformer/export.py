"""Write trained weights (fit.py's weights.npz) as an ONNX graph, built node by node
with the `onnx` helpers, and check ONNX Runtime against the JAX forward pass.

    python training/transformer/export.py --run DIR [--onnx FILE]

The graph: features int64 [batch, time, 6] (time <= context) -> logits float32
[batch, time, 25]. Opset 17 (LayerNormalization); weights stored as float32.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/
from transformer.layout import (
    COLUMNS,
    CONTEXT,
    FAMILIES,
    QUALITIES,
    SIZES,
    START_TOKEN,
    VOCAB,
)

OPSET = 17


class Graph:
    """Collects nodes and initialisers; each op returns its output name."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.names = 0
        for name, value in weights.items():
            self.inits.append(numpy_helper.from_array(value.astype(np.float32), name))

    def const(self, value: np.ndarray) -> str:
        name = self._name("c")
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def _name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def op(self, kind: str, *inputs: str, **attrs: object) -> str:
        out = self._name(kind.lower())
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out


def build(weights: dict[str, np.ndarray], config: dict[str, int]) -> onnx.ModelProto:
    g = Graph(weights)
    width, heads = config["width"], config["heads"]
    size = width // heads
    i64 = np.int64
    time_len = g.op("Gather", g.op("Shape", "features"), g.const(np.array(1, i64)), axis=0)
    time_1d = g.op("Unsqueeze", time_len, g.const(np.array([0], i64)))
    zero_1d = g.const(np.array([0], i64))
    h = g.op("Slice", "embed_position", zero_1d, time_1d, zero_1d)  # [time, width]
    for column, name in enumerate(COLUMNS):
        index = g.op("Gather", "features", g.const(np.array(column, i64)), axis=2)
        h = g.op("Add", h, g.op("Gather", f"embed_{name}", index, axis=0))
    context = config["context"]
    causal = np.triu(np.full((context, context), -1e9, np.float32), k=1)
    ends = g.op("Concat", time_1d, time_1d, axis=0)
    mask = g.op("Slice", g.const(causal), g.const(np.array([0, 0], i64)), ends,
                g.const(np.array([0, 1], i64)))
    split_shape = g.const(np.array([0, 0, heads, size], i64))
    merge_shape = g.const(np.array([0, 0, width], i64))
    scale = g.const(np.array(1.0 / math.sqrt(size), np.float32))
    for layer in range(config["layers"]):
        p = f"block{layer}_"
        a = g.op("LayerNormalization", h, p + "ln1_scale", p + "ln1_bias", axis=-1,
                 epsilon=1e-5)

        def project(name: str, a: str = a, p: str = p) -> str:
            y = g.op("Add", g.op("MatMul", a, p + name + "_w"), p + name + "_b")
            return g.op("Transpose", g.op("Reshape", y, split_shape), perm=[0, 2, 1, 3])

        q, k, v = project("q"), project("k"), project("v")
        scores = g.op("Mul", g.op("MatMul", q, g.op("Transpose", k, perm=[0, 1, 3, 2])),
                      scale)
        weights_ = g.op("Softmax", g.op("Add", scores, mask), axis=-1)
        mixed = g.op("Reshape", g.op("Transpose", g.op("MatMul", weights_, v),
                                     perm=[0, 2, 1, 3]), merge_shape)
        h = g.op("Add", h, g.op("Add", g.op("MatMul", mixed, p + "o_w"), p + "o_b"))
        m = g.op("LayerNormalization", h, p + "ln2_scale", p + "ln2_bias", axis=-1,
                 epsilon=1e-5)
        up = g.op("Add", g.op("MatMul", m, p + "up_w"), p + "up_b")
        erf = g.op("Erf", g.op("Mul", up, g.const(np.array(1 / math.sqrt(2), np.float32))))
        act = g.op("Mul", g.op("Mul", up, g.const(np.array(0.5, np.float32))),
                   g.op("Add", erf, g.const(np.array(1.0, np.float32))))
        h = g.op("Add", h, g.op("Add", g.op("MatMul", act, p + "down_w"), p + "down_b"))
    h = g.op("LayerNormalization", h, "ln_final_scale", "ln_final_bias", axis=-1,
             epsilon=1e-5)
    logits = g.op("Add", g.op("MatMul", h, "out_w"), "out_b")
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"]))
    graph = helper.make_graph(
        g.nodes, "ariaforge_melody_transformer",
        [helper.make_tensor_value_info("features", TensorProto.INT64,
                                       ["batch", "time", len(COLUMNS)])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["batch", "time", VOCAB])],
        g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="ariaforge-training")
    model.ir_version = 8  # readable by every ONNX Runtime that knows opset 17
    # The input layout travels with the model; the app checks it before use.
    layout = {"columns": list(COLUMNS), "sizes": list(SIZES), "context": CONTEXT,
              "vocab": VOCAB, "start_token": START_TOKEN, "families": list(FAMILIES),
              "qualities": list(QUALITIES)}
    helper.set_model_props(model, {"ariaforge_layout": json.dumps(layout, sort_keys=True)})
    onnx.checker.check_model(model)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="fit.py's --out")
    parser.add_argument("--onnx", type=Path, default=None)
    args = parser.parse_args()
    target = args.onnx or args.run / "melody_transformer.onnx"
    summary = json.loads((args.run / "training.json").read_text())
    weights = dict(np.load(args.run / "weights.npz"))
    model = build(weights, summary["config"])
    onnx.save(model, target)
    check(weights, summary["config"], target)
    print(f"{target}: {target.stat().st_size / 1e6:.2f} MB")


def check(weights: dict[str, np.ndarray], config: dict[str, int], target: Path) -> None:
    """ONNX Runtime and the JAX forward pass agree on random features."""
    import jax.numpy as jnp
    import onnxruntime

    from transformer.model import Config, forward

    rng = np.random.default_rng(0)
    x = np.stack([rng.integers(0, size, (3, 40)) for size in SIZES], axis=-1)
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    ours = session.run(None, {"features": x})[0]
    reference = np.asarray(forward({k: jnp.asarray(v) for k, v in weights.items()},
                                   Config(**config), jnp.asarray(x)))
    gap = float(np.abs(ours - reference).max())
    if gap > 1e-3:
        raise SystemExit(f"ONNX and JAX disagree by {gap}")
    print(f"ONNX Runtime matches JAX (max |logit gap| {gap:.2e})")


if __name__ == "__main__":
    main()
