"""One composition of every brief per test session: every musicality module reads the
same scores, so running the package composes the brief set once."""

from __future__ import annotations

import pytest

from tests.composer.musicality.briefset import (
    Composed,
    bench_briefs,
    compose_all,
    extra_modal_briefs,
)


@pytest.fixture(scope="session")
def briefset() -> list[Composed]:
    """The bench's 88 briefs at seeds 0 and 1."""
    return compose_all(bench_briefs())


@pytest.fixture(scope="session")
def extra_modal() -> list[Composed]:
    return compose_all(extra_modal_briefs())
