"""Memorystore for Redis 7 as the job queue: nothing evicted, AUTH and TLS, HA in
production only. CKV_GCP_95/97 are checkov's numbers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from ariaforge_infra.cache import CA_PATH
from harness import Run, secret_value

REDIS = "gcp:redis/instance:Instance"


def test_redis_7_never_evicts(stack: Run) -> None:
    redis = stack.one(REDIS).inputs
    assert redis["redisVersion"].startswith("REDIS_7")
    assert redis["redisConfigs"] == {"maxmemory-policy": "noeviction"}
    assert redis["persistenceConfig"]["persistenceMode"] == "RDB"


def test_ckv_gcp_95_97_auth_and_tls(stack: Run) -> None:
    redis = stack.one(REDIS).inputs
    assert redis["authEnabled"] is True
    assert redis["transitEncryptionMode"] == "SERVER_AUTHENTICATION"


def test_standard_ha_in_production_only(staging: Run, production: Run) -> None:
    assert production.one(REDIS).inputs["tier"] == "STANDARD_HA"
    assert staging.one(REDIS).inputs["tier"] == "BASIC"


def test_url_is_tls_with_auth_and_the_server_ca(stack: Run) -> None:
    version = stack.one("gcp:secretmanager/secretVersion:SecretVersion",
                        "secret-redis-url-value").inputs
    url = urlsplit(secret_value(version["secretData"]))
    assert url.scheme == "rediss" and url.password == "redis-auth-from-google"
    assert (url.hostname, url.port) == (stack.exports["redis_host"], 6378)
    assert parse_qs(url.query) == {"ssl_ca_certs": [CA_PATH]}
    ca = stack.one("gcp:secretmanager/secretVersion:SecretVersion", "secret-redis-ca-value")
    assert secret_value(ca.inputs["secretData"]).startswith("-----BEGIN CERTIFICATE-----")
