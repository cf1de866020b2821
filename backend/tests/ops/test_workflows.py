"""What the CI/CD files must contain: the release flow, its gates and its pins.

The workflows run only on GitHub, so these tests read them: the order of the jobs, who may
write what, that the digest (never a tag) travels from the build to both clusters, that the
production job waits for an environment approval, that every action is pinned to a commit.
actionlint and the JSON schemas (`make deploy-check`) check the syntax; this checks intent.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
GITHUB = REPO / ".github"
WORKFLOWS = GITHUB / "workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
CI = WORKFLOWS / "ci.yml"
VERCEL = WORKFLOWS / "vercel-deploy.yml"
DEPENDABOT = GITHUB / "dependabot.yml"
FRONTEND = REPO / "frontend"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"\s+#\s*v\d+(\.\d+)*\s*$")


@cache
def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as True.
    triggers: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]  # type: ignore[index]
    return triggers


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job.get("steps", [])
    return steps


def _step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    (step,) = [s for s in _steps(job) if s.get("uses", "").split("@")[0] == action]
    return step


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(s.get("run", "") for s in _steps(job))


# --- pins ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [USES.match(line) for line in path.read_text().splitlines()]
    uses = [m for m in lines if m]
    assert uses, path
    for match in uses:
        target, rest = match.group(1), match.group(2)
        if target.startswith("./"):
            continue  # a workflow of this repository, at this commit
        assert PINNED.fullmatch(target), f"{path.name}: {target} is not pinned to a commit"
        assert VERSION_COMMENT.fullmatch(rest), f"{path.name}: {target} has no # vX.Y.Z"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text().splitlines():
            match = USES.match(line)
            if match and "@" in match.group(1):
                action, sha = match.group(1).split("@")
                pins.setdefault(action, set()).add(sha)
    assert pins and all(len(shas) == 1 for shas in pins.values()), pins


# --- deploy.yml: test -> build -> scan -> staging -> approval -> production ------------------

def test_deploy_runs_on_main_and_by_hand() -> None:
    triggers = _triggers(_load(DEPLOY))
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]


def test_deploy_jobs_run_in_release_order() -> None:
    jobs = _load(DEPLOY)["jobs"]
    needs = {name: set([job["needs"]] if isinstance(job.get("needs"), str)
                       else job.get("needs", [])) for name, job in jobs.items()}
    assert needs["test"] == set()
    assert needs["build"] == {"test"}
    assert "build" in needs["scan"]
    assert {"build", "scan"} <= needs["staging"]
    assert {"build", "staging"} <= needs["production"]


def test_deploy_tests_with_the_ci_workflow() -> None:
    """`make test` (and the image build, the audits) in one place: deploy calls CI."""
    test_job = _load(DEPLOY)["jobs"]["test"]
    assert test_job["uses"] == "./.github/workflows/ci.yml"
    assert "workflow_call" in _triggers(_load(CI))
    ci_runs = "\n".join(_runs(job) for job in _load(CI)["jobs"].values())
    assert re.search(r"^make test$", ci_runs, re.M)


def test_build_pushes_to_ghcr_and_outputs_the_digest() -> None:
    build = _load(DEPLOY)["jobs"]["build"]
    step = _step_using(build, "docker/build-push-action")
    assert step["with"]["context"] == "backend"
    assert step["with"]["file"] == "backend/Dockerfile"
    assert step["with"]["build-contexts"] == "frontend=frontend"
    assert step["with"]["push"] is True
    assert build["outputs"]["digest"] == "${{ steps." + step["id"] + ".outputs.digest }}"
    login = _step_using(build, "docker/login-action")
    assert login["with"]["registry"] == "ghcr.io"
    _step_using(build, "docker/setup-buildx-action")


def test_scan_and_deploys_use_the_digest_not_a_tag() -> None:
    jobs = _load(DEPLOY)["jobs"]
    by_digest = "${{ needs.build.outputs.image }}@${{ needs.build.outputs.digest }}"
    trivy = _step_using(jobs["scan"], "aquasecurity/trivy-action")["with"]
    assert trivy["image-ref"] == by_digest
    for env in ("staging", "production"):
        (step,) = [s for s in _steps(jobs[env]) if "k8s/deploy.sh" in s.get("run", "")]
        assert step["env"]["IMAGE"] == by_digest
        # The image reaches the script through the environment, never pasted into the shell.
        assert step["run"].strip() == f'k8s/deploy.sh {env} "$IMAGE"'


def test_trivy_fails_on_fixable_high_and_critical() -> None:
    trivy = _step_using(_load(DEPLOY)["jobs"]["scan"], "aquasecurity/trivy-action")["with"]
    assert set(trivy["severity"].split(",")) == {"HIGH", "CRITICAL"}
    assert str(trivy["exit-code"]) == "1"
    assert str(trivy["ignore-unfixed"]).lower() == "true"


@pytest.mark.parametrize("env", ["staging", "production"])
def test_each_environment_deploys_alone_through_workload_identity(env: str) -> None:
    job = _load(DEPLOY)["jobs"][env]
    environment = job["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == env
    assert job["concurrency"]["group"] == f"deploy-{env}"
    # A queued rollout waits: cancelling one half way would skip its rollback.
    assert job["concurrency"]["cancel-in-progress"] is False
    auth = _step_using(job, "google-github-actions/auth")["with"]
    assert auth["workload_identity_provider"] and auth["service_account"]
    assert "credentials_json" not in auth  # no service-account key
    gke = _step_using(job, "google-github-actions/get-gke-credentials")["with"]
    assert gke["cluster_name"] and gke["location"]
    # The cluster (infra/) is private with no authorized networks by default: runners reach
    # it through the DNS endpoint that infra/ opens to IAM-checked traffic.
    assert gke["use_dns_based_endpoint"] is True
    cluster = (REPO / "infra" / "ariaforge_infra" / "cluster.py").read_text()
    assert '"dns_endpoint_config": {"allow_external_traffic": True}' in cluster


def test_production_is_the_last_job_and_has_its_own_environment() -> None:
    """The approval gate is the `production` environment's required reviewers; the job that
    holds production credentials must be the only one using that environment."""
    jobs = _load(DEPLOY)["jobs"]
    users = [name for name, job in jobs.items()
             if (job.get("environment") or {}).get("name") == "production"]
    assert users == ["production"]
    assert not [name for name, job in jobs.items() if "production" in str(job.get("needs", ""))]


def test_least_privilege_per_job() -> None:
    workflow = _load(DEPLOY)
    assert workflow["permissions"] == {"contents": "read"}
    writes = {name: {scope for scope, level in job["permissions"].items() if level == "write"}
              for name, job in workflow["jobs"].items()}
    assert writes == {"test": set(), "build": {"packages"}, "scan": set(),
                      "staging": {"id-token"}, "production": {"id-token"}}


def test_checkouts_do_not_keep_the_token() -> None:
    for path in WORKFLOW_FILES:
        for job in _load(path)["jobs"].values():
            for step in _steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path.name


# --- ci.yml: image build, dependency audits ---------------------------------------------------

def test_ci_builds_the_image_without_pushing() -> None:
    job = _load(CI)["jobs"]["image"]
    build = " ".join(_runs(job).split())
    assert "docker buildx build" in build
    assert "--build-context frontend=frontend" in build
    assert "--file backend/Dockerfile" in build
    assert "--push" not in build
    assert "permissions" not in job  # the workflow's contents: read


def test_ci_audits_python_from_the_lock_with_a_hashed_pip_audit() -> None:
    runs = " ".join(_runs(_load(CI)["jobs"]["python-audit"]).split())
    assert "deploy/requirements-audit.lock" in runs
    assert re.search(r"pip-audit\"? --no-deps --disable-pip .*-r backend/requirements\.lock", runs)
    lock = (REPO / "deploy" / "requirements-audit.lock").read_text()
    assert re.search(r"^pip-audit==", lock, re.M)


def test_ci_audits_the_web_apps_runtime_dependencies() -> None:
    job = _load(CI)["jobs"]["npm-audit"]
    (step,) = [s for s in _steps(job) if s.get("working-directory") == "frontend"]
    assert step["run"].strip() == "npm audit --omit=dev --audit-level=high"


@pytest.mark.parametrize("lock", ["requirements-tools.lock", "requirements-audit.lock"])
def test_deploy_tool_locks_pin_and_hash_every_package(lock: str) -> None:
    text = (REPO / "deploy" / lock).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert entries
    for entry in entries:
        assert re.match(r"[A-Za-z0-9._-]+==\S+", entry), entry
        assert "--hash=sha256:" in entry, entry


# --- Vercel --------------------------------------------------------------------------------

def test_vercel_previews_pull_requests_and_deploys_main_prebuilt() -> None:
    workflow = _load(VERCEL)
    triggers = _triggers(workflow)
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    (job,) = workflow["jobs"].values()
    runs = _runs(job)
    for command in ("pull --yes", "build --prod", "deploy --prebuilt --prod",
                    'deploy --prebuilt --token'):
        assert command in runs, command
    assert set(job["env"]) >= {"VERCEL_TOKEN", "VERCEL_ORG_ID", "VERCEL_PROJECT_ID"}
    # The CLI comes from the locked deploy/vercel, not from whatever version is newest.
    assert "npm ci --prefix deploy/vercel" in runs
    cli = json.loads((REPO / "deploy" / "vercel" / "package.json").read_text())
    assert re.fullmatch(r"\d+\.\d+\.\d+", cli["devDependencies"]["vercel"])


def test_vercel_json_fits_a_nextjs_static_export() -> None:
    """With the Next.js framework preset Vercel finds the export itself: an
    outputDirectory override is rejected for Next.js, and trailing slashes are Next.js's
    setting (next.config.mjs), not a second one in vercel.json."""
    config = json.loads((FRONTEND / "vercel.json").read_text())
    assert config["framework"] == "nextjs"
    assert "outputDirectory" not in config
    assert "trailingSlash" not in config
    assert "routes" not in config  # routes cannot be mixed with headers
    next_config = (FRONTEND / "next.config.mjs").read_text()
    assert re.search(r"output:\s*[\"']export[\"']", next_config)
    assert re.search(r"trailingSlash:\s*true", next_config)


def test_the_web_app_reads_its_api_base_from_next_public_api_base() -> None:
    """Hosted apart (Vercel), the app calls the API on its own host through this variable."""
    client = (FRONTEND / "src" / "api" / "client.ts").read_text()
    assert "process.env.NEXT_PUBLIC_API_BASE" in client
    assert "NEXT_PUBLIC_API_BASE" in (FRONTEND / "next.config.mjs").read_text()


# --- dependabot ----------------------------------------------------------------------------

def test_dependabot_updates_every_ecosystem_weekly_in_groups() -> None:
    config = _load(DEPENDABOT)
    updates = {(u["package-ecosystem"], u["directory"]): u for u in config["updates"]}
    assert {("pip", "/backend"), ("npm", "/frontend"), ("github-actions", "/"),
            ("docker", "/backend"), ("npm", "/deploy/vercel")} <= set(updates)
    for update in updates.values():
        assert update["schedule"]["interval"] == "weekly"
        assert update["groups"], update
    for _, directory in updates:
        assert (REPO / directory.lstrip("/")).is_dir(), directory
