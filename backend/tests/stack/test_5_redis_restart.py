"""Redis stopped (SIGTERM: it writes its append-only file) while jobs are queued or
running, then started again on the same port: the jobs complete, and the APIs and workers
carry on without being restarted."""

from __future__ import annotations

import signal
import time
from typing import Any

import httpx

from tests.stack.flows import API, new_account, start_export, start_session, wait_final
from tests.stack.harness import Stack

DOWN_S = 3.0


def test_jobs_resume_after_a_redis_restart(stack: Stack, owner: dict[str, str],
                                           project: str, figures: dict[str, Any]) -> None:
    pids = {service.name: service.pid for service in [*stack.apis, *stack.workers]}
    with httpx.Client(base_url=stack.nginx_url, timeout=60) as client:
        # The workers are held while the jobs are submitted, so that both are still queued
        # (in Redis's stream and the database) when Redis goes away.
        stack.signal_workers(signal.SIGSTOP)
        try:
            export = start_export(client, owner, project, format="mp3")
            session = start_session(client, owner, project, bars=8)
            stack.stop_redis()
            down_at = time.monotonic()
            at_outage = stack.sql("SELECT status FROM jobs WHERE id IN "  # noqa: S608
                                  f"('{export['job_id']}', '{session['job_id']}')")
        finally:
            # Resumed, a worker may still read an entry Redis sent it before it stopped.
            stack.signal_workers(signal.SIGCONT)
        assert at_outage.split() == ["queued", "queued"]
        # Meanwhile the API stays up and answers what needs no Redis; what needs it is
        # refused cleanly (never a 500).
        assert client.get("/health").status_code == 200
        during = client.post(f"{API}/projects/{project}/exports", headers=owner,
                             json={"format": "wav"})
        assert during.status_code in (202, 503), during.text
        time.sleep(DOWN_S)
        stack.start_redis()
        back_at = time.monotonic()

        finished = [wait_final(client, f"{API}/exports/{export['id']}", owner),
                    wait_final(client, f"{API}/sessions/{session['id']}", owner)]
        if during.status_code == 202:  # accepted during the outage: it must complete too
            finished.append(wait_final(client, f"{API}/exports/{during.json()['id']}", owner))
        resumed_in = time.monotonic() - back_at
        assert [job["status"] for job in finished] == ["succeeded"] * len(finished), finished

        # New work after the restart goes through the same processes.
        headers = new_account(client, "after-redis")
        later = start_session(client, headers, project_for(client, headers), bars=8)
        assert wait_final(client, f"{API}/sessions/{later['id']}", headers)["status"] \
            == "succeeded"
    assert {service.name: service.pid for service in [*stack.apis, *stack.workers]} == pids
    assert all(service.running for service in [*stack.apis, *stack.workers])
    figures["redis_restart"] = {"down_s": round(back_at - down_at, 1),
                                "jobs_done_after_restart_s": round(resumed_in, 1),
                                "accepted_during_outage": during.status_code == 202}


def project_for(client: httpx.Client, headers: dict[str, str]) -> str:
    created = client.post(f"{API}/projects", headers=headers, json={"name": "After"})
    assert created.status_code == 201, created.text
    project_id: str = created.json()["id"]
    return project_id
