"""The built overlays agree with the code they deploy: settings, commands, images, references.

A renamed setting, CLI flag, Secret key or object name fails here instead of in a rollout.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest

from ariaforge import __version__
from ariaforge.config import Environment, Settings
from tests.ops.test_k8s_render import (
    APP_IMAGE,
    APP_PORT,
    BACKEND,
    CLOUD_OVERLAYS,
    OVERLAYS,
    REPO,
    app_config,
    app_containers,
    built,
    find,
    objects,
    secret_keys,
    workloads,
)

# Environment variables the processes read that are not Settings fields.
EXTRA_APP_ENV = frozenset({
    "FORWARDED_ALLOW_IPS",  # uvicorn: whose X-Forwarded-For to trust
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",  # boto3, for STORAGE_URL
})
SECRET_NAMES = frozenset({"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "AWS_SECRET_ACCESS_KEY",
                          "BACKUP_ENCRYPTION_KEY", "BACKUP_SECRET_ACCESS_KEY"})
DOCKERFILE = BACKEND / "Dockerfile"


def _settings_env_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def _env_names(overlay: str, container: dict[str, Any]) -> set[str]:
    names = {env["name"] for env in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(app_config(overlay))
        if "secretRef" in source:
            names |= secret_keys(overlay, source["secretRef"]["name"])
    return names


@cache
def _cli_flags(command: str) -> set[str] | None:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run([sys.executable, "-m", "ariaforge", command, "--help"],
                            cwd=BACKEND, env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    if result.returncode != 0:
        return None
    return set(re.findall(r"--[a-z][a-z0-9-]*", result.stdout))


# --- settings --------------------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_app_env_names_are_settings(overlay: str) -> None:
    allowed = _settings_env_names() | EXTRA_APP_ENV
    for where, container in app_containers(overlay).items():
        unknown = _env_names(overlay, container) - allowed
        assert not unknown, f"{overlay} {where}: {sorted(unknown)} are not settings"


@pytest.mark.parametrize("overlay", CLOUD_OVERLAYS)
def test_cloud_overlays_pass_the_production_safety_checks(overlay: str) -> None:
    config = app_config(overlay)
    assert config["ENVIRONMENT"] == Environment.PRODUCTION.value
    assert not SECRET_NAMES & set(config), "passwords belong in the Secret"
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= secret_keys(overlay,
                                                                     "ariaforge-secrets")
    assert urlsplit(config["BACKUP_URL"]).netloc != urlsplit(config["STORAGE_URL"]).netloc
    # The config as the app reads it, with stand-ins for what the Secret holds.
    values = {name.lower(): value for name, value in config.items()
              if name.lower() in Settings.model_fields}
    settings = Settings.model_validate({
        **values, "secret_key": "s" * 64,
        "database_url": "postgresql://u:p@10.0.0.3:5432/ariaforge",
        "redis_url": "rediss://:p@10.0.0.4:6378/0"})
    settings.check_production_safety()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_forwarded_allow_ips_is_a_network_not_everyone(overlay: str) -> None:
    value = app_config(overlay)["FORWARDED_ALLOW_IPS"]
    networks = [ipaddress.ip_network(part.strip()) for part in value.split(",")]
    assert all(network.is_private and network.prefixlen >= 8 for network in networks), value


@pytest.mark.parametrize("overlay", CLOUD_OVERLAYS)
def test_forwarded_allow_ips_is_the_clusters_pod_range(overlay: str) -> None:
    """infra/ (Pulumi) sets each cluster's pod range: the ingress controller lives there."""
    infra = (REPO / "infra" / "ariaforge_infra" / "settings.py").read_text(encoding="utf-8")
    block = re.search(rf'"{overlay}":\s*\{{(.*?)\}}', infra, re.DOTALL)
    assert block, f"infra settings have no {overlay} defaults"
    (pods,) = re.findall(r'"podsCidr":\s*"([^"]+)"', block.group(1))
    assert app_config(overlay)["FORWARDED_ALLOW_IPS"] == pods


def test_external_secrets_read_what_infra_creates() -> None:
    infra = (REPO / "infra" / "ariaforge_infra" / "secrets.py").read_text(encoding="utf-8")
    names_block = re.search(r"NAMES = \((.*?)\)", infra, re.DOTALL)
    assert names_block
    created = set(re.findall(r'"([a-z0-9-]+)"', names_block.group(1)))
    for overlay in CLOUD_OVERLAYS:
        for external in objects(overlay, "ExternalSecret"):
            for item in external["spec"]["data"]:
                key = item["remoteRef"]["key"]
                prefix = f"ariaforge-{overlay}-"
                assert key.startswith(prefix), key
                assert key.removeprefix(prefix) in created, f"infra creates no {key}"


# --- commands and images ---------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_commands_are_real_cli_invocations(overlay: str) -> None:
    used = set()
    for where, container in app_containers(overlay).items():
        argv = [*container.get("command", []), *container.get("args", [])]
        assert argv[:1] == ["ariaforge"] and len(argv) > 1, f"{where}: {argv}"
        flags = _cli_flags(argv[1])
        assert flags is not None, f"{where}: `ariaforge {argv[1]}` is not a command"
        unknown = {arg.split("=", 1)[0] for arg in argv[2:] if arg.startswith("--")} - flags
        assert not unknown, f"{where}: unknown flags {sorted(unknown)}"
        used.add(argv[1])
        if argv[1] == "api":
            assert argv[argv.index("--port") + 1] == str(APP_PORT)
            assert "--no-migrate" in argv  # the migrate Job's work, once per release
    assert used == {"api", "worker", "migrate", "backup"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_runs_the_release_image(overlay: str) -> None:
    images = {container["image"] for container in app_containers(overlay).values()}
    (image,) = images
    name, _, tag = image.rpartition(":")
    assert tag == __version__, image  # never :latest; deploy.sh swaps in the digest
    assert name == APP_IMAGE if overlay == "dev" else name.startswith("ghcr.io/"), image


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_ariaforge_home_is_a_volume_in_every_container(overlay: str) -> None:
    # The image's ENV (the runtime stage's value, the last one in the file).
    home = re.findall(r"\bARIAFORGE_HOME=(\S+)", DOCKERFILE.read_text(encoding="utf-8"))[-1]
    for where, container in app_containers(overlay).items():
        mounts = {mount["mountPath"] for mount in container.get("volumeMounts", [])}
        scratch = "/tmp"  # noqa: S108 - the mount point the image expects, not a file
        assert {home, scratch} <= mounts, f"{where}: read-only root but no volume at {home}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_as_non_root_without_privileges(overlay: str) -> None:
    for where, pod in workloads(overlay).items():
        assert pod.get("automountServiceAccountToken") is False, where
        for container in pod["containers"]:
            context = {**pod.get("securityContext", {}), **container.get("securityContext", {})}
            assert context.get("runAsNonRoot") is True, where
            assert context.get("runAsUser", 0) >= 10000, where
            assert context.get("allowPrivilegeEscalation") is False, where
            assert context.get("readOnlyRootFilesystem") is True, where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
            assert context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where


# --- references ------------------------------------------------------------------------

def _names(overlay: str, kind: str) -> set[str]:
    return {obj["metadata"]["name"] for obj in objects(overlay, kind)}


def _secrets(overlay: str) -> set[str]:
    return _names(overlay, "Secret") | {obj["spec"]["target"]["name"]
                                        for obj in objects(overlay, "ExternalSecret")}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_references_resolve(overlay: str) -> None:
    secrets, configs = _secrets(overlay), _names(overlay, "ConfigMap")
    accounts = _names(overlay, "ServiceAccount")
    for where, pod in workloads(overlay).items():
        assert pod["serviceAccountName"] in accounts, where
        for container in pod["containers"]:
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, where
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configs, where
        for volume in pod.get("volumes", []):
            assert "persistentVolumeClaim" not in volume, f"{where}: files go to STORAGE_URL"
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets, where
    service = find(overlay, "Service", "ariaforge-backend-service")
    api = find(overlay, "Deployment", "ariaforge-backend")["spec"]["template"]
    assert service["spec"]["selector"].items() <= api["metadata"]["labels"].items()
    ingress = find(overlay, "Ingress", "ariaforge-ingress")["spec"]
    for rule in ingress["rules"]:
        (path,) = rule["http"]["paths"]
        assert path["backend"]["service"] == {"name": "ariaforge-backend-service",
                                              "port": {"name": "http"}}
    hosts = {rule["host"] for rule in ingress["rules"]}
    (tls,) = ingress["tls"]
    certificate = find(overlay, "Certificate", tls["secretName"])["spec"]
    assert set(tls["hosts"]) == hosts == set(certificate["dnsNames"])
    assert set(app_config(overlay)["ALLOWED_HOSTS"].split(",")) == hosts
    hpa = find(overlay, "HorizontalPodAutoscaler", "ariaforge-backend-hpa")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "ariaforge-backend"
    auth = find(overlay, "TriggerAuthentication", "ariaforge-redis-keda")
    for ref in auth["spec"]["secretTargetRef"]:
        assert ref["key"] in secret_keys(overlay, ref["name"]), ref


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_disruption_budgets_select_a_deployment(overlay: str) -> None:
    templates = [obj["spec"]["template"]["metadata"]["labels"]
                 for obj in objects(overlay, "Deployment")]
    budgets = objects(overlay, "PodDisruptionBudget")
    assert {obj["metadata"]["name"] for obj in budgets} == {"ariaforge-backend",
                                                            "ariaforge-worker"}
    for budget in budgets:
        selector = budget["spec"]["selector"]["matchLabels"]
        assert sum(selector.items() <= labels.items() for labels in templates) == 1
        # One pod at a time: works at any replica count (minAvailable: 1 blocks a drain
        # at one replica and allows all but one to go at ten).
        assert budget["spec"] == {"maxUnavailable": 1, "selector": budget["spec"]["selector"]}


def test_every_object_of_an_overlay_is_labelled_for_deploy_phases() -> None:
    """k8s/deploy.sh applies all but `component in (api, worker)` before the migration."""
    for overlay in OVERLAYS:
        for obj in built(overlay):
            labels = obj["metadata"].get("labels", {})
            assert labels.get("app.kubernetes.io/component"), (overlay, obj["kind"],
                                                               obj["metadata"]["name"])
            if obj["kind"] == "Deployment" or obj["kind"] == "ScaledObject":
                assert labels["app.kubernetes.io/component"] in {"api", "worker"}
            if obj["kind"] in {"Job", "ExternalSecret", "ConfigMap", "NetworkPolicy"}:
                assert labels["app.kubernetes.io/component"] not in {"api", "worker"}
