"""The identity that CD (.github/workflows/deploy.yml) deploys with: GitHub's OIDC token is
exchanged for a short-lived Google token through Workload Identity Federation, so no
service-account key exists anywhere. Only runs of this repository in the GitHub
environment of the same name (`production` needs a reviewer's approval there) qualify.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .settings import Settings

ISSUER = "https://token.actions.githubusercontent.com"
# Enough to apply the overlay and run the migrate Job inside the cluster; nothing in IAM.
DEPLOY_ROLE = "roles/container.developer"


@dataclass(frozen=True)
class Deployer:
    provider: gcp.iam.WorkloadIdentityPoolProvider
    account: gcp.serviceaccount.Account


def create(settings: Settings, opts: pulumi.ResourceOptions) -> Deployer | None:
    repository = settings.github_repository
    if not repository:
        return None
    pool = gcp.iam.WorkloadIdentityPool(
        "github-pool", workload_identity_pool_id=f"{settings.prefix}-github",
        display_name=f"GitHub Actions ({settings.environment})", opts=opts)
    provider = gcp.iam.WorkloadIdentityPoolProvider(
        "github-provider", workload_identity_pool_id=pool.workload_identity_pool_id,
        workload_identity_pool_provider_id="github",
        oidc={"issuer_uri": ISSUER},
        attribute_mapping={"google.subject": "assertion.sub",
                           "attribute.repository": "assertion.repository",
                           "attribute.environment": "assertion.environment"},
        # GitHub's subject for a job bound to an environment: repository and environment in
        # one claim that a fork or another workflow trigger cannot produce (CKV_GCP_125).
        attribute_condition=(
            f"assertion.sub == 'repo:{repository}:environment:{settings.environment}'"),
        opts=opts)
    account = gcp.serviceaccount.Account(
        "account-deploy", account_id=f"{settings.prefix}-deploy",
        display_name=f"AriaForge CD ({settings.environment})", opts=opts)
    gcp.serviceaccount.IAMMember(
        "deploy-from-github", service_account_id=account.name,
        role="roles/iam.workloadIdentityUser",
        member=pool.name.apply(
            lambda name: f"principalSet://iam.googleapis.com/{name}/attribute.repository/"
                         f"{repository}"),
        opts=opts)
    gcp.projects.IAMMember(
        "deploy-account-container.developer", project=settings.project, role=DEPLOY_ROLE,
        member=account.email.apply(lambda email: f"serviceAccount:{email}"), opts=opts)
    return Deployer(provider=provider, account=account)
