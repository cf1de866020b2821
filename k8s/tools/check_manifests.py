"""Validate the manifests: every base file and every built overlay.

Built-in kinds go to `kubernetes-validate --strict`; custom resources (KEDA, external-secrets,
cert-manager) to `check-jsonschema` with k8s/schemas/<group>-<version>-<Kind>.yaml. A
custom resource without a schema fails, as does an overlay that does not build.

Overlays are built in a temporary copy of k8s/, where each git-ignored `*.secret.env` that
is missing is taken from its `.example`, so the dev overlay builds on a fresh checkout.

    python check_manifests.py BIN_DIR      (k8s/check.sh passes the tools' venv)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

K8S = Path(__file__).resolve().parents[1]
SCHEMAS = K8S / "schemas"
# API groups that kubernetes-validate knows (core is the empty group).
BUILTIN_GROUPS = {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io",
                  "rbac.authorization.k8s.io"}


def group_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def schema_for(doc: dict) -> Path:
    group, version = group_version(doc["apiVersion"])
    return SCHEMAS / f"{group}-{version}-{doc['kind']}.yaml"


def prepared_copy(work: Path) -> Path:
    copy = work / "k8s"
    shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("tools", "schemas"))
    for example in copy.glob("overlays/*/*.secret.env.example"):
        target = example.with_suffix("")
        if not target.exists():
            shutil.copyfile(example, target)
    return copy


def build(bin_dir: Path, overlay: Path) -> list[dict]:
    result = subprocess.run([str(bin_dir / "kubectl"), "kustomize", str(overlay)],  # noqa: S603
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{overlay.name}: kubectl kustomize failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


class Checks:
    """Files to validate, grouped by tool, so that each tool runs once for everything
    (loading the Kubernetes schemas is the slow part). Paths carry the label
    (work/base/api.yaml/..., work/overlays/staging/...), so messages say where."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.builtin: list[Path] = []
        self.custom: dict[Path, list[Path]] = {}
        self.problems: list[str] = []

    def add(self, label: str, docs: list[dict]) -> None:
        folder = self.work / label
        folder.mkdir(parents=True)
        for number, doc in enumerate(docs):
            path = folder / f"{number:03d}-{doc['kind']}-{doc['metadata']['name']}.yaml"
            path.write_text(yaml.safe_dump(doc), encoding="utf-8")
            group, _ = group_version(doc["apiVersion"])
            if group in BUILTIN_GROUPS:
                self.builtin.append(path)
            elif schema_for(doc).exists():
                self.custom.setdefault(schema_for(doc), []).append(path)
            else:
                self.problems.append(f"{label}: no schema {schema_for(doc).name} for "
                                     f"{doc['kind']} {doc['metadata']['name']}")

    def run(self, bin_dir: Path) -> list[str]:
        problems = list(self.problems)
        result = subprocess.run(  # noqa: S603 - our own tools venv, our own files
            [str(bin_dir / "kubernetes-validate"), "--strict", "--quiet",
             *map(str, self.builtin)], capture_output=True, text=True, check=False)
        output = (result.stdout + result.stderr).replace(f"{self.work}/", "")
        if result.returncode != 0 or "Couldn't find schema" in output:
            problems.append(f"kubernetes-validate --strict:\n{output}")
        for schema, paths in sorted(self.custom.items()):
            result = subprocess.run(  # noqa: S603 - our own tools venv, our own files
                [str(bin_dir / "check-jsonschema"), "--schemafile", str(schema),
                 *map(str, paths)], capture_output=True, text=True, check=False)
            if result.returncode != 0:
                output = (result.stdout + result.stderr).replace(f"{self.work}/", "")
                problems.append(f"check-jsonschema {schema.name}:\n{output}")
        return problems


def main(bin_dir: Path) -> int:
    counts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="k8s-check-") as tmp:
        work = Path(tmp)
        checks = Checks(work / "checked")
        for path in sorted((K8S / "base").glob("*.yaml")):
            if path.name == "kustomization.yaml":
                continue
            docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
            checks.add(f"base/{path.name}", docs)
        copy = prepared_copy(work)
        for overlay in sorted((copy / "overlays").iterdir()):
            docs = build(bin_dir, overlay)
            counts.append(f"{overlay.name}: {len(docs)} objects")
            checks.add(f"overlays/{overlay.name}", docs)
        problems = checks.run(bin_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("k8s manifests valid (" + "; ".join(counts) + ")")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
