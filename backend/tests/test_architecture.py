"""The import graph of `ariaforge`, read from the source (nothing is imported): the
arrows go from the edge (entry points) to domains to infrastructure and pure libraries,
never back.

Every `import` counts, wherever it is written: at module level, inside a function, under
`if TYPE_CHECKING:`. (A module named in a string, as `importlib.import_module` takes it,
is not seen; the composition root `ariaforge.tasks` does that only for the names an
operator gives it.)

Faults the code still has are listed in the KNOWN_* sets below, so that they are visible
and cannot grow unnoticed; once one is fixed, its entry must go (a test says so).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "ariaforge"

INFRASTRUCTURE = frozenset({"ariaforge.core", "ariaforge.queue", "ariaforge.models",
                            "ariaforge.web"})
DOMAINS = frozenset({"ariaforge.auth", "ariaforge.membership", "ariaforge.projects",
                     "ariaforge.scores", "ariaforge.exports", "ariaforge.sessions",
                     "ariaforge.jobs", "ariaforge.collab", "ariaforge.sharing",
                     "ariaforge.onboarding", "ariaforge.analytics", "ariaforge.similarity",
                     "ariaforge.library"})
PURE = frozenset({"ariaforge.music", "ariaforge.audio", "ariaforge.composer"})
# The edge: entry points and the modules that wire every domain together. Importing one
# imports every domain, so nothing below the edge may.
ROOTS = frozenset({"ariaforge.main", "ariaforge.api", "ariaforge.tasks", "ariaforge.cli",
                   "ariaforge.cli_compose", "ariaforge.cli_render", "ariaforge.cli_backup",
                   "ariaforge.__main__"})
# Neither layer nor domain: settings, the text types of request bodies (pure pydantic,
# used by the composer's requests too), the operational endpoints, the package itself.
SHARED = frozenset({"ariaforge", "ariaforge.config", "ariaforge.text", "ariaforge.ops"})

# What pure code must not load (module-name prefixes): servers, databases, Redis.
WEB_AND_DB_LIBRARIES = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic",
                        "asyncpg", "psycopg", "psycopg_pool", "redis",
                        "langgraph.checkpoint.postgres")

# Known faults, (importing module, imported module) or a pair of domains.
KNOWN_INFRASTRUCTURE_TO_DOMAIN: frozenset[tuple[str, str]] = frozenset()
KNOWN_MUTUAL_DOMAINS: frozenset[frozenset[str]] = frozenset()
KNOWN_IMPURE: frozenset[tuple[str, str]] = frozenset({
    # Text validation types that live in core but load nothing of the web or the database.
    ("ariaforge.composer.operations", "ariaforge.text"),
})
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()


# --- the graph ---------------------------------------------------------------------------

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every module `module` names in an import statement, anywhere in its source."""
    modules = _sources()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from ariaforge import tasks` imports the module ariaforge.tasks.
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module -> the modules it imports (ours and third-party alike)."""
    return {module: frozenset(_imported(module, path)) for module, path in _sources().items()}


def unit(module: str) -> str:
    """The top-level package or module of ours that `module` belongs to."""
    return ".".join(module.split(".")[:2])


def ours(module: str) -> bool:
    return module == "ariaforge" or module.startswith("ariaforge.")


def edges(importers: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(importing module, imported module) for every import by modules of `importers`."""
    wanted = frozenset(importers)
    for module, imported in sorted(import_graph().items()):
        if unit(module) in wanted:
            yield from ((module, target) for target in sorted(imported))


def _listing(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"  {source} -> {target}" for source, target in pairs)


# --- the rules ---------------------------------------------------------------------------

def infrastructure_to_domain() -> set[tuple[str, str]]:
    return {(source, target) for source, target in edges(INFRASTRUCTURE)
            if ours(target) and unit(target) in DOMAINS}


def mutual_domains() -> dict[frozenset[str], list[tuple[str, str]]]:
    """Each pair of domains that import each other, with the imports either way."""
    between: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for source, target in edges(DOMAINS):
        if ours(target) and unit(target) in DOMAINS and unit(target) != unit(source):
            between.setdefault((unit(source), unit(target)), []).append((source, target))
    return {frozenset(pair): between[pair] + between[(pair[1], pair[0])]
            for pair in between if pair[0] < pair[1] and (pair[1], pair[0]) in between}


def impure() -> set[tuple[str, str]]:
    """Imports by the pure libraries of anything of ours but a pure library, or of a web
    or database library."""
    return {(source, target) for source, target in edges(PURE)
            if (ours(target) and unit(target) not in PURE)
            or any(target == name or target.startswith(f"{name}.")
                   for name in WEB_AND_DB_LIBRARIES)}


def upward() -> set[tuple[str, str]]:
    """Imports of the edge by anything below it."""
    below = INFRASTRUCTURE | DOMAINS | PURE | SHARED
    return {(source, target) for source, target in edges(below)
            if ours(target) and unit(target) in ROOTS}


def test_every_package_has_a_place_in_the_layers() -> None:
    placed = INFRASTRUCTURE | DOMAINS | PURE | ROOTS | SHARED
    units = {unit(module) for module in _sources()}
    assert units - placed == set(), "new packages: add them to a layer in this file"
    assert placed - units == set(), "gone: remove them from this file"


def test_infrastructure_imports_no_domain() -> None:
    found = infrastructure_to_domain() - KNOWN_INFRASTRUCTURE_TO_DOMAIN
    assert not found, ("infrastructure (core, queue, models, web) imports a domain; take "
                       f"what it needs as an argument instead:\n{_listing(sorted(found))}")


def test_no_two_domains_import_each_other() -> None:
    found = {pair: imports for pair, imports in mutual_domains().items()
             if pair not in KNOWN_MUTUAL_DOMAINS}
    assert not found, "domains that import each other:\n" + "\n".join(
        f"{' <-> '.join(sorted(pair))}:\n{_listing(imports)}" for pair, imports in found.items())


def test_the_pure_libraries_import_no_web_database_or_domain_code() -> None:
    found = impure() - KNOWN_IMPURE
    assert not found, ("music, audio and composer may import only each other and no web or "
                       f"database library:\n{_listing(sorted(found))}")


def test_only_the_edge_imports_the_edge() -> None:
    found = upward() - KNOWN_UPWARD
    assert not found, ("below the edge, a module imports an entry point or composition "
                       f"root (which imports every domain):\n{_listing(sorted(found))}")


def test_each_known_fault_is_still_there() -> None:
    """A fixed fault leaves the list, so that it cannot come back unnoticed."""
    fixed = sorted((KNOWN_INFRASTRUCTURE_TO_DOMAIN - infrastructure_to_domain())
                   | (KNOWN_IMPURE - impure()) | (KNOWN_UPWARD - upward()))
    assert not fixed, f"fixed: remove from this file's KNOWN_* sets:\n{_listing(fixed)}"
    pairs = sorted(" <-> ".join(sorted(pair))
                   for pair in KNOWN_MUTUAL_DOMAINS - mutual_domains().keys())
    assert not pairs, f"fixed: remove from KNOWN_MUTUAL_DOMAINS: {pairs}"


def test_the_graph_reader_sees_imports_inside_functions() -> None:
    """The reader itself: the CLI imports the worker and the task table only inside the
    `worker` command's function (its module level is light, ADR 18)."""
    imported = import_graph()["ariaforge.cli"]
    assert {"ariaforge.queue.worker", "ariaforge.tasks"} <= imported
    module_level = (PACKAGE_DIR / "cli.py").read_text(encoding="utf-8").split("\ndef ")[0]
    assert "ariaforge.queue.worker" not in module_level
