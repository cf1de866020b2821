"""The job loop's own heartbeat, for the worker's liveness probe (`/healthz`).

The metrics server runs on a thread of its own, so it answers even while the job loop
is stuck; this heartbeat is what tells the two apart. The loop beats at every turn and,
while a job runs, at every pass of the task that keeps its lease: a long job keeps it
fresh, a blocked event loop or an await that never returns lets it go stale.
"""

from __future__ import annotations

import threading
import time


class LoopHeartbeat:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = time.monotonic()

    def beat(self) -> None:
        with self._lock:
            self._last = time.monotonic()

    def age_s(self) -> float:
        """How long ago the loop last beat (read from another thread)."""
        with self._lock:
            return time.monotonic() - self._last
