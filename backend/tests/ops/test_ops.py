from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from ariaforge.config import Environment, Settings
from ariaforge.core.embedded import EmbeddedRedis
from ariaforge.main import create_app
from tests.conftest import BASE_URL, assert_error, new_user


def metric_value(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        sample_labels = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(sample_labels.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_health_is_ok_without_touching_anything(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_ready_when_database_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    # Outside `ariaforge up` no worker is required: an API replica serves without one.
    assert response.json() == {"status": "ready",
                               "checks": {"database": "ok", "schema": "ok", "redis": "ok"},
                               "workers": {"alive": 0, "required": False}}


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[EmbeddedRedis]:
    redis_server = EmbeddedRedis(tmp_path)
    redis_server.start()
    try:
        yield redis_server
    finally:
        redis_server.stop()


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
            yield http


async def test_ready_rides_out_a_redis_outage_once_ready(
        settings: Settings, own_redis: EmbeddedRedis) -> None:
    # Two processes on the same Redis: one with the default grace, one without.
    patient = settings.model_copy(update={"redis_url": own_redis.url()})
    strict = patient.model_copy(update={"ready_outage_grace_s": 0.0})
    async with app_client(patient) as http, app_client(strict) as strict_http:
        assert (await http.get("/ready")).json()["status"] == "ready"
        assert (await strict_http.get("/ready")).status_code == 200
        own_redis.stop()
        through = await http.get("/ready")
        assert through.status_code == 200, through.text
        body = through.json()
        assert body["status"] == "degraded"
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["redis"].startswith("unavailable")
        assert body["outage"]["grace_s"] == 60
        # The routes that need Redis answer 503, never 500.
        login = await http.post("/api/v1/auth/login",
                                json={"email": "a@example.com", "password": "whatever-pass"})
        assert_error(login, 503, "SERVICE_UNAVAILABLE")
        assert (await http.get("/health")).status_code == 200
        # Without a grace, the first failed check is enough.
        down = assert_error(await strict_http.get("/ready"), 503, "SERVICE_UNAVAILABLE")
        assert down["details"]["checks"]["redis"].startswith("unavailable")
        assert down["message"].startswith("not ready: redis unavailable")
        own_redis.start()  # same address again: the apps reconnect by themselves
        assert (await http.get("/ready")).json()["status"] == "ready"
        assert (await strict_http.get("/ready")).status_code == 200


async def test_readiness_is_shared_by_the_processes_of_one_server(
        settings: Settings, own_redis: EmbeddedRedis, tmp_path: Path) -> None:
    """Apps in one process stand for the uvicorn workers of one server (same parent, same
    home): once one has been ready, a sibling that no probe reached yet rides out the
    outage too. A server on another home has never been ready: 503 until all is well."""
    home = settings.model_copy(update={"redis_url": own_redis.url(),
                                       "ariaforge_home": tmp_path / "pod"})
    other = home.model_copy(update={"ariaforge_home": tmp_path / "other-pod"})
    async with app_client(home) as first, app_client(home) as sibling, app_client(
            other) as fresh:
        assert (await first.get("/ready")).status_code == 200
        own_redis.stop()
        assert (await sibling.get("/ready")).json()["status"] == "degraded"
        down = assert_error(await fresh.get("/ready"), 503, "SERVICE_UNAVAILABLE")
        assert down["message"].startswith("not ready: redis unavailable")
        own_redis.start()
        assert (await fresh.get("/ready")).status_code == 200


async def test_metrics_counters_move(client: httpx.AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    _, headers = await new_user(client)
    project = (await client.post("/api/v1/projects", headers=headers,
                                 json={"name": "Counted"})).json()
    for _ in range(3):
        await client.get(f"/api/v1/projects/{project['id']}", headers=headers)
    await client.get("/no/such/route")
    after = (await client.get("/metrics")).text

    route = "/api/v1/projects/{project_id}"
    assert metric_value(after, "http_requests_total", method="GET", endpoint=route,
                        status="200") - metric_value(before, "http_requests_total",
                                                     method="GET", endpoint=route,
                                                     status="200") == 3
    # Labels carry the route template, never the raw path with an id in it.
    assert project["id"] not in after
    assert metric_value(after, "http_requests_total", endpoint="<unmatched>", status="404") >= 1
    assert metric_value(after, "compositions_created_total") - metric_value(
        before, "compositions_created_total") == 1
    assert metric_value(after, "http_request_duration_seconds_count", method="GET",
                        endpoint=route) - metric_value(
        before, "http_request_duration_seconds_count", method="GET", endpoint=route) == 3
    for name in ("audio_processing_duration_seconds", "active_sessions",
                 "music_theory_validations_total", "audio_quality_score",
                 "websocket_connections_active", "audio_processing_queue_size"):
        assert f"# TYPE {name}" in after


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cache-control"] == "no-store"
    assert "x-xss-protection" not in headers  # deprecated by OWASP
    assert "strict-transport-security" not in headers  # only in production


async def test_hsts_in_production(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": Environment.PRODUCTION,
                                             "allowed_hosts": ["127.0.0.1"],
                                             "storage_url": "s3://exports/ariaforge"})
    app = create_app(production)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_untrusted_host_is_refused_but_probes_pass(client: httpx.AsyncClient) -> None:
    refused = await client.get("/api/v1/me", headers={"Host": "evil.example"})
    assert_error(refused, 400, "VALIDATION_ERROR")
    assert (await client.get("/health", headers={"Host": "10.1.2.3:8000"})).status_code == 200
    assert (await client.get("/api/v1/me", headers={"Host": "localhost:8000"})).status_code == 401


async def test_cors_from_settings(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"cors_origins": ["https://app.example"]}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        allowed = await http.options("/api/v1/me", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
        denied = await http.options("/api/v1/me", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in denied.headers


async def test_unknown_route_and_wrong_method_use_the_error_shape(
        client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
    assert_error(await client.put("/health"), 405, "METHOD_NOT_ALLOWED")


async def test_unhandled_exception_is_500_with_request_id_and_no_trace(
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.get("/boom", headers={"X-Request-ID": "trace-me-1"})
    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert error["details"] == {"request_id": "trace-me-1"}
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    logged = [r for r in caplog.records if r.levelname == "ERROR"]
    assert any("secret internals" in str(r.exc_info[1]) for r in logged if r.exc_info)


async def test_docs_work_offline(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    policy = page.headers["content-security-policy"]
    assert "'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    script = await client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    spec = (await client.get("/openapi.json")).json()
    assert "/api/v1/projects/{project_id}" in spec["paths"]
    assert "/api/v1/auth/login" in spec["paths"]


async def test_start_page(settings: Settings) -> None:
    # Without a built web app (WEB_DIR empty) `/` is the start page; with one, see
    # test_frontend_serving.py.
    app = create_app(settings.model_copy(update={"web_dir": ""}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        page = await http.get("/")
    assert page.status_code == 200
    assert "AriaForge is running" in page.text


async def test_validation_details_do_not_echo_huge_keys(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login", json={
        "email": "a@example.com", "password": "whatever-pass", "k" * 100_000: 1})
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert len(response.content) < 2_000
    assert error["details"][0]["loc"] == ["body", "k" * 100]
