"""k8s/check.sh: every base file and every built overlay validated, and it catches mistakes.

Built-in kinds by `kubernetes-validate --strict`, the KEDA, external-secrets and cert-manager
objects by `check-jsonschema` with the schemas in k8s/schemas/. The second test breaks a
copy of k8s/ in three places the API server would reject or silently drop, and expects
check.sh to name each one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.ops.test_k8s_render import K8S, tools_bin


def _check(k8s: Path) -> subprocess.CompletedProcess[str]:
    # The copy reuses the tools' venv (same lock, so nothing is installed again).
    env = {**os.environ, "K8S_TOOLS_VENV": str(tools_bin().parent)}
    return subprocess.run(["sh", str(k8s / "check.sh")], capture_output=True, text=True,
                          timeout=600, env=env, check=False)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_base_file_and_overlay_is_valid() -> None:
    result = _check(K8S)
    assert result.returncode == 0, result.stderr
    assert "k8s manifests valid (dev: " in result.stdout


def test_check_names_each_invalid_object(tmp_path: Path) -> None:
    copy = tmp_path / "repo" / "k8s"
    shutil.copytree(K8S, copy)
    # A KEDA trigger key misspelt (KEDA would ignore it and scale on its default).
    _replace(copy / "base/worker-autoscaling.yaml", 'streamLength: "2"',
             'streamLenght: "2"')
    # A Deployment field that does not exist (strict validation).
    _replace(copy / "base/api.yaml", "  revisionHistoryLimit: 5\n",
             "  revisionHistoryLimit: 5\n  replica: 2\n")
    # An enum value external-secrets does not know, in one overlay only.
    _replace(copy / "overlays/staging/external-secrets.yaml", "creationPolicy: Owner",
             "creationPolicy: Owned")
    result = _check(copy)
    assert result.returncode != 0
    assert "'streamLenght' is not one of" in result.stderr
    assert "replica" in result.stderr and "base/api.yaml" in result.stderr
    assert "'Owned' is not one of" in result.stderr
    (schema_report,) = [part for part in result.stderr.split("check-jsonschema ")
                        if part.startswith("external-secrets.io-v1-ExternalSecret")]
    assert "overlays/staging/" in schema_report
    assert "overlays/production/" not in schema_report
