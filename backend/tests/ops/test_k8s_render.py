"""The Kubernetes overlays as the cluster receives them, and what the other k8s tests share.

Every overlay (k8s/overlays/<env>) is built with `kubectl kustomize` from the manifest tools'
virtualenv (k8s/tools/venv.sh installs it from its hashed lock on first use), in a copy of
k8s/ where the dev overlay's git-ignored `*.secret.env` files are its `.example` files. The
tests read the built objects, never the source files alone: kustomize's patches, generators
and name hashes are part of what gets deployed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
BACKEND = REPO / "backend"
K8S = REPO / "k8s"
OVERLAYS = ("dev", "staging", "production")
CLOUD_OVERLAYS = ("staging", "production")
APP_IMAGE = "ariaforge/backend"
APP_PORT = 8000
METRICS_PORT = 9100
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"})

Obj = dict[str, Any]


@cache
def tools_bin() -> Path:
    """The bin folder of the manifest tools' venv (kubectl, kubernetes-validate, ...)."""
    result = subprocess.run(["sh", str(K8S / "tools" / "venv.sh")], capture_output=True,
                            text=True, timeout=900, check=True)
    return Path(result.stdout.strip().splitlines()[-1])


def prepared_copy(target: Path) -> Path:
    """k8s/ copied to `target`, with every dev secret file taken from its example."""
    copy = target / "k8s"
    shutil.copytree(K8S, copy)
    for example in copy.glob("overlays/*/*.secret.env.example"):
        shutil.copyfile(example, example.with_suffix(""))
    return copy


def kustomize(directory: Path) -> list[Obj]:
    result = subprocess.run([str(tools_bin() / "kubectl"), "kustomize", str(directory)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{directory}: {result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@cache
def built(overlay: str) -> tuple[Obj, ...]:
    with tempfile.TemporaryDirectory(prefix="k8s-render-") as tmp:
        copy = prepared_copy(Path(tmp))
        return tuple(kustomize(copy / "overlays" / overlay))


def objects(overlay: str, kind: str | None = None) -> list[Obj]:
    return [obj for obj in built(overlay) if kind is None or obj["kind"] == kind]


def find(overlay: str, kind: str, name: str) -> Obj:
    for obj in built(overlay):
        if obj["kind"] == kind and obj["metadata"]["name"] == name:
            return obj
    raise AssertionError(f"overlay {overlay} has no {kind} {name}")


def pod_template(obj: Obj) -> Obj | None:
    """The pod template (metadata + spec) of a workload, None for other objects."""
    if obj["kind"] == "CronJob":
        return dict(obj["spec"]["jobTemplate"]["spec"]["template"])
    if obj["kind"] in WORKLOAD_KINDS:
        return dict(obj["spec"]["template"])
    return None


def workloads(overlay: str) -> dict[str, Obj]:
    """`Kind/name` → pod spec of every workload in the overlay."""
    found = {}
    for obj in built(overlay):
        template = pod_template(obj)
        if template is not None:
            found[f"{obj['kind']}/{obj['metadata']['name']}"] = template["spec"]
    return found


def app_containers(overlay: str) -> dict[str, Obj]:
    """`Kind/name/container` → container, for every container (all run the app's image:
    test_k8s_manifests checks it)."""
    found = {}
    for where, pod in workloads(overlay).items():
        for container in [*pod.get("initContainers", []), *pod["containers"]]:
            found[f"{where}/{container['name']}"] = container
    return found


def secret_keys(overlay: str, name: str) -> set[str]:
    """Keys of Secret `name` once in the cluster: a generated Secret's own keys, or what an
    ExternalSecret writes into it (its template's keys, else its data keys)."""
    for obj in built(overlay):
        if obj["kind"] == "Secret" and obj["metadata"]["name"] == name:
            return set(obj.get("data", {})) | set(obj.get("stringData", {}))
        if obj["kind"] == "ExternalSecret" and obj["spec"]["target"]["name"] == name:
            template = obj["spec"]["target"].get("template", {}).get("data")
            return set(template) if template else {d["secretKey"] for d in obj["spec"]["data"]}
    raise AssertionError(f"overlay {overlay} creates no Secret {name}")


def config_data(overlay: str, name: str) -> dict[str, str]:
    (config,) = [obj for obj in objects(overlay, "ConfigMap")
                 if obj["metadata"]["name"] == name]
    return dict(config["data"])


def app_config(overlay: str) -> dict[str, str]:
    """The app's ConfigMap (generated: its name carries a content hash)."""
    names = {source["configMapRef"]["name"]
             for container in app_containers(overlay).values()
             for source in container.get("envFrom", []) if "configMapRef" in source}
    (name,) = names
    assert name.startswith("ariaforge-config-"), name
    return config_data(overlay, name)


# --- the overlays themselves ---------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_overlay_builds_into_its_own_namespace(overlay: str) -> None:
    docs = built(overlay)
    (namespace,) = [obj for obj in docs if obj["kind"] == "Namespace"]
    name = namespace["metadata"]["name"]
    assert name == ("ariaforge-dev" if overlay == "dev" else "ariaforge")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for obj in docs:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == name, (obj["kind"], obj["metadata"]["name"])
    kinds = {obj["kind"] for obj in docs}
    # Managed PostgreSQL: never a StatefulSet, and never a template Secret in the cloud.
    assert "StatefulSet" not in kinds and "PersistentVolumeClaim" not in kinds
    if overlay in CLOUD_OVERLAYS:
        assert "Secret" not in kinds
        assert {"ExternalSecret", "SecretStore"} <= kinds


def test_dev_secrets_come_only_from_git_ignored_files() -> None:
    kustomization = yaml.safe_load((K8S / "overlays/dev/kustomization.yaml").read_text())
    files = [path for generator in kustomization["secretGenerator"]
             for path in generator["envs"]]
    assert files
    for name in files:
        result = subprocess.run(["git", "check-ignore", "-q", f"k8s/overlays/dev/{name}"],
                                cwd=REPO, check=False)
        assert result.returncode == 0, f"k8s/overlays/dev/{name} is not git-ignored"
        assert (K8S / "overlays/dev" / f"{name}.example").is_file(), name
    # No file anywhere under k8s/ declares a Secret with values.
    for path in K8S.rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                raise AssertionError(f"{path.relative_to(REPO)} declares a Secret")
