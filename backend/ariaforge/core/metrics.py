"""Prometheus metrics with the deployment seed's names.

Works with several uvicorn workers: when PROMETHEUS_MULTIPROC_DIR is set (the CLI sets it
before anything imports prometheus_client) each process writes its own files and
/metrics aggregates them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

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
# Composition sessions being composed right now (their compose job is running on a
# worker): set by the compose handler, summed over worker processes and pods.
ACTIVE_SESSIONS = Gauge(
    "active_sessions", "Composition sessions whose compose job is running now",
    multiprocess_mode="livesum")
# Open from accept until the handler returns (sessions/websocket.py); livesum: the live
# uvicorn workers' sockets added up, a dead worker's left out.
WEBSOCKET_CONNECTIONS = Gauge(
    "websocket_connections_active", "Open WebSocket connections", multiprocess_mode="livesum")
# Live co-editing rooms open in this process (collab/rooms.py): one per project per
# process with at least one socket; livesum over the live processes. A project edited
# through two replicas counts twice. Its sockets count in websocket_connections_active.
COLLABORATION_SESSIONS = Gauge(
    "collaboration_sessions_active", "Open live co-editing rooms",
    multiprocess_mode="livesum")
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


# Responses by status class, every class created at 0 when the process starts: the 5xx
# ratio (dashboard and alert) reads 0, not "no data", before the first server error.
# http_requests_total has the exact status, but only for statuses that have happened.
RESPONSE_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")
RESPONSES_BY_CLASS = Counter(
    "ariaforge_http_responses_total", "HTTP responses by status class", ["status_class"])
for _status_class in RESPONSE_CLASSES:
    RESPONSES_BY_CLASS.labels(status_class=_status_class)


def track_request(method: str, endpoint: str, status: int, duration: float) -> None:
    REQUEST_COUNT.labels(method=method, endpoint=endpoint, status=str(status)).inc()
    REQUEST_DURATION.labels(method=method, endpoint=endpoint).observe(duration)
    if 100 <= status <= 599:
        RESPONSES_BY_CLASS.labels(status_class=f"{status // 100}xx").inc()


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

# --- jobs (queue/worker.py) -------------------------------------------------------------
# Every kind a worker runs gets its series at 0 when it starts (`init_job_series`), so rates
# and ratios read 0 rather than nothing. Outcomes are the finished job states.
JOB_OUTCOMES = ("succeeded", "failed", "dead", "cancelled")
JOB_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
JOBS_FINISHED = Counter(
    "ariaforge_jobs_finished_total",
    "Jobs finished, by kind and outcome (dead: attempts ran out, sent to the dead letters)",
    ["kind", "outcome"])
JOB_RETRIES = Counter(
    "ariaforge_job_retries_total", "Failed attempts scheduled to run again", ["kind"])
JOB_LATENCY = Histogram(
    "ariaforge_job_latency_seconds", "From submission to the job's end, by kind",
    ["kind"], buckets=JOB_BUCKETS)
JOB_RUN_TIME = Histogram(
    "ariaforge_job_run_seconds", "Time one attempt's handler ran, by kind",
    ["kind"], buckets=JOB_BUCKETS)
# Queue-wide values that every worker measures alike: the most recent reading wins.
QUEUE_OLDEST_AGE = Gauge(
    "ariaforge_queue_oldest_age_seconds",
    "Age of the oldest job id on the stream that no worker has taken yet (0: none)",
    multiprocess_mode="mostrecent")


def init_job_series(kinds: Iterable[str]) -> None:
    for kind in kinds:
        for outcome in JOB_OUTCOMES:
            JOBS_FINISHED.labels(kind=kind, outcome=outcome)
        JOB_RETRIES.labels(kind=kind)
        JOB_LATENCY.labels(kind=kind)
        JOB_RUN_TIME.labels(kind=kind)


# --- PostgreSQL pool (core/db.py) and Redis (core/redis.py) -----------------------------
DB_POOL_CHECKED_OUT = Gauge(
    "ariaforge_db_pool_checked_out", "Database connections in use (checked out of the pool)",
    multiprocess_mode="livesum")
DB_POOL_OVERFLOW = Gauge(
    "ariaforge_db_pool_overflow", "Connections open beyond the pool size (max_overflow)",
    multiprocess_mode="livesum")
DB_POOL_CAPACITY = Gauge(
    "ariaforge_db_pool_capacity", "Most connections the pool may open (size + overflow)",
    multiprocess_mode="livesum")
DB_CONNECT_ERRORS = Counter(
    "ariaforge_db_connect_errors_total", "Failed attempts to open a database connection")
REDIS_ERRORS = Counter(
    "ariaforge_redis_errors_total", "Redis commands that failed, by command and error",
    ["operation", "error"])
