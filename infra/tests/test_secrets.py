"""The Secret Manager secrets that k8s/'s ExternalSecrets read, and who may read them."""

from __future__ import annotations

from typing import Any

from ariaforge_infra.secrets import NAMES
from harness import Run, secret_value

SECRET = "gcp:secretmanager/secret:Secret"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"


def test_every_secret_is_named_after_its_environment(stack: Run) -> None:
    env = stack.exports["environment"]
    ids = {r.inputs["secretId"] for r in stack.of_type(SECRET)}
    assert ids == {f"ariaforge-{env}-{name}" for name in NAMES}
    assert stack.exports["secret_names"] == {name: f"ariaforge-{env}-{name}" for name in NAMES}
    assert all(r.inputs["replication"] == {"auto": {}} for r in stack.of_type(SECRET))


def test_values_are_secret_and_the_backup_key_is_left_to_the_operator(stack: Run) -> None:
    versions = {r.inputs["secret"]: r.inputs["secretData"] for r in stack.of_type(VERSION)}
    written = {name for name in NAMES if f"secret-{name}-id" in versions}
    assert written == set(NAMES) - {"backup-encryption-key"}
    for data in versions.values():
        assert secret_value(data)


def test_storage_credentials_are_the_hmac_keys(stack: Run) -> None:
    def value(name: str) -> Any:
        return secret_value(stack.one(VERSION, f"secret-{name}-value").inputs["secretData"])

    assert value("storage-access-key-id") == "GOOG1STORAGE-HMAC-APP"
    assert value("storage-secret-access-key") == "hmac-secret-of-storage-hmac-app"
    assert value("backup-storage-access-key-id") == "GOOG1STORAGE-HMAC-BACKUP"
    assert len(value("secret-key")) == 64


def test_only_external_secrets_reads_them(stack: Run) -> None:
    env = stack.exports["environment"]
    readers = {(r.inputs["secretId"], r.inputs["role"], r.inputs["member"])
               for r in stack.of_type("gcp:secretmanager/secretIamMember:SecretIamMember")}
    member = f"serviceAccount:ariaforge-{env}-secrets@{stack.exports['project']}" \
        ".iam.gserviceaccount.com"
    assert readers == {(f"secret-{name}-id", "roles/secretmanager.secretAccessor", member)
                       for name in NAMES}
