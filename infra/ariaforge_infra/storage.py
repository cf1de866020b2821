"""Two buckets: the app's objects (exports, audio, uploads) and the backups, apart so that
the app's credentials cannot delete a backup. Both private (uniform access, public access
prevention enforced), versioned, optionally encrypted with a customer-managed key. The
backup bucket lives in the multi-region around the cluster's region, so a backup survives
the loss of the region it was taken in, and in another project if `backupProject` is set.

The app reaches GCS through its S3-interoperable XML API (`STORAGE_URL=gs://bucket`,
backend/ariaforge/core/storage.py), which authenticates with HMAC keys, not with Workload
Identity: each bucket's writer is a service account with an HMAC key (secrets.py stores it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .settings import Settings

DAY_S = 86_400


@dataclass(frozen=True)
class Storage:
    bucket: gcp.storage.Bucket
    backup_bucket: gcp.storage.Bucket


def _encryption(settings: Settings) -> gcp.storage.BucketEncryptionArgsDict | None:
    return {"default_kms_key_name": settings.kms_key_name} if settings.kms_key_name else None


def create(settings: Settings, opts: pulumi.ResourceOptions) -> Storage:
    if settings.kms_key_name:
        # GCS encrypts with the key as its own service agent, which must be allowed to.
        agent = gcp.storage.get_project_service_account_output(project=settings.project)
        kms_grant = gcp.kms.CryptoKeyIAMMember(
            "storage-kms-grant", crypto_key_id=settings.kms_key_name,
            role="roles/cloudkms.cryptoKeyEncrypterDecrypter",
            member=agent.email_address.apply(lambda email: f"serviceAccount:{email}"),
            opts=opts)
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[kms_grant]))

    bucket = gcp.storage.Bucket(
        "storage", name=f"{settings.project}-{settings.prefix}-storage",
        location=settings.region.upper(),
        lifecycle_rules=[
            # Overwritten and deleted objects stay recoverable for a month, not forever.
            {"action": {"type": "Delete"},
             "condition": {"days_since_noncurrent_time": 30, "with_state": "ARCHIVED"}},
            {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1}},
        ],
        uniform_bucket_level_access=True,               # CKV_GCP_29
        public_access_prevention="enforced",            # CKV_GCP_114
        versioning={"enabled": True},                   # CKV_GCP_78
        encryption=_encryption(settings), labels=settings.labels, force_destroy=False,
        opts=opts)

    retention = settings.backup_retention_days
    backup_rules: list[gcp.storage.BucketLifecycleRuleArgsDict] = [
        {"action": {"type": "Delete"}, "condition": {"age": retention}},
        {"action": {"type": "Delete"},
         "condition": {"days_since_noncurrent_time": 30, "with_state": "ARCHIVED"}},
    ]
    if retention > 60:
        # Old backups are rarely read: a cheaper class, once past Nearline's 30-day minimum.
        backup_rules.append({"action": {"type": "SetStorageClass", "storage_class": "NEARLINE"},
                             "condition": {"age": 30, "matches_storage_classes": ["STANDARD"]}})
    backup_bucket = gcp.storage.Bucket(
        "backups", name=f"{settings.project}-{settings.prefix}-backups",
        # Another project, when given, keeps the backups out of reach of whoever can
        # delete this one (the bucket's IAM still lets the backup identity write).
        project=settings.backup_project or settings.project,
        location=settings.backup_location, storage_class="STANDARD",
        # Deleted backups can still be undeleted for 30 days (the maximum is 90).
        soft_delete_policy={"retention_duration_seconds": 30 * DAY_S},
        lifecycle_rules=backup_rules,
        uniform_bucket_level_access=True, public_access_prevention="enforced",
        versioning={"enabled": True},
        encryption=_encryption(settings), labels=settings.labels, force_destroy=False,
        opts=opts)
    return Storage(bucket=bucket, backup_bucket=backup_bucket)
