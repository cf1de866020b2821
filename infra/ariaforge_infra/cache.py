"""Memorystore for Redis 7: the job queue, so nothing may be evicted (`noeviction`), AUTH and
TLS on, RDB snapshots, and a replica with automatic failover in production."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .network import Network
from .settings import Settings

# Where the pods find Memorystore's server CA (mounted from the `redis-ca` secret): its TLS
# certificate is signed by a per-instance CA that no system trust store holds.
CA_PATH = "/etc/ariaforge/redis-ca/ca.pem"


@dataclass(frozen=True)
class Cache:
    instance: gcp.redis.Instance
    url: pulumi.Output[str]
    ca: pulumi.Output[str]


def create(settings: Settings, network: Network, opts: pulumi.ResourceOptions) -> Cache:
    instance = gcp.redis.Instance(
        "redis", name=settings.prefix, region=settings.region,
        tier="STANDARD_HA" if settings.production else "BASIC",
        memory_size_gb=settings.redis_memory_gb, redis_version="REDIS_7_2",
        authorized_network=network.network.id, connect_mode="PRIVATE_SERVICE_ACCESS",
        auth_enabled=True, transit_encryption_mode="SERVER_AUTHENTICATION",
        # An evicting Redis silently drops queued jobs (k8s/README.md).
        redis_configs={"maxmemory-policy": "noeviction"},
        persistence_config={"persistence_mode": "RDB", "rdb_snapshot_period": "ONE_HOUR"},
        maintenance_policy={"weekly_maintenance_windows": [
            {"day": "SUNDAY", "start_time": {"hours": 3, "minutes": 0}}]},
        labels=settings.labels,
        opts=pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(depends_on=[network.private_services])))

    # redis-py passes URL query arguments to the TLS connection (ssl_ca_certs).
    url = pulumi.Output.format("rediss://:{0}@{1}:{2}/0?ssl_ca_certs={3}",
                               instance.auth_string, instance.host, instance.port, CA_PATH)
    ca = instance.server_ca_certs.apply(lambda certs: certs[0].cert or "" if certs else "")
    return Cache(instance=instance, url=pulumi.Output.secret(url), ca=ca)
