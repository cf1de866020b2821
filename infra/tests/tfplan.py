"""Writes what the Pulumi program declares as a Terraform plan (JSON), for checkov.

checkov cannot read a Pulumi program, but it reads `terraform show -json` plans, and
pulumi-gcp is generated from Google's Terraform provider: each resource is a Terraform
resource under another name, with the same attributes in camelCase. So the program runs
against Pulumi's mocks (harness.py), and every declared resource is written back under its
Terraform type with snake_case attributes; checkov's `terraform_plan` framework then checks
the real configuration, every GCP policy it has, not a hand-written copy of it.

    python tests/tfplan.py OUTDIR      # writes OUTDIR/staging.json, OUTDIR/production.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from harness import Declared, run, stack_config, unwrap_secrets

# Pulumi type token → Terraform resource type. A resource the program declares that is not
# here fails tests/test_checkov_plan.py, so checkov never silently misses one.
TF_TYPES = {
    "gcp:projects/service:Service": "google_project_service",
    "gcp:projects/iAMMember:IAMMember": "google_project_iam_member",
    "gcp:compute/network:Network": "google_compute_network",
    "gcp:compute/subnetwork:Subnetwork": "google_compute_subnetwork",
    "gcp:compute/firewall:Firewall": "google_compute_firewall",
    "gcp:compute/router:Router": "google_compute_router",
    "gcp:compute/routerNat:RouterNat": "google_compute_router_nat",
    "gcp:compute/globalAddress:GlobalAddress": "google_compute_global_address",
    "gcp:compute/address:Address": "google_compute_address",
    "gcp:servicenetworking/connection:Connection": "google_service_networking_connection",
    "gcp:container/cluster:Cluster": "google_container_cluster",
    "gcp:container/nodePool:NodePool": "google_container_node_pool",
    "gcp:serviceaccount/account:Account": "google_service_account",
    "gcp:serviceaccount/iAMMember:IAMMember": "google_service_account_iam_member",
    "gcp:sql/databaseInstance:DatabaseInstance": "google_sql_database_instance",
    "gcp:sql/database:Database": "google_sql_database",
    "gcp:sql/user:User": "google_sql_user",
    "gcp:redis/instance:Instance": "google_redis_instance",
    "gcp:storage/bucket:Bucket": "google_storage_bucket",
    "gcp:storage/bucketIAMMember:BucketIAMMember": "google_storage_bucket_iam_member",
    "gcp:storage/hmacKey:HmacKey": "google_storage_hmac_key",
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": "google_kms_crypto_key_iam_member",
    "gcp:dns/managedZone:ManagedZone": "google_dns_managed_zone",
    "gcp:dns/recordSet:RecordSet": "google_dns_record_set",
    "gcp:secretmanager/secret:Secret": "google_secret_manager_secret",
    "gcp:secretmanager/secretVersion:SecretVersion": "google_secret_manager_secret_version",
    "gcp:secretmanager/secretIamMember:SecretIamMember":
        "google_secret_manager_secret_iam_member",
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": "google_iam_workload_identity_pool",
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider":
        "google_iam_workload_identity_pool_provider",
    "random:index/randomPassword:RandomPassword": "random_password",
    "kubernetes:core/v1:Namespace": "kubernetes_namespace",
}
# Provider instances configure the others; they are not resources in a Terraform plan.
NOT_RESOURCES = ("pulumi:providers:",)
# Repeated blocks whose Pulumi name is the plural of the Terraform one.
RENAMES = {
    "secondary_ip_ranges": "secondary_ip_range",
    "lifecycle_rules": "lifecycle_rule",
    "weekly_maintenance_windows": "weekly_maintenance_window",
    "matches_storage_classes": "matches_storage_class",
    "denies": "deny",
    "allows": "allow",
}
_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(key: str) -> str:
    name = _UPPER.sub(r"_\1", key).lower()
    return RENAMES.get(name, name)


def terraform_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {snake(k): terraform_values(v) for k, v in value.items()
                if not k.startswith("__")}
    if isinstance(value, list):
        return [terraform_values(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)      # the mocks' wire format turns every number into a float
    return value


def _references(value: Any, ids: dict[str, str]) -> Any:
    """The `expressions` of a Terraform plan's configuration: where an input holds another
    resource's id (the mocks make ids `<name>-id`), the reference that checkov's graph
    checks follow (e.g. a firewall attached to the network)."""
    if isinstance(value, str):
        return {"references": [f"{ids[value]}.id", ids[value]]} if value in ids else None
    if isinstance(value, list):
        found = [ids[v] for v in value if isinstance(v, str) and v in ids]
        if found:
            return {"references": [ref for address in found for ref in (f"{address}.id",
                                                                        address)]}
        blocks = [_references(v, ids) for v in value if isinstance(v, dict)]
        return [b or {} for b in blocks] if any(blocks) else None
    if isinstance(value, dict):
        inner = {snake(k): ref for k, v in value.items()
                 if (ref := _references(v, ids)) is not None}
        return [inner] if inner else None
    return None


def plan(resources: list[Declared]) -> dict[str, Any]:
    planned, configured = [], []
    ids: dict[str, str] = {}
    for resource in resources:
        if resource.type.startswith(NOT_RESOURCES):
            continue
        tf_type = TF_TYPES[resource.type]
        name = re.sub(r"[^A-Za-z0-9_]", "_", resource.name)
        ids[f"{resource.name}-id"] = f"{tf_type}.{name}"
        planned.append({"address": f"{tf_type}.{name}", "mode": "managed", "type": tf_type,
                        "name": name,
                        "values": terraform_values(unwrap_secrets(resource.inputs))})
    for entry, resource in zip(planned, (r for r in resources
                                         if not r.type.startswith(NOT_RESOURCES)),
                               strict=True):
        expressions = _references(resource.inputs, ids)
        configured.append({key: entry[key] for key in ("address", "mode", "type", "name")}
                          | {"expressions": expressions[0] if expressions else {}})
    return {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": planned}},
            "configuration": {"root_module": {"resources": configured}}}


# Every optional resource switched on, so that checkov sees those too.
ALL_OPTIONS = {
    "ariaforge:kmsKeyName": "projects/keys-1/locations/europe/keyRings/af/cryptoKeys/storage",
    "ariaforge:backupProject": "ariaforge-backups-1",
    "ariaforge:githubRepository": "ariaforge/ariaforge",
    "ariaforge:masterAuthorizedNetworks": [{"cidr": "203.0.113.0/24", "name": "office"}],
}
PLANS = {
    "staging": ("staging", {}),
    "production": ("production", {}),
    "production-all-options": ("production", ALL_OPTIONS),
}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (environment, options) in PLANS.items():
        declared = run(environment, stack_config(environment, **options)).resources
        (out / f"{name}.json").write_text(json.dumps(plan(declared), indent=1))
        print(f"{out / name}.json: {len(declared)} resources")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(Path(sys.argv[1]))
