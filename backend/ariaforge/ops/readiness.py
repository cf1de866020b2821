"""What /ready decides, and why a database blip does not un-ready a serving pod.

Kubernetes sends traffic only to ready pods. Two kinds of trouble look alike to a probe:

- trouble that another pod could fix, or that lasts: the schema is older than this code
  (an old pod can serve until `ariaforge migrate` runs), a worker `ariaforge up` expects is
  missing, this pod cannot reach PostgreSQL or Redis for longer than READY_OUTAGE_GRACE_S;
- a short outage of PostgreSQL or Redis, which every pod sees at the same moment. Un-
  readying them all would empty the Service and take the web app, /docs and every
  route that needs neither down with it, for nothing: no other pod is better off.

So a process that has once been ready (schema current, PostgreSQL and Redis answering)
stays ready through an outage of PostgreSQL or Redis for READY_OUTAGE_GRACE_S, answering
`"status": "degraded"`; meanwhile the routes that need them answer 503 in the error shape
(core/errors.py). A process that has never been ready is not ready until all is well.
Under `ariaforge up` (one host, nobody to fail over to, and `up` reads /ready to know
whether what it supervises works) every failure counts at once, as before.
"""

from __future__ import annotations

import asyncio
import os
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_errors
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ariaforge.core.migrations import schema_lag

# Each dependency answers within this, or counts as unavailable: /ready stays within 5 s.
CHECK_TIMEOUT_S = 2.0
OUTAGE_CHECKS = ("database", "redis")
UNKNOWN_SCHEMA = "unknown: database unavailable"


@dataclass
class ReadinessMemory:
    """What one process remembers between probes.

    The uvicorn worker processes of one server share a pod, and a probe reaches whichever
    accepts it: "this pod has been ready" is kept in a marker file named after the server
    (the parent process and when it started), so a process that no probe has reached yet
    does not answer 503 through an outage that its sibling rides out.
    """

    marker: Path | None = None
    outage_since: float | None = None
    _ready_once: bool = False

    @property
    def ready_once(self) -> bool:
        return self._ready_once or (self.marker is not None and self.marker.exists())

    def mark_ready(self) -> None:
        if self._ready_once:
            return
        self._ready_once = True
        if self.marker is not None:
            with suppress(OSError):  # best effort: each process still remembers itself
                self.marker.parent.mkdir(parents=True, exist_ok=True)
                self.marker.touch()


def server_marker(run_dir: Path) -> Path | None:
    """`run_dir/ready-<parent pid>-<its start time>`; None where /proc cannot tell."""
    parent = os.getppid()
    try:
        stat = Path(f"/proc/{parent}/stat").read_text()
    except OSError:
        return None
    # Field 22 (start time), counted after the command name, which may hold spaces.
    started = stat.rsplit(")", 1)[-1].split()[19]
    return run_dir / f"ready-{parent}-{started}"


@dataclass(frozen=True)
class Verdict:
    ready: bool
    status: str  # "ready", "degraded" or "not ready"
    failing: list[str]
    outage_for_s: float | None = None


async def _applied_revisions(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        try:
            rows = await connection.scalars(text("SELECT version_num FROM alembic_version"))
        except sa_errors.ProgrammingError:  # no alembic_version: never migrated
            return []
        return [str(row) for row in rows]


async def check_database(engine: AsyncEngine) -> tuple[str, str]:
    """The `database` and `schema` checks, from one query."""
    try:
        applied = await asyncio.wait_for(_applied_revisions(engine), CHECK_TIMEOUT_S)
    except Exception as error:  # any failure to answer is unavailability
        return f"unavailable: {type(error).__name__}", UNKNOWN_SCHEMA
    lag = schema_lag(applied)
    return "ok", "ok" if lag is None else lag


async def check_redis(redis: Any) -> str:
    try:
        await asyncio.wait_for(redis.ping(), CHECK_TIMEOUT_S)
    except Exception as error:
        return f"unavailable: {type(error).__name__}"
    return "ok"


def decide(memory: ReadinessMemory, checks: dict[str, str], *, grace_s: float,
           strict: bool, now: float | None = None) -> Verdict:
    """Ready, degraded (ready through a short outage) or not ready; updates `memory`."""
    now = time.monotonic() if now is None else now
    outage = [f"{name} {checks[name]}" for name in OUTAGE_CHECKS
              if checks.get(name, "ok") != "ok"]
    hard = [f"{name} {state}" for name, state in checks.items()
            if name not in OUTAGE_CHECKS and state not in {"ok", UNKNOWN_SCHEMA}]
    if not outage:
        memory.outage_since = None
        if not hard:
            memory.mark_ready()
            return Verdict(True, "ready", [])
        return Verdict(False, "not ready", hard)
    if memory.outage_since is None:
        memory.outage_since = now
    lasted = now - memory.outage_since
    if hard or strict or not memory.ready_once:
        return Verdict(False, "not ready", outage + hard, lasted)
    if lasted < grace_s:
        return Verdict(True, "degraded", outage, lasted)
    return Verdict(False, "not ready",
                   [f"{reason} (for more than {grace_s:g} s)" for reason in outage], lasted)
