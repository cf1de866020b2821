"""Wires live co-editing into every score and mix write (scores/listeners.py), called by
the composition roots: the API's `create_app` and the worker's `all_handlers`."""

from __future__ import annotations

from ariaforge.collab import publisher, rest_hook
from ariaforge.collab.document_samples import check_placed_samples
from ariaforge.scores import listeners
from ariaforge.scores.service import register_score_check


def install(redis_url: str | None = None) -> None:
    """Register collab's listeners (again: no change). `redis_url`: where the updates
    of REST writes are published after commit (default: the REDIS_URL setting)."""
    publisher.configure(redis_url)
    listeners.register(before_write=rest_hook.before_write,
                       score_saved=rest_hook.score_saved, mix_saved=rest_hook.mix_saved)
    register_score_check(check_placed_samples)
