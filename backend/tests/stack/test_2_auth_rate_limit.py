"""nginx's limit_req on the auth endpoints (nginx/ariaforge/*.conf): a burst from one
address gets 429 in the API's error shape, other routes are untouched, and it recovers."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.stack.flows import API
from tests.stack.harness import Stack

BURST = 30  # well above the configured burst of 10


def _refresh(base: str) -> httpx.Response:
    # A refresh token that is no token: the API refuses it with 401 without any hashing.
    return httpx.post(f"{base}{API}/auth/refresh", json={"refresh_token": "x" * 40},
                      timeout=30)


def test_a_burst_of_auth_requests_is_limited_then_recovers(stack: Stack) -> None:
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(_refresh, [stack.nginx_url] * BURST))
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) == {401, 429}, statuses
    assert statuses.count(401) >= 1  # the burst's first requests reach the API
    limited = next(answer for answer in answers if answer.status_code == 429)
    assert limited.json() == {"error": {
        "code": "RATE_LIMIT_EXCEEDED", "details": [],
        "message": limited.json()["error"]["message"]}}
    assert limited.headers["content-type"] == "application/json"
    assert limited.headers["retry-after"] == "1"
    assert limited.headers["x-content-type-options"] == "nosniff"

    # Other routes from the same address are not limited.
    assert httpx.get(f"{stack.nginx_url}/health", timeout=10).status_code == 200
    # The budget refills (2 a second): the API answers again.
    for _ in range(40):
        if _refresh(stack.nginx_url).status_code == 401:
            break
        time.sleep(0.25)
    else:
        raise AssertionError("the auth endpoints stayed limited")
    # The limit is nginx's: the API itself (no limit on refresh) answers the same burst.
    with ThreadPoolExecutor(10) as pool:
        direct = list(pool.map(_refresh, [stack.apis[0].url] * BURST))
    assert {answer.status_code for answer in direct} == {401}
