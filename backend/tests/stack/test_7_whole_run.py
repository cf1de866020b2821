"""Last, over everything the tests above sent through nginx (thousands of requests, two
rolling restarts, a killed worker, a Redis outage): no request ever got a 500, a 502 or a
504. The only 5xx allowed is 503, the API's clean refusal while Redis was down."""

from __future__ import annotations

import re
from collections import Counter

import httpx

from tests.stack.harness import Stack

LAST_REQUESTS = 20
STATUS = re.compile(r'" (\d{3}) upstream=')


def test_no_request_through_nginx_failed_with_a_server_error(stack: Stack) -> None:
    # A few of its own, so that the log is never empty (this file alone).
    for _ in range(LAST_REQUESTS):
        assert httpx.get(f"{stack.nginx_url}/health", timeout=10).status_code == 200
    log = (stack.workdir / "nginx" / "access.log").read_text()
    statuses = Counter(int(found.group(1)) for found in STATUS.finditer(log))
    assert statuses[200] >= LAST_REQUESTS
    assert {status for status in statuses if status >= 500} <= {503}, statuses
