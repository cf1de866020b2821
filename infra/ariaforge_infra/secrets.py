"""Secret Manager secrets named `ariaforge-<env>-<name>`, which external-secrets copies into
the cluster (k8s/), and their values where this program knows them.

`backup-encryption-key` is created empty on purpose: backups taken before a disaster are
readable only with the key they were encrypted with, so it must not be regenerated when the
infrastructure is rebuilt. The operator keeps it outside the cloud project too (a password
manager) and adds it as a version (docs/operations.md, "Infrastructure as code").
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from .cache import Cache
from .database import Database
from .settings import Settings
from .workload_identity import Identities

NAMES = (
    "secret-key", "database-url", "redis-url", "redis-ca",
    "storage-access-key-id", "storage-secret-access-key",
    "backup-storage-access-key-id", "backup-storage-secret-access-key",
    "backup-encryption-key",
)
OPERATOR_SUPPLIED = ("backup-encryption-key",)


def create(settings: Settings, database: Database, cache: Cache, identities: Identities,
           opts: pulumi.ResourceOptions) -> dict[str, gcp.secretmanager.Secret]:
    secret_key = random.RandomPassword("secret-key", length=64, special=False)
    values: dict[str, pulumi.Input[str]] = {
        "secret-key": secret_key.result,
        "database-url": database.url,
        "redis-url": cache.url,
        "redis-ca": cache.ca,
        "storage-access-key-id": identities.app_key.access_id,
        "storage-secret-access-key": identities.app_key.secret,
        "backup-storage-access-key-id": identities.backup_key.access_id,
        "backup-storage-secret-access-key": identities.backup_key.secret,
    }
    reader = identities.accounts["secrets"].email.apply(lambda email: f"serviceAccount:{email}")
    secrets = {}
    for name in NAMES:
        secret = gcp.secretmanager.Secret(
            f"secret-{name}", secret_id=f"{settings.prefix}-{name}",
            # Replicated by Google across regions: the secrets outlive a regional outage.
            replication={"auto": {}}, labels=settings.labels, opts=opts)
        secrets[name] = secret
        gcp.secretmanager.SecretIamMember(
            f"secret-{name}-reader", secret_id=secret.id,
            role="roles/secretmanager.secretAccessor", member=reader, opts=opts)
        if name not in OPERATOR_SUPPLIED:
            gcp.secretmanager.SecretVersion(
                f"secret-{name}-value", secret=secret.id,
                secret_data=pulumi.Output.secret(values[name]), opts=opts)
    return secrets
