"""k8s/deploy.sh, the script the CD workflow runs, without a cluster.

`bash -n` and shellcheck on the scripts; DRY_RUN=1, which renders the release and prints
its kubectl commands; and full runs against a stand-in `kubectl` on PATH: the real kubectl
for `kubectl kustomize`, and for the cluster calls a script that records them and answers
as a cluster would (migration Complete or Failed, a rollout that succeeds or times out).
No cluster can run here; the decisions under test (order, stop, roll back) are the script's.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ops.test_k8s_render import K8S, REPO, tools_bin

DEPLOY = K8S / "deploy.sh"
SCRIPTS = [DEPLOY, K8S / "check.sh", K8S / "tools" / "venv.sh"]
DIGEST = "sha256:" + "0123456789abcdef" * 4
IMAGE = f"ghcr.io/owner/ariaforge@{DIGEST}"

# Answers like a cluster: `get job` prints $JOB_STATE; `rollout status` of the deployment
# named in $FAIL_ROLLOUT fails; every other cluster call succeeds and is logged.
FAKE_KUBECTL = """#!/usr/bin/env bash
if [[ $1 == kustomize ]]; then exec "$REAL_KUBECTL" "$@"; fi
echo "$*" >> "$KUBECTL_LOG"
args=" $* "
if [[ $args == *" get job "* ]]; then printf '%s' "$JOB_STATE"; exit 0; fi
if [[ $args == *" rollout status "* && -n $FAIL_ROLLOUT && $args == *"$FAIL_ROLLOUT"* ]]; then
    exit 1
fi
exit 0
"""


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DEPLOY), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, check=False, cwd=REPO)


@pytest.fixture
def cluster(tmp_path: Path) -> dict[str, str]:
    """Environment for deploy.sh with the stand-in kubectl first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "kubectl"
    fake.write_text(FAKE_KUBECTL)
    fake.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "REAL_KUBECTL": str(tools_bin() / "kubectl"),
            "KUBECTL_LOG": str(tmp_path / "kubectl.log"), "JOB_STATE": "Complete ",
            "FAIL_ROLLOUT": "", "MIGRATE_TIMEOUT_S": "30"}


def _pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
    return dict(spec["template"]["spec"])


def _calls(cluster: dict[str, str]) -> list[str]:
    log = Path(cluster["KUBECTL_LOG"])
    return log.read_text().splitlines() if log.exists() else []


def _index(calls: list[str], pattern: str) -> int:
    for number, call in enumerate(calls):
        if re.search(pattern, call):
            return number
    raise AssertionError(f"no kubectl call matches {pattern!r} in {calls}")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse_and_are_shellcheck_clean(script: Path) -> None:
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    result = subprocess.run([str(tools_bin() / "shellcheck"), str(script)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_dry_run_renders_the_release_by_digest_and_orders_the_steps() -> None:
    result = _run("staging", IMAGE, env={"DRY_RUN": "1",
                                         "PATH": f"{tools_bin()}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    manifests, commands = result.stdout.split("# kubectl commands\n")
    docs = [doc for doc in yaml.safe_load_all(manifests) if doc]
    images = {container["image"] for doc in docs
              if doc["kind"] in {"Deployment", "Job", "CronJob"}
              for container in _pod_spec(doc)["containers"]}
    assert images == {IMAGE}
    jobs = [doc["metadata"]["name"] for doc in docs if doc["kind"] == "Job"]
    assert jobs == [f"ariaforge-migrate-{DIGEST[7:19]}"]
    lines = commands.splitlines()
    pre = _index(lines, r"apply -f \S+ -l app\.kubernetes\.io/component\\ notin")
    wait = _index(lines, rf"wait for job/{jobs[0]}")
    apply_all = _index(lines, r"kubectl apply -f \S+manifests\.yaml$")
    rollouts = [_index(lines, rf"rollout status deployment/{name} ")
                for name in ("ariaforge-backend", "ariaforge-worker")]
    assert pre < wait < apply_all < min(rollouts)
    assert not any("rollout undo" in line for line in lines)
    # The repository's own files are untouched (the release is written into a copy).
    release = yaml.safe_load((K8S / "overlays/staging/release.yaml").read_text())
    assert "digest" not in release["imageTag"]


@pytest.mark.parametrize("args", [("staging", "ghcr.io/owner/ariaforge:0.1.0"),
                                  ("qa", IMAGE), ("staging",)])
def test_refuses_tags_unknown_environments_and_missing_arguments(args: tuple[str, ...]) -> None:
    result = _run(*args, env={"DRY_RUN": "1"})
    assert result.returncode != 0
    assert "deploy:" in result.stderr


def test_successful_release_migrates_then_rolls_out(cluster: dict[str, str]) -> None:
    result = _run("production", IMAGE, env=cluster)
    assert result.returncode == 0, result.stderr
    calls = _calls(cluster)
    pre_apply = _index(calls, r"^apply .* -l ")
    # The first look at the Job (a failed one of this release would be replaced) comes
    # before it is applied, the wait for its completion after.
    waits = [n for n, call in enumerate(calls) if "get job ariaforge-migrate-" in call]
    assert waits[0] < pre_apply < waits[-1] < _index(calls, r"^apply -f \S+$") \
        < _index(calls, "rollout status")
    assert all("-n ariaforge" in call for call in calls if not call.startswith("apply"))
    assert not any("rollout undo" in call for call in calls)


def test_failed_migration_stops_before_any_rollout(cluster: dict[str, str]) -> None:
    cluster["JOB_STATE"] = "Failed "
    result = _run("staging", IMAGE, env=cluster)
    assert result.returncode != 0
    assert "nothing rolled out" in result.stderr
    calls = _calls(cluster)
    # The earlier failed Job of this release is deleted and run again once...
    assert any(call.startswith("-n ariaforge delete job ariaforge-migrate-") for call in calls)
    # ...and when it fails again, the Deployments are never touched.
    assert not any(re.match(r"apply -f \S+$", call) for call in calls)
    assert not any("rollout" in call for call in calls)


def test_failed_rollout_rolls_both_deployments_back(cluster: dict[str, str]) -> None:
    cluster["FAIL_ROLLOUT"] = "deployment/ariaforge-worker"
    result = _run("staging", IMAGE, env=cluster)
    assert result.returncode != 0
    assert "rolled back" in result.stderr
    calls = _calls(cluster)
    undone = {call.split()[-1] for call in calls if " rollout undo " in f" {call} "}
    assert undone == {"deployment/ariaforge-backend", "deployment/ariaforge-worker"}
    assert _index(calls, "rollout undo") > _index(calls, r"^apply -f \S+$")
