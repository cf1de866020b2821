"""A rolling restart of the APIs under steady traffic through nginx: API 1 gets SIGTERM,
is started again, then API 2, while clients keep sending GETs and POSTs. Not one request
may fail (nginx retries a refused or reset connection on the other API, uvicorn finishes
what it accepted), and no POST may be applied twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.stack.flows import API
from tests.stack.front import fail_timeout_s
from tests.stack.harness import Stack

CLIENTS = 4
MAX_REQUESTS_PER_CLIENT = 5_000  # the loop is bounded even if the restarts hang
# Steady traffic before, between and after the restarts. nginx skips an API that refused
# a connection for fail_timeout; stopping the next one sooner would leave none (a 502).
PAUSE_S = fail_timeout_s() + 1.0


def _traffic(base: str, headers: dict[str, str], project: str, stop: threading.Event,
             number: int) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    created: list[str] = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for turn in range(MAX_REQUESTS_PER_CLIENT):
            if stop.is_set():
                break
            kind = ("list", "get", "create", "health")[turn % 4]
            try:
                if kind == "list":
                    answer = client.get(f"{API}/projects")
                elif kind == "get":
                    answer = client.get(f"{API}/projects/{project}")
                elif kind == "create":
                    answer = client.post(f"{API}/projects",
                                         json={"name": f"rolling {number}-{turn}"})
                    if answer.status_code == 201:
                        created.append(answer.json()["id"])
                else:
                    answer = client.get("/health")
            except httpx.TransportError as error:
                failures.append(f"{kind}: {type(error).__name__}")
                continue
            outcomes[f"{kind} {answer.status_code}"] += 1
            if answer.status_code not in (200, 201):
                failures.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
    return {"outcomes": outcomes, "failures": failures, "created": created}


def test_rolling_restart_of_the_apis_fails_no_request(
        stack: Stack, owner: dict[str, str], project: str, figures: dict[str, Any]) -> None:
    with httpx.Client(base_url=stack.nginx_url, headers=owner, timeout=30) as client:
        before = client.get(f"{API}/projects", params={"limit": 100}).json()["total"]
    old_pids = [api.pid for api in stack.apis]
    stop = threading.Event()
    with ThreadPoolExecutor(CLIENTS) as pool:
        runs = [pool.submit(_traffic, stack.nginx_url, owner, project, stop, number)
                for number in range(CLIENTS)]
        try:
            for index in range(len(stack.apis)):
                time.sleep(PAUSE_S)
                stack.restart_api(index)
            time.sleep(PAUSE_S)
        finally:
            stop.set()
        results = [run.result(timeout=120) for run in runs]

    outcomes: Counter[str] = sum((result["outcomes"] for result in results), Counter())
    failures = [failure for result in results for failure in result["failures"]]
    created = [item for result in results for item in result["created"]]
    sent = sum(outcomes.values()) + len(failures)
    figures["rolling_restart"] = {"requests": sent, "failed": len(failures),
                                  "posts_created": len(created), "by_kind": dict(outcomes)}
    assert failures == []
    assert sent >= 50 and len(created) >= 10  # traffic really flowed throughout
    assert all(api.pid not in old_pids for api in stack.apis)  # both were restarted
    # Every POST answered 201 created exactly one project: none was applied twice by a retry.
    with httpx.Client(base_url=stack.nginx_url, headers=owner, timeout=30) as client:
        after = client.get(f"{API}/projects", params={"limit": 100}).json()["total"]
    assert after - before == len(created) == len(set(created))
