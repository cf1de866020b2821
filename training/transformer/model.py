"""A small causal transformer over melody steps, in plain JAX (no framework): parameters
are a flat dict of arrays so that export.py can write the same graph to ONNX by hand.

Input per position: the six feature columns of features.py, each embedded and summed with a
learned position embedding; pre-norm blocks (multi-head causal self-attention, GELU MLP);
output: logits over the 25 interval tokens for the step at that position.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from transformer.layout import COLUMNS, CONTEXT, SIZES, VOCAB

Params = dict[str, jax.Array]


@dataclass(frozen=True)
class Config:
    layers: int = 3
    width: int = 96
    heads: int = 4
    hidden: int = 256  # MLP width
    context: int = CONTEXT
    dropout: float = 0.1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def init_params(config: Config, seed: int) -> Params:
    rng = np.random.default_rng(seed)
    d = config.width

    def normal(*shape: int, scale: float = 0.02) -> jax.Array:
        return jnp.asarray(rng.normal(0.0, scale, shape), dtype=jnp.float32)

    params: Params = {f"embed_{name}": normal(size, d) for name, size in zip(COLUMNS, SIZES,
                                                                             strict=True)}
    params["embed_position"] = normal(config.context, d)
    residual_scale = 0.02 / math.sqrt(2 * config.layers)  # GPT-2's scaled residual init
    for layer in range(config.layers):
        p = f"block{layer}_"
        for name in ("ln1", "ln2"):
            params[p + name + "_scale"] = jnp.ones(d)
            params[p + name + "_bias"] = jnp.zeros(d)
        for name in ("q", "k", "v"):
            params[p + name + "_w"] = normal(d, d)
            params[p + name + "_b"] = jnp.zeros(d)
        params[p + "o_w"] = normal(d, d, scale=residual_scale)
        params[p + "o_b"] = jnp.zeros(d)
        params[p + "up_w"] = normal(d, config.hidden)
        params[p + "up_b"] = jnp.zeros(config.hidden)
        params[p + "down_w"] = normal(config.hidden, d, scale=residual_scale)
        params[p + "down_b"] = jnp.zeros(d)
    params["ln_final_scale"] = jnp.ones(d)
    params["ln_final_bias"] = jnp.zeros(d)
    params["out_w"] = normal(d, VOCAB)
    params["out_b"] = jnp.zeros(VOCAB)
    return params


def layer_norm(x: jax.Array, scale: jax.Array, bias: jax.Array) -> jax.Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + 1e-5) * scale + bias


def gelu(x: jax.Array) -> jax.Array:
    """The exact (erf) GELU, which ONNX writes with an Erf node."""
    return 0.5 * x * (1.0 + jax.scipy.special.erf(x / math.sqrt(2.0)))


def _dropout(x: jax.Array, rate: float, key: jax.Array | None) -> jax.Array:
    if key is None or rate <= 0:
        return x
    keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
    return jnp.where(keep, x / (1.0 - rate), 0.0)


def forward(params: Params, config: Config, x: jax.Array, key: jax.Array | None = None
            ) -> jax.Array:
    """Logits [batch, time, VOCAB] for int features x [batch, time, 6]; `key` turns on
    dropout (training)."""
    batch, time, _ = x.shape
    keys = list(jax.random.split(key, 2 * config.layers + 1)) if key is not None else None
    h = params["embed_position"][:time][None]
    for column, name in enumerate(COLUMNS):
        h = h + params[f"embed_{name}"][x[:, :, column]]
    h = _dropout(h, config.dropout, keys.pop() if keys else None)
    heads, size = config.heads, config.width // config.heads
    causal = jnp.tril(jnp.ones((time, time), dtype=bool))
    for layer in range(config.layers):
        p = f"block{layer}_"
        a = layer_norm(h, params[p + "ln1_scale"], params[p + "ln1_bias"])

        def split(name: str, a: jax.Array = a, p: str = p) -> jax.Array:
            y = a @ params[p + name + "_w"] + params[p + name + "_b"]
            return y.reshape(batch, time, heads, size).transpose(0, 2, 1, 3)

        q, k, v = split("q"), split("k"), split("v")
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size)
        scores = jnp.where(causal, scores, -1e9)
        mixed = jax.nn.softmax(scores, axis=-1) @ v
        mixed = mixed.transpose(0, 2, 1, 3).reshape(batch, time, config.width)
        attended = mixed @ params[p + "o_w"] + params[p + "o_b"]
        h = h + _dropout(attended, config.dropout, keys.pop() if keys else None)
        m = layer_norm(h, params[p + "ln2_scale"], params[p + "ln2_bias"])
        m = gelu(m @ params[p + "up_w"] + params[p + "up_b"]) @ params[p + "down_w"]
        h = h + _dropout(m + params[p + "down_b"], config.dropout,
                         keys.pop() if keys else None)
    h = layer_norm(h, params["ln_final_scale"], params["ln_final_bias"])
    return h @ params["out_w"] + params["out_b"]


def loss(params: Params, config: Config, x: jax.Array, y: jax.Array, weight: jax.Array,
         key: jax.Array | None) -> jax.Array:
    """Mean negative log-likelihood (nats) over the weighted positions."""
    logits = forward(params, config, x, key)
    logp = jax.nn.log_softmax(logits, axis=-1)
    picked = jnp.take_along_axis(logp, y[..., None].astype(jnp.int32), axis=-1)[..., 0]
    return -(picked * weight).sum() / jnp.maximum(weight.sum(), 1.0)


def count(params: Params) -> int:
    return sum(int(np.prod(value.shape)) for value in params.values())
