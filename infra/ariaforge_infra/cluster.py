"""A private, regional GKE cluster and its node pool.

Nodes have no public address (egress through Cloud NAT), the control plane answers only the
authorized networks, pods reach Google APIs as their own service accounts (Workload
Identity, never the node's), NetworkPolicies are enforced by Dataplane V2, and nodes run
Container-Optimized OS with Shielded VM, auto-repair and auto-upgrade. Check numbers are
checkov's for the equivalent Terraform (tests/test_cluster.py asserts each one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_gcp as gcp

from .network import PODS_RANGE, SERVICES_RANGE, Network
from .settings import Settings

# What the nodes themselves need: write logs and metrics. Nothing else: workloads get their
# permissions through Workload Identity (workload_identity.py).
NODE_ROLES = ("roles/container.defaultNodeServiceAccount",)


@dataclass(frozen=True)
class Cluster:
    cluster: gcp.container.Cluster
    node_pool: gcp.container.NodePool
    node_account: gcp.serviceaccount.Account


def _node_config(settings: Settings, account: gcp.serviceaccount.Account) -> Any:
    """The same for the cluster's (removed) default pool and for node_pool: checkov checks
    both, and GKE would otherwise fall back to the default compute service account."""
    return {
        "machine_type": settings.machine_type,
        "image_type": "COS_CONTAINERD",                   # CKV_GCP_22
        "disk_type": "pd-balanced", "disk_size_gb": 50,
        "service_account": account.email,                 # not the default compute SA
        "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],  # IAM decides
        "workload_metadata_config": {"mode": "GKE_METADATA"},  # CKV_GCP_69
        "metadata": {"disable-legacy-endpoints": "true"},      # CKV_GCP_67
        "shielded_instance_config": {"enable_secure_boot": True,          # CKV_GCP_68
                                     "enable_integrity_monitoring": True},  # CKV_GCP_72
        "labels": settings.labels,
    }


def create(settings: Settings, network: Network, opts: pulumi.ResourceOptions) -> Cluster:
    name = settings.prefix
    account = gcp.serviceaccount.Account(
        "node-account", account_id=f"{name}-nodes", display_name=f"GKE nodes ({name})",
        opts=opts)
    for role in NODE_ROLES:
        gcp.projects.IAMMember(
            f"node-account-{role.split('/')[-1]}", project=settings.project, role=role,
            member=account.email.apply(lambda email: f"serviceAccount:{email}"), opts=opts)

    cluster = gcp.container.Cluster(
        "cluster", name=name, location=settings.region,
        network=network.network.id, subnetwork=network.subnet.id,
        networking_mode="VPC_NATIVE",                                     # CKV_GCP_23
        ip_allocation_policy={"cluster_secondary_range_name": PODS_RANGE,
                              "services_secondary_range_name": SERVICES_RANGE},
        # The default pool cannot be configured as below; it is replaced by node_pool.
        remove_default_node_pool=True, initial_node_count=1,
        node_config=_node_config(settings, account),
        private_cluster_config={                                          # CKV_GCP_25
            "enable_private_nodes": True,                                 # CKV_GCP_64
            # The public endpoint stays, limited to master_authorized_networks, so that an
            # operator or the CD runner can reach the API server.
            "enable_private_endpoint": False,
            "master_ipv4_cidr_block": settings.master_cidr,
        },
        master_authorized_networks_config={                               # CKV_GCP_20
            "cidr_blocks": [{"cidr_block": cidr, "display_name": label}
                            for cidr, label in settings.master_authorized_networks],
            "gcp_public_cidrs_access_enabled": False,
        },
        # The DNS endpoint: kubectl from anywhere (the CD runners, an operator's laptop)
        # with an IAM-authorized Google token; no IP allowlist to keep up to date.
        control_plane_endpoints_config={"dns_endpoint_config": {"allow_external_traffic": True}},
        master_auth={"client_certificate_config": {"issue_client_certificate": False}},
        enable_legacy_abac=False,                                         # CKV_GCP_7
        workload_identity_config={"workload_pool": f"{settings.project}.svc.id.goog"},
        # Dataplane V2 enforces NetworkPolicy itself; the older Calico add-on stays off
        # (both together are refused). CKV_GCP_12 accepts exactly this pair.
        datapath_provider="ADVANCED_DATAPATH",
        network_policy={"enabled": False},
        # Every image is checked against the project's Binary Authorization policy
        # (CKV_GCP_66). That policy allows all images until an operator requires the CD's
        # attestation (docs/operations.md): the enforcement point exists from day one.
        binary_authorization={"evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"},
        enable_shielded_nodes=True,                                       # CKV_GCP_71
        enable_intranode_visibility=True,                                 # CKV_GCP_61
        release_channel={"channel": settings.release_channel},            # CKV_GCP_70
        logging_service="logging.googleapis.com/kubernetes",              # CKV_GCP_1
        monitoring_service="monitoring.googleapis.com/kubernetes",        # CKV_GCP_8
        resource_labels=settings.labels,                                  # CKV_GCP_21
        maintenance_policy={"daily_maintenance_window": {"start_time": "03:00"}},
        deletion_protection=settings.production,
        opts=opts)

    node_pool = gcp.container.NodePool(
        "nodes", name=f"{name}-nodes", cluster=cluster.id, location=settings.region,
        # Totals across the region's zones, so the numbers mean what they say.
        autoscaling={"total_min_node_count": settings.min_nodes,
                     "total_max_node_count": settings.max_nodes,
                     "location_policy": "BALANCED"},
        management={"auto_repair": True, "auto_upgrade": True},         # CKV_GCP_9, _10
        upgrade_settings={"max_surge": 1, "max_unavailable": 0},
        node_config=_node_config(settings, account),
        opts=opts)
    return Cluster(cluster=cluster, node_pool=node_pool, node_account=account)


def kubeconfig(cluster: gcp.container.Cluster) -> pulumi.Output[str]:
    """A kubeconfig for the Kubernetes provider: short-lived tokens from gcloud's plugin."""
    def render(args: list[str]) -> str:
        name, endpoint, ca = args
        return "\n".join([
            "apiVersion: v1", "kind: Config", f"current-context: {name}",
            "clusters:", f"- name: {name}", "  cluster:",
            f"    certificate-authority-data: {ca}", f"    server: https://{endpoint}",
            "contexts:", f"- name: {name}", "  context:", f"    cluster: {name}",
            f"    user: {name}", "users:", f"- name: {name}", "  user:", "    exec:",
            "      apiVersion: client.authentication.k8s.io/v1beta1",
            "      command: gke-gcloud-auth-plugin", "      provideClusterInfo: true", ""])

    return pulumi.Output.all(cluster.name, cluster.endpoint,
                             cluster.master_auth.cluster_ca_certificate).apply(render)
