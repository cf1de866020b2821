"""The VPC: one subnet with secondary ranges for GKE pods and services, Cloud NAT for the
private nodes' egress, and the private services access range that Cloud SQL and Memorystore
use (neither gets a public address)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .settings import Settings

PODS_RANGE = "pods"
SERVICES_RANGE = "services"


@dataclass(frozen=True)
class Network:
    network: gcp.compute.Network
    subnet: gcp.compute.Subnetwork
    private_services: gcp.servicenetworking.Connection


def create(settings: Settings, opts: pulumi.ResourceOptions) -> Network:
    name = settings.prefix
    network = gcp.compute.Network(
        "network", name=name, auto_create_subnetworks=False, routing_mode="REGIONAL", opts=opts)
    subnet = gcp.compute.Subnetwork(
        "subnet", name=name, region=settings.region, network=network.id,
        ip_cidr_range=settings.subnet_cidr,
        # Private nodes reach Google APIs (Artifact Registry, Secret Manager, Storage)
        # without a public address (CKV_GCP_74).
        private_ip_google_access=True,
        secondary_ip_ranges=[
            {"range_name": PODS_RANGE, "ip_cidr_range": settings.pods_cidr},
            {"range_name": SERVICES_RANGE, "ip_cidr_range": settings.services_cidr},
        ],
        # VPC flow logs (CKV_GCP_26), sampled: enough to investigate, cheap to keep.
        log_config={"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5,
                    "metadata": "INCLUDE_ALL_METADATA"},
        opts=opts)

    # What a custom VPC does implicitly, said and logged: nothing reaches the nodes unless
    # a rule of higher priority allows it (GKE adds those for its control plane and load
    # balancers' health checks).
    gcp.compute.Firewall(
        "deny-all-ingress", name=f"{name}-deny-all-ingress", network=network.id,
        direction="INGRESS", priority=65534, source_ranges=["0.0.0.0/0"],
        denies=[{"protocol": "all"}], log_config={"metadata": "INCLUDE_ALL_METADATA"},
        opts=opts)

    router = gcp.compute.Router("router", name=name, region=settings.region,
                                network=network.id, opts=opts)
    gcp.compute.RouterNat(
        "nat", name=name, router=router.name, region=settings.region,
        nat_ip_allocate_option="AUTO_ONLY",
        source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
        log_config={"enable": True, "filter": "ERRORS_ONLY"}, opts=opts)

    # Cloud SQL and Memorystore live in Google's VPC, peered to ours through this range.
    peering_range = gcp.compute.GlobalAddress(
        "private-services-range", name=f"{name}-private-services", purpose="VPC_PEERING",
        address_type="INTERNAL", prefix_length=20, network=network.id, opts=opts)
    private_services = gcp.servicenetworking.Connection(
        "private-services", network=network.id, service="servicenetworking.googleapis.com",
        reserved_peering_ranges=[peering_range.name], opts=opts)
    return Network(network=network, subnet=subnet, private_services=private_services)
