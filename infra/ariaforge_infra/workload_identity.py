"""Google service accounts for the app's Kubernetes service accounts (Workload Identity), their
bucket permissions, and the HMAC keys through which the app's S3 client acts as them.

- `app`: the API and the workers. Reads and writes the app's bucket.
- `backup`: the backup CronJob. Reads the app's bucket, adds to the backup bucket; it cannot
  delete or overwrite a backup (no objectAdmin), and the app cannot touch backups at all.
- `secrets`: external-secrets' controller, which copies Secret Manager into Kubernetes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .settings import Settings
from .storage import Storage

NAMESPACE = "ariaforge"
# Kubernetes service account (namespace/name) → the Google service account it acts as.
BINDINGS = {
    f"{NAMESPACE}/ariaforge-api": "app",
    f"{NAMESPACE}/ariaforge-worker": "app",
    f"{NAMESPACE}/ariaforge-backup": "backup",
    "external-secrets/external-secrets": "secrets",
}


@dataclass(frozen=True)
class Identities:
    accounts: dict[str, gcp.serviceaccount.Account]
    app_key: gcp.storage.HmacKey
    backup_key: gcp.storage.HmacKey


def _member(account: gcp.serviceaccount.Account) -> pulumi.Output[str]:
    return account.email.apply(lambda email: f"serviceAccount:{email}")


def create(settings: Settings, storage: Storage, cluster: gcp.container.Cluster,
           opts: pulumi.ResourceOptions) -> Identities:
    accounts = {
        role: gcp.serviceaccount.Account(
            f"account-{role}", account_id=f"{settings.prefix}-{role}",
            display_name=f"AriaForge {role} ({settings.environment})", opts=opts)
        for role in sorted(set(BINDINGS.values()))
    }
    # The workload pool exists once the cluster does; binding before that fails.
    after_cluster = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
        depends_on=[cluster]))
    for ksa, role in BINDINGS.items():
        namespace, name = ksa.split("/")
        gcp.serviceaccount.IAMMember(
            f"workload-identity-{namespace}-{name}", service_account_id=accounts[role].name,
            role="roles/iam.workloadIdentityUser",
            member=f"serviceAccount:{settings.project}.svc.id.goog[{namespace}/{name}]",
            opts=after_cluster)

    grants = (
        ("app", "storage", storage.bucket, "roles/storage.objectAdmin"),
        ("backup", "storage", storage.bucket, "roles/storage.objectViewer"),
        ("backup", "backups", storage.backup_bucket, "roles/storage.objectCreator"),
        ("backup", "backups", storage.backup_bucket, "roles/storage.objectViewer"),
    )
    for role, label, bucket, grant in grants:
        gcp.storage.BucketIAMMember(
            f"{role}-{label}-{grant.split('.')[-1]}", bucket=bucket.name, role=grant,
            member=_member(accounts[role]), opts=opts)

    app_key = gcp.storage.HmacKey("storage-hmac-app", service_account_email=accounts["app"].email,
                                  opts=opts)
    backup_key = gcp.storage.HmacKey(
        "storage-hmac-backup", service_account_email=accounts["backup"].email, opts=opts)
    return Identities(accounts=accounts, app_key=app_key, backup_key=backup_key)
