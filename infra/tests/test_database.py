"""Cloud SQL for PostgreSQL: reachable only privately, TLS only, recoverable to any point of
the last week, HA and undeletable in production. CKV_GCP_* are checkov's numbers."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from harness import Run, run, secret_value, stack_config

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"


def settings_of(run: Run) -> dict[str, Any]:
    settings: dict[str, Any] = run.one(INSTANCE).inputs["settings"]
    return settings


def test_ckv_gcp_60_11_private_ip_only(stack: Run) -> None:
    ip = settings_of(stack)["ipConfiguration"]
    assert ip["ipv4Enabled"] is False
    assert ip["privateNetwork"] == "network-id"
    assert not ip.get("authorizedNetworks")


def test_ckv_gcp_6_tls_required(stack: Run) -> None:
    # ENCRYPTED_ONLY: every connection is TLS; client certificates are not demanded
    # (checkov.yml says why CKV_GCP_6's stricter reading is skipped).
    assert settings_of(stack)["ipConfiguration"]["sslMode"] == "ENCRYPTED_ONLY"


def test_ckv_gcp_14_backups_with_point_in_time_recovery(stack: Run) -> None:
    backups = settings_of(stack)["backupConfiguration"]
    assert backups["enabled"] is True and backups["pointInTimeRecoveryEnabled"] is True
    assert backups["transactionLogRetentionDays"] >= 7
    assert backups["backupRetentionSettings"]["retainedBackups"] >= 7


def test_ha_and_deletion_protection_in_production_only(staging: Run, production: Run) -> None:
    assert settings_of(production)["availabilityType"] == "REGIONAL"
    assert settings_of(staging)["availabilityType"] == "ZONAL"
    assert production.one(INSTANCE).inputs["deletionProtection"] is True
    assert settings_of(production)["deletionProtectionEnabled"] is True
    assert staging.one(INSTANCE).inputs["deletionProtection"] is False
    assert settings_of(staging)["deletionProtectionEnabled"] is False


def test_ckv_gcp_79_postgresql_18_like_every_other_environment(stack: Run) -> None:
    # The embedded server of dev and tests is PostgreSQL 18 (pgserver), and so is the
    # pg_dump the backups use: a dump restores into the same major version.
    assert stack.one(INSTANCE).inputs["databaseVersion"] == "POSTGRES_18"
    assert settings_of(stack)["edition"] == "ENTERPRISE"  # db-custom tiers exist only there


def test_ckv_gcp_51_to_57_108_to_111_logging_flags(stack: Run) -> None:
    flags = {f["name"]: f["value"] for f in settings_of(stack)["databaseFlags"]}
    assert flags["log_checkpoints"] == flags["log_connections"] == "on"         # 51, 52
    assert flags["log_disconnections"] == flags["log_lock_waits"] == "on"       # 53, 54
    assert flags["log_min_messages"] == "warning"                               # 55
    assert flags["log_temp_files"] == "0"                                       # 56
    assert flags["log_min_duration_statement"] == "-1"                          # 57
    assert flags["log_hostname"] == "on"                                        # 108
    assert flags["log_min_error_statement"] == "error"                          # 109
    assert flags["cloudsql.enable_pgaudit"] == "on"                             # 110
    assert flags["log_statement"] == "ddl"                                      # 111


def test_database_user_and_url(stack: Run) -> None:
    assert stack.one("gcp:sql/database:Database").inputs["name"] == "ariaforge"
    user = stack.one("gcp:sql/user:User").inputs
    password = secret_value(user["password"])
    assert len(password) == 32
    version = stack.one("gcp:secretmanager/secretVersion:SecretVersion",
                        "secret-database-url-value").inputs
    url = urlsplit(secret_value(version["secretData"]))
    assert (url.scheme, url.username, url.password) == ("postgresql", "ariaforge", password)
    assert (url.hostname, url.port, url.path) == (stack.exports["database_private_ip"], 5432,
                                                  "/ariaforge")
    assert parse_qs(url.query) == {"sslmode": ["require"]}


def test_a_rebuilt_instance_can_take_a_new_name(staging: Run) -> None:
    assert staging.one(INSTANCE).inputs["name"] == "ariaforge-staging"
    renamed = run("staging", stack_config("staging", **{
        "ariaforge:databaseInstance": "ariaforge-staging-2"}))
    assert renamed.exports["database_connection_name"].endswith(":ariaforge-staging-2")


def test_the_password_is_generated_without_url_special_characters(stack: Run) -> None:
    generator = stack.one("random:index/randomPassword:RandomPassword", "database-password")
    assert generator.inputs["special"] is False and generator.inputs["length"] >= 32
