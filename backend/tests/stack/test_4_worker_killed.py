"""SIGKILL of the worker running an export: the job's lease expires, the other worker
reclaims it (JOB_VISIBILITY_TIMEOUT_S), and the export completes once — one job, one
set of stored files, the second attempt's."""

from __future__ import annotations

import signal
import time
from typing import Any

import httpx

from tests.stack.flows import API, composed_project, start_export, wait_final
from tests.stack.harness import Stack

CLAIM_LIMIT_S = 120.0
LONG_PIECE_BARS = 96


def _running_on(stack: Stack, job_id: str) -> str:
    """The name of the worker once it runs the job ("host-pid-suffix")."""
    deadline = time.monotonic() + CLAIM_LIMIT_S
    while time.monotonic() < deadline:
        status, _, worker = stack.sql(
            f"SELECT status, coalesce(worker, '') FROM jobs WHERE id = '{job_id}'"  # noqa: S608
        ).partition("|")
        if status == "running" and worker:
            return worker
        assert status == "queued", f"the export ended before it could be interrupted: {status}"
        time.sleep(0.05)
    raise AssertionError("no worker took the export")


def test_a_worker_killed_mid_export_and_the_export_completes_once(
        stack: Stack, owner: dict[str, str], figures: dict[str, Any]) -> None:
    with httpx.Client(base_url=stack.nginx_url, timeout=60) as client:
        # A long piece and its stems: a render of several seconds, to be interrupted.
        long_piece = composed_project(client, owner, bars=LONG_PIECE_BARS)
        started = start_export(client, owner, long_piece, include_stems=True, bit_depth=24)
        holder = _running_on(stack, started["job_id"])
        [victim] = [worker for worker in stack.workers if f"-{worker.pid}-" in holder]
        killed_at = time.monotonic()
        stack.stop(victim, signal.SIGKILL)
        export = wait_final(client, f"{API}/exports/{started['id']}", owner)
        recovered_in = time.monotonic() - killed_at
        stack.start(victim)  # back to two workers for the next drill

    assert export["status"] == "succeeded", export
    rows = stack.sql(
        "SELECT id, status, attempts, worker FROM jobs "  # noqa: S608
        f"WHERE payload->>'export_id' = '{started['id']}'").splitlines()
    assert len(rows) == 1, rows  # one job for the export, never a second one
    job_id, status, attempts, worker = rows[0].split("|")
    assert (job_id, status) == (started["job_id"], "succeeded")
    # The killed attempt had not finished (it would have been the only one, by `holder`).
    assert attempts == "2"
    assert worker != holder
    names = sorted(entry["name"] for entry in export["files"])
    assert len(names) >= 2  # the mix and its stems
    assert stack.stored_keys(f"exports/{started['id']}/") == [
        f"stack/exports/{started['id']}/{name}" for name in names]
    figures["worker_sigkill"] = {"export_completed_after_kill_s": round(recovered_in, 1),
                                 "visibility_timeout_s": float(
                                     stack.env["JOB_VISIBILITY_TIMEOUT_S"]),
                                 "attempts": int(attempts), "stored_files": len(names)}
