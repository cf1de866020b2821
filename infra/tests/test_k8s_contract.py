"""What k8s/ expects from this program, read from k8s/ itself: a rename on either side fails
here, not on the first `kubectl apply` against a new cluster."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from ariaforge_infra.cache import CA_PATH
from ariaforge_infra.secrets import NAMES
from ariaforge_infra.workload_identity import BINDINGS, NAMESPACE
from harness import INFRA, Run, run, stack_config

K8S = INFRA.parent / "k8s"
ENVIRONMENTS = ["staging", "production"]


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def config_env(environment: str) -> dict[str, str]:
    lines = (K8S / "overlays" / environment / "config.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def external_secrets(environment: str) -> list[dict[str, Any]]:
    return documents(K8S / "overlays" / environment / "external-secrets.yaml")


def store_project(environment: str) -> str:
    store = next(d for d in external_secrets(environment) if d["kind"] == "SecretStore")
    return str(store["spec"]["provider"]["gcpsm"]["projectID"])


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def overlay(request: pytest.FixtureRequest) -> tuple[str, Run]:
    """The stack declared for the project id that the overlay's SecretStore names."""
    environment = request.param
    config = stack_config(environment, **{"gcp:project": store_project(environment)})
    return environment, run(environment, config)


def test_external_secrets_read_exactly_the_secrets_created(overlay: tuple[str, Run]) -> None:
    environment, declared = overlay
    keys = {item["remoteRef"]["key"] for doc in external_secrets(environment)
            if doc["kind"] == "ExternalSecret" for item in doc["spec"]["data"]}
    assert keys == set(declared.exports["secret_names"].values())
    assert keys == {f"ariaforge-{environment}-{name}" for name in NAMES}


def test_storage_urls_name_the_buckets_created(overlay: tuple[str, Run]) -> None:
    environment, declared = overlay
    settings = config_env(environment)
    assert settings["STORAGE_URL"].startswith(declared.exports["storage_url"] + "/")
    assert settings["BACKUP_URL"].startswith(declared.exports["backup_url"] + "/")


def test_trusted_proxies_are_the_clusters_pod_range(overlay: tuple[str, Run]) -> None:
    environment, declared = overlay
    subnet = declared.one("gcp:compute/subnetwork:Subnetwork").inputs
    pods = next(r["ipCidrRange"] for r in subnet["secondaryIpRanges"]
                if r["rangeName"] == "pods")
    trusted = config_env(environment)["FORWARDED_ALLOW_IPS"]
    assert ipaddress.ip_network(trusted) == ipaddress.ip_network(pods)


def test_every_allowed_host_resolves_to_the_ingress(overlay: tuple[str, Run]) -> None:
    environment, declared = overlay
    a_records = {r.inputs["name"].rstrip(".") for r in declared.of_type(
        "gcp:dns/recordSet:RecordSet") if r.inputs["type"] == "A"}
    assert set(config_env(environment)["ALLOWED_HOSTS"].split(",")) <= a_records


def test_the_workloads_service_accounts_exist() -> None:
    accounts = {d["metadata"]["name"] for d in documents(K8S / "base" / "service-accounts.yaml")
                if d["kind"] == "ServiceAccount"}
    bound = {ksa.split("/")[1] for ksa in BINDINGS if ksa.startswith(NAMESPACE + "/")}
    assert bound <= accounts


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_redis_ca_is_mounted_where_redis_url_says(environment: str) -> None:
    kustomization = (K8S / "overlays" / environment / "kustomization.yaml").read_text()
    mount = str(Path(CA_PATH).parent)
    assert f"mountPath: {mount}" in kustomization
    ca = next(d for d in external_secrets(environment)
              if d["kind"] == "ExternalSecret" and d["metadata"]["name"] == "ariaforge-redis-ca")
    assert [item["secretKey"] for item in ca["spec"]["data"]] == [Path(CA_PATH).name]
