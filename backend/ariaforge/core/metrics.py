"""Prometheus metrics with the deployment seed's names.

Works with several uvicorn workers: when PROMETHEUS_MULTIPROC_DIR is set (the CLI sets it
before anything imports prometheus_client) each process writes its own files and
/metrics aggregates them.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_COUNT = Counter(
    "http_requests_total", "Total HTTP requests", ["method", "endpoint", "status"])
REQUEST_DURATION = Histogram(
    "http_request_duration_seconds", "HTTP request duration", ["method", "endpoint"])

COMPOSITIONS_CREATED = Counter("compositions_created_total", "Total compositions created")
AUDIO_PROCESSING_TIME = Histogram(
    "audio_processing_duration_seconds", "Audio processing duration")
ACTIVE_SESSIONS = Gauge(
    "active_sessions", "Number of active collaboration sessions", multiprocess_mode="livesum")
WEBSOCKET_CONNECTIONS = Gauge(
    "websocket_connections_active", "Open WebSocket connections", multiprocess_mode="livesum")
AUDIO_QUEUE_SIZE = Gauge(
    "audio_processing_queue_size", "Jobs waiting in the render queue",
    multiprocess_mode="mostrecent")

MUSIC_THEORY_VALIDATIONS = Counter(
    "music_theory_validations_total", "Music theory validations")
AUDIO_QUALITY_SCORE = Histogram(
    "audio_quality_score", "Audio quality assessment scores",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0))

# Requests that matched no route share one label, so a scanner cannot blow up cardinality.
UNMATCHED_ENDPOINT = "<unmatched>"


def track_request(method: str, endpoint: str, status: int, duration: float) -> None:
    REQUEST_COUNT.labels(method=method, endpoint=endpoint, status=str(status)).inc()
    REQUEST_DURATION.labels(method=method, endpoint=endpoint).observe(duration)


def render_latest() -> tuple[bytes, str]:
    """The exposition text: aggregated over worker processes in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

# What `ariaforge up` supervises (postgres, redis, worker-1…, api) and job workers alive.
COMPONENT_RESTARTS = Counter(
    "ariaforge_component_restarts_total",
    "Automatic restarts of a process that `ariaforge up` supervises", ["component"])
COMPONENT_UP = Gauge(
    "ariaforge_component_up", "1 while a supervised process runs, 0 while it is down",
    ["component"], multiprocess_mode="mostrecent")
JOB_WORKERS_ALIVE = Gauge(
    "ariaforge_job_workers_alive", "Job workers whose liveness heartbeat has not expired",
    multiprocess_mode="mostrecent")
