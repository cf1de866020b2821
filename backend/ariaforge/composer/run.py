"""Run the composer graph in-process, with no server, database or queue: the CLI, the
benchmarks and the tests use this; the worker runs the same graph with a checkpointer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ariaforge.composer.brief import Brief
from ariaforge.composer.graph import ComposeContext, ProgressEvent, build_graph
from ariaforge.composer.llm import brief_reader_from_env
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.state import ComposeState
from ariaforge.music.score import Score

__all__ = ["Composition", "compose", "compose_async"]


@dataclass(frozen=True)
class Composition:
    score: Score
    brief: Brief
    warnings: list[str]
    validation: dict[str, Any]


async def compose_async(request: ComposeRequest, *, base: Score | None = None,
                        previous_brief: Brief | None = None,
                        progress: Callable[[ProgressEvent], None] | None = None,
                        use_llm: bool = False) -> Composition:
    state: ComposeState = {
        "prompt": request.prompt, "request": request.model_dump(mode="json", exclude_none=True),
        "base": base.model_dump(mode="json") if base is not None else None,
        "previous_brief": previous_brief.model_dump(mode="json") if previous_brief else None}
    context = ComposeContext(progress=progress,
                             read_brief=brief_reader_from_env() if use_llm else None)
    final: dict[str, Any] = await build_graph().ainvoke(state, context=context)
    return Composition(Score.model_validate(final["score"]),
                       Brief.model_validate(final["brief"]), list(final.get("warnings", [])),
                       dict(final.get("report", {})))


def compose(request: ComposeRequest | str, **options: Any) -> Composition:
    """`compose("a melancholic waltz in D minor")`: the whole pipeline, synchronously."""
    if isinstance(request, str):
        request = ComposeRequest(prompt=request)
    return asyncio.run(compose_async(request, **options))
