"""The app's bucket and the backup bucket: private, versioned, backups off-region and out of
the app's reach. CKV_GCP_* are checkov's numbers."""

from __future__ import annotations

from typing import Any

import pytest

from harness import Run, run, stack_config

BUCKET = "gcp:storage/bucket:Bucket"


@pytest.mark.parametrize("name", ["storage", "backups"])
def test_ckv_gcp_29_114_78_private_and_versioned(stack: Run, name: str) -> None:
    bucket = stack.one(BUCKET, name).inputs
    assert bucket["uniformBucketLevelAccess"] is True
    assert bucket["publicAccessPrevention"] == "enforced"
    assert bucket["versioning"] == {"enabled": True}
    assert bucket["forceDestroy"] is False
    assert "encryption" not in bucket  # Google-managed keys unless kmsKeyName is set


def test_backups_live_in_the_multi_region_around_the_cluster(stack: Run) -> None:
    assert stack.one(BUCKET, "storage").inputs["location"] == "EUROPE-WEST1"
    assert stack.one(BUCKET, "backups").inputs["location"] == "EU"


def test_backup_lifecycle(staging: Run, production: Run) -> None:
    def rules(run: Run) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = run.one(BUCKET, "backups").inputs["lifecycleRules"]
        return found

    def deleted_at(run: Run) -> int:
        return next(int(r["condition"]["age"]) for r in rules(run)
                    if r["action"]["type"] == "Delete" and "age" in r["condition"])

    assert (deleted_at(staging), deleted_at(production)) == (30, 365)
    assert any(r["action"].get("storageClass") == "NEARLINE" for r in rules(production))
    backups = production.one(BUCKET, "backups").inputs
    assert backups["softDeletePolicy"]["retentionDurationSeconds"] == 30 * 86_400


def test_customer_managed_key_when_configured() -> None:
    key = "projects/keys-1/locations/europe/keyRings/ariaforge/cryptoKeys/storage"
    declared = run("staging", stack_config("staging", **{"ariaforge:kmsKeyName": key}))
    for name in ("storage", "backups"):
        assert declared.one(BUCKET, name).inputs["encryption"] == {"defaultKmsKeyName": key}
    grant = declared.one("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").inputs
    assert grant["cryptoKeyId"] == key
    assert grant["member"] == \
        "serviceAccount:service-1@gs-project-accounts.iam.gserviceaccount.com"
    assert "gcp:storage/getProjectServiceAccount:getProjectServiceAccount" in declared.calls


def test_backups_can_live_in_another_project(staging: Run) -> None:
    assert staging.one(BUCKET, "backups").inputs["project"] == staging.exports["project"]
    elsewhere = run("staging", stack_config("staging", **{
        "ariaforge:backupProject": "ariaforge-backups-1"}))
    assert elsewhere.one(BUCKET, "backups").inputs["project"] == "ariaforge-backups-1"
    assert "project" not in elsewhere.one(BUCKET, "storage").inputs


def test_the_app_cannot_touch_backups_and_nobody_can_delete_them(stack: Run) -> None:
    grants = {(g.inputs["bucket"], g.inputs["role"], g.inputs["member"].split("@")[0])
              for g in stack.of_type("gcp:storage/bucketIAMMember:BucketIAMMember")}
    env = stack.exports["environment"]
    app, backup = f"serviceAccount:ariaforge-{env}-app", f"serviceAccount:ariaforge-{env}-backup"
    storage, backups = stack.exports["storage_bucket"], stack.exports["backup_bucket"]
    assert grants == {
        (storage, "roles/storage.objectAdmin", app),
        (storage, "roles/storage.objectViewer", backup),
        (backups, "roles/storage.objectCreator", backup),
        (backups, "roles/storage.objectViewer", backup),
    }


def test_hmac_keys_belong_to_the_app_and_backup_accounts(stack: Run) -> None:
    owners = sorted(k.inputs["serviceAccountEmail"].split("@")[0]
                    for k in stack.of_type("gcp:storage/hmacKey:HmacKey"))
    env = stack.exports["environment"]
    assert owners == [f"ariaforge-{env}-app", f"ariaforge-{env}-backup"]
