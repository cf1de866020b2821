"""Probes, scaling, placement, storage limits and the one-shot jobs of the built overlays."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from ariaforge.config import Settings
from ariaforge.core.metrics_server import metrics_app
from ariaforge.queue.stream import JOBS_STREAM
from tests.ops.test_k8s_render import (
    APP_PORT,
    CLOUD_OVERLAYS,
    METRICS_PORT,
    OVERLAYS,
    app_config,
    app_containers,
    find,
    objects,
    secret_keys,
    workloads,
)

PROMETHEUS = Path(__file__).resolve().parents[3] / "monitoring" / "prometheus.yml"
QUANTITY = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}


def _bytes(quantity: str) -> int:
    for suffix, factor in QUANTITY.items():
        if quantity.endswith(suffix):
            return int(quantity[: -len(suffix)]) * factor
    return int(quantity)


def _container(overlay: str, kind: str, name: str) -> dict[str, Any]:
    (container,) = [c for where, c in app_containers(overlay).items()
                    if where.startswith(f"{kind}/{name}/")]
    return container


def _wsgi_status(app: Any, path: str) -> int:
    statuses: list[str] = []
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": path},
               lambda status, headers: statuses.append(status))
    b"".join(body)
    return int(statuses[0].split()[0])


# --- probes ----------------------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
async def test_api_probes_are_routes_and_split_liveness_from_readiness(
        overlay: str, http: httpx.AsyncClient) -> None:
    api = _container(overlay, "Deployment", "ariaforge-backend")
    ports = {port["name"]: port["containerPort"] for port in api["ports"]}
    paths = {}
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        get = api[probe]["httpGet"]
        assert ports[get["port"]] == APP_PORT, probe
        paths[probe] = get["path"]
    assert paths == {"livenessProbe": "/health", "readinessProbe": "/ready",
                     "startupProbe": "/health"}
    # Liveness never depends on the database; readiness does (503 here: none is running).
    assert (await http.get("/health")).status_code == 200
    assert (await http.get("/ready")).status_code == 503


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_worker_liveness_is_the_job_loop_heartbeat(overlay: str) -> None:
    worker = _container(overlay, "Deployment", "ariaforge-worker")
    args = worker["args"]
    assert args[args.index("--metrics-port") + 1] == str(METRICS_PORT)
    assert "readinessProbe" not in worker  # nothing sends it traffic
    for probe in ("livenessProbe", "startupProbe"):
        get = worker[probe]["httpGet"]
        assert (get["path"], get["port"]) == ("/healthz", "metrics")
    # The metrics port's /healthz follows the health check the worker gives it.
    assert _wsgi_status(metrics_app(lambda: None), "/healthz") == 200
    assert _wsgi_status(metrics_app(lambda: "job loop silent"), "/healthz") == 503
    liveness = worker["livenessProbe"]
    # Restarted only after a minute of silence: longer than one heartbeat gap.
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 60


# --- workers ---------------------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_keda_scales_the_workers_on_the_job_stream(overlay: str) -> None:
    scaled = find(overlay, "ScaledObject", "ariaforge-worker")["spec"]
    assert scaled["scaleTargetRef"]["name"] == "ariaforge-worker"
    (trigger,) = scaled["triggers"]
    assert trigger["type"] == "redis-streams"
    assert trigger["metadata"]["stream"] == JOBS_STREAM
    # XLEN: finished entries are deleted, so the length is waiting + running jobs.
    assert "consumerGroup" not in trigger["metadata"]
    assert int(trigger["metadata"]["streamLength"]) >= 1
    assert trigger["authenticationRef"]["name"] == "ariaforge-redis-keda"
    # Never zero: workers also move delayed retries onto the stream.
    assert 1 <= scaled["minReplicaCount"] < scaled["maxReplicaCount"]
    for name in ("ariaforge-worker", "ariaforge-backend"):
        # The autoscalers own the replica count; a value here would reset it on each apply.
        assert "replicas" not in find(overlay, "Deployment", name)["spec"], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_workers_get_time_to_finish_a_job(overlay: str) -> None:
    pod = workloads(overlay)["Deployment/ariaforge-worker"]
    settings_fields = Settings.model_fields
    preview_max = settings_fields["preview_max_seconds"].default
    assert pod["terminationGracePeriodSeconds"] >= preview_max


# --- placement and capacity ------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_api_and_workers_spread_over_zones_and_nodes(overlay: str) -> None:
    for name in ("ariaforge-backend", "ariaforge-worker"):
        pod = workloads(overlay)[f"Deployment/{name}"]
        spread = {c["topologyKey"]: c for c in pod["topologySpreadConstraints"]}
        assert set(spread) == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
        for constraint in spread.values():
            assert constraint["labelSelector"]["matchLabels"] == {"app": name}
        zone_rule = spread["topology.kubernetes.io/zone"]["whenUnsatisfiable"]
        assert zone_rule == ("DoNotSchedule" if overlay == "production" else "ScheduleAnyway")
        (term,) = pod["affinity"]["podAntiAffinity"][
            "preferredDuringSchedulingIgnoredDuringExecution"]
        assert term["podAffinityTerm"]["labelSelector"]["matchLabels"] == {"app": name}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_scratch_volumes_fit_the_ephemeral_storage_limit(overlay: str) -> None:
    cache_bytes = int(app_config(overlay)["CACHE_MAX_MB"]) << 20
    for where, pod in workloads(overlay).items():
        sizes = {v["name"]: _bytes(v["emptyDir"]["sizeLimit"])
                 for v in pod["volumes"] if "emptyDir" in v}
        assert set(sizes) >= {"home", "tmp"}, where
        for container in pod["containers"]:
            resources = container["resources"]
            for key in ("cpu", "memory", "ephemeral-storage"):
                assert key in resources["requests"] and key in resources["limits"], where
            assert _bytes(resources["limits"]["ephemeral-storage"]) >= sum(sizes.values())
        if where.startswith("Deployment/"):
            # The object cache lives in the home volume with room to spare.
            assert sizes["home"] >= 2 * cache_bytes, where


# --- the one-shot jobs -----------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrate_job_runs_once_and_bounded(overlay: str) -> None:
    job = find(overlay, "Job", "ariaforge-migrate")["spec"]
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert job["backoffLimit"] <= 3 and job["activeDeadlineSeconds"] <= 1800
    assert job["ttlSecondsAfterFinished"] > 0  # per-release Jobs do not pile up
    assert pod["containers"][0]["args"] == ["ariaforge", "migrate"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_backup_cronjob_is_off_site_and_alerts_can_see_it(overlay: str) -> None:
    cron = find(overlay, "CronJob", "ariaforge-backup")["spec"]
    assert cron["concurrencyPolicy"] == "Forbid"
    assert cron["successfulJobsHistoryLimit"] >= 1 and cron["failedJobsHistoryLimit"] >= 1
    job = cron["jobTemplate"]["spec"]
    assert 1 <= job["backoffLimit"] <= 3
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert container["args"] == ["ariaforge", "backup"]
    assert not any("persistentVolumeClaim" in volume for volume in pod["volumes"])
    (secret,) = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
    assert secret == "ariaforge-backup-secrets"
    assert {"DATABASE_URL", "BACKUP_ENCRYPTION_KEY"} <= secret_keys(overlay, secret)
    # The API and workers never hold the backup key.
    assert "BACKUP_ENCRYPTION_KEY" not in secret_keys(overlay, "ariaforge-secrets")
    config = app_config(overlay)
    assert config["BACKUP_URL"] and config["STORAGE_URL"]
    assert config["BACKUP_URL"] != config["STORAGE_URL"]
    if overlay in CLOUD_OVERLAYS:
        assert config["BACKUP_URL"].startswith(("gs://", "s3://"))


def test_prometheus_scrapes_the_metrics_port_of_api_and_worker_pods() -> None:
    """monitoring/prometheus.yml keeps pods by (app label, container port) in the cloud
    namespace; the alert rules name the backup CronJob."""
    config = yaml.safe_load(PROMETHEUS.read_text(encoding="utf-8"))
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "ariaforge-backend"]
    keep = {tuple(rule["source_labels"]): str(rule["regex"])
            for rule in job["relabel_configs"] if rule.get("action") == "keep"}
    pattern = re.compile(keep[("__meta_kubernetes_pod_label_app",
                               "__meta_kubernetes_pod_container_port_number")])
    (discovery,) = job["kubernetes_sd_configs"]
    for overlay in CLOUD_OVERLAYS:
        namespace = objects(overlay, "Namespace")[0]["metadata"]["name"]
        assert namespace in discovery["namespaces"]["names"]
        for name in ("ariaforge-backend", "ariaforge-worker"):
            pod = find(overlay, "Deployment", name)["spec"]["template"]
            ports = {p["name"]: p["containerPort"] for c in pod["spec"]["containers"]
                     for p in c.get("ports", [])}
            app = pod["metadata"]["labels"]["app"]
            assert pattern.fullmatch(f"{app};{ports['metrics']}"), name
            # Never the app port: its /metrics answers 404 once a metrics port is set.
            assert not pattern.fullmatch(f"{app};{APP_PORT}"), name
        assert find(overlay, "CronJob", "ariaforge-backup")
        hpa = find(overlay, "HorizontalPodAutoscaler", "ariaforge-backend-hpa")["spec"]
        assert hpa["scaleTargetRef"]["kind"] == "Deployment"  # never a database
