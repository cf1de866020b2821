"""The whole stack: what `pulumi up` creates for one environment, and what it exports for
k8s/ (the names the manifests and deploy script read with `pulumi stack output`)."""

from __future__ import annotations

from typing import Any

import pulumi

from . import (
    addons,
    apis,
    cache,
    cluster,
    database,
    deployer,
    dns,
    network,
    secrets,
    storage,
    workload_identity,
)
from .settings import Settings, load


def build(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or load()
    opts = apis.after(apis.enable(settings))

    net = network.create(settings, opts)
    gke = cluster.create(settings, net, opts)
    db = database.create(settings, net, opts)
    redis = cache.create(settings, net, opts)
    buckets = storage.create(settings, opts)
    identities = workload_identity.create(settings, buckets, gke.cluster, opts)
    stored = secrets.create(settings, db, redis, identities, opts)
    names = dns.create(settings, opts)
    deploy = deployer.create(settings, opts)
    addons.create(settings, cluster.kubeconfig(gke.cluster),
                  pulumi.ResourceOptions(depends_on=[gke.node_pool]))

    exports: dict[str, Any] = {
        "environment": settings.environment,
        "project": settings.project,
        "region": settings.region,
        "cluster_name": gke.cluster.name,
        "cluster_location": gke.cluster.location,
        "database_connection_name": db.instance.connection_name,
        "database_private_ip": db.instance.private_ip_address,
        "redis_host": redis.instance.host,
        "redis_ca_path": cache.CA_PATH,
        "storage_bucket": buckets.bucket.name,
        "storage_url": buckets.bucket.name.apply(lambda name: f"gs://{name}"),
        "backup_bucket": buckets.backup_bucket.name,
        "backup_url": buckets.backup_bucket.name.apply(lambda name: f"gs://{name}"),
        "ingress_ip": names.address.address,
        "api_host": settings.api_host,
        "web_host": settings.web_host,
        "dns_zone": names.zone_name,
        "dns_name_servers": names.name_servers,
        "secret_names": {name: secret.secret_id for name, secret in stored.items()},
        "workload_identity": {
            ksa: identities.accounts[role].email
            for ksa, role in workload_identity.BINDINGS.items()},
    }
    if deploy:
        # The CD workflow's variables GCP_WORKLOAD_IDENTITY_PROVIDER, GCP_DEPLOY_SERVICE_ACCOUNT.
        exports["deploy_workload_identity_provider"] = deploy.provider.name
        exports["deploy_service_account"] = deploy.account.email
    for key, value in exports.items():
        pulumi.export(key, value)
    return exports
