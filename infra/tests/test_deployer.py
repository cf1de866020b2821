"""CD's identity: GitHub Actions runs of one repository and one GitHub environment, through
Workload Identity Federation; only created when `githubRepository` is configured."""

from __future__ import annotations

import pytest

from ariaforge_infra.settings import ConfigError
from harness import Run, run, stack_config

REPOSITORY = "ariaforge/ariaforge"


@pytest.fixture(scope="module")
def with_cd() -> Run:
    return run("production", stack_config("production",
                                          **{"ariaforge:githubRepository": REPOSITORY}))


def test_only_this_repository_in_the_matching_environment(with_cd: Run) -> None:
    provider = with_cd.one(
        "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider").inputs
    assert provider["oidc"] == {"issuerUri": "https://token.actions.githubusercontent.com"}
    assert provider["attributeCondition"] == (
        f"assertion.sub == 'repo:{REPOSITORY}:environment:production'")


def test_the_deploy_account_can_deploy_and_nothing_more(with_cd: Run) -> None:
    email = with_cd.exports["deploy_service_account"]
    assert email.startswith("ariaforge-production-deploy@")
    roles = [r.inputs["role"] for r in with_cd.of_type("gcp:projects/iAMMember:IAMMember")
             if r.inputs["member"] == f"serviceAccount:{email}"]
    assert roles == ["roles/container.developer"]
    binding = with_cd.one("gcp:serviceaccount/iAMMember:IAMMember", "deploy-from-github")
    assert binding.inputs["member"] == (
        "principalSet://iam.googleapis.com/projects/123456/locations/global/"
        f"workloadIdentityPools/ariaforge-production-github/attribute.repository/{REPOSITORY}")


def test_the_workflow_variables_are_exported(with_cd: Run) -> None:
    assert with_cd.exports["deploy_workload_identity_provider"].endswith(
        "/workloadIdentityPools/ariaforge-production-github/providers/github")
    assert {"cluster_name", "cluster_location", "project"} <= set(with_cd.exports)


def test_nothing_for_cd_without_a_repository(production: Run) -> None:
    assert production.of_type("gcp:iam/workloadIdentityPool:WorkloadIdentityPool") == []
    assert "deploy_service_account" not in production.exports


def test_the_cluster_api_is_reachable_through_its_iam_guarded_dns_endpoint(
        production: Run) -> None:
    endpoints = production.one("gcp:container/cluster:Cluster").inputs[
        "controlPlaneEndpointsConfig"]
    assert endpoints["dnsEndpointConfig"]["allowExternalTraffic"] is True


def test_a_malformed_repository_is_refused() -> None:
    with pytest.raises(ConfigError, match="ariaforge:githubRepository"):
        run("staging", stack_config("staging", **{"ariaforge:githubRepository": "ariaforge"}))
