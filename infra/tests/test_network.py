"""The VPC: pod and service ranges for a VPC-native cluster, egress through Cloud NAT,
Google APIs without public addresses, and the private services range for Cloud SQL and
Memorystore. CKV_* numbers are checkov's checks for the same properties."""

from __future__ import annotations

from harness import Run


def test_subnet_has_the_secondary_ranges_the_cluster_uses(stack: Run) -> None:
    subnet = stack.one("gcp:compute/subnetwork:Subnetwork").inputs
    ranges = {r["rangeName"]: r["ipCidrRange"] for r in subnet["secondaryIpRanges"]}
    cluster = stack.one("gcp:container/cluster:Cluster").inputs["ipAllocationPolicy"]
    assert set(ranges) == {cluster["clusterSecondaryRangeName"],
                           cluster["servicesSecondaryRangeName"]}
    assert subnet["ipCidrRange"] not in ranges.values()


def test_ckv_gcp_74_and_26_private_google_access_and_flow_logs(stack: Run) -> None:
    subnet = stack.one("gcp:compute/subnetwork:Subnetwork").inputs
    assert subnet["privateIpGoogleAccess"] is True
    assert subnet["logConfig"]["flowSampling"] > 0


def test_custom_network_without_default_subnets(stack: Run) -> None:
    assert stack.one("gcp:compute/network:Network").inputs["autoCreateSubnetworks"] is False


def test_cloud_nat_covers_pods_and_nodes(stack: Run) -> None:
    nat = stack.one("gcp:compute/routerNat:RouterNat").inputs
    assert nat["sourceSubnetworkIpRangesToNat"] == "ALL_SUBNETWORKS_ALL_IP_RANGES"
    assert nat["natIpAllocateOption"] == "AUTO_ONLY"


def test_ckv2_gcp_18_ingress_is_denied_unless_allowed(stack: Run) -> None:
    rule = stack.one("gcp:compute/firewall:Firewall").inputs
    assert (rule["direction"], rule["denies"], rule["sourceRanges"]) == (
        "INGRESS", [{"protocol": "all"}], ["0.0.0.0/0"])
    assert rule["network"] == "network-id"
    assert "allows" not in rule


def test_sql_and_redis_are_reached_through_private_services_access(stack: Run) -> None:
    peering = stack.one("gcp:compute/globalAddress:GlobalAddress").inputs
    assert (peering["purpose"], peering["addressType"]) == ("VPC_PEERING", "INTERNAL")
    connection = stack.one("gcp:servicenetworking/connection:Connection").inputs
    assert connection["reservedPeeringRanges"] == [peering["name"]]
    redis = stack.one("gcp:redis/instance:Instance").inputs
    assert redis["connectMode"] == "PRIVATE_SERVICE_ACCESS"


def test_environments_do_not_overlap(staging: Run, production: Run) -> None:
    import ipaddress

    def ranges(run: Run) -> list[ipaddress.IPv4Network]:
        subnet = run.one("gcp:compute/subnetwork:Subnetwork").inputs
        master = run.one("gcp:container/cluster:Cluster").inputs["privateClusterConfig"]
        return [ipaddress.IPv4Network(c) for c in [subnet["ipCidrRange"], master[
            "masterIpv4CidrBlock"]] + [r["ipCidrRange"] for r in subnet["secondaryIpRanges"]]]

    every = ranges(staging) + ranges(production)
    for i, one in enumerate(every):
        for other in every[i + 1:]:
            assert not one.overlaps(other), (one, other)


def test_the_apis_a_fresh_project_needs_are_enabled_and_never_disabled(stack: Run) -> None:
    services = {r.inputs["service"]: r.inputs for r in stack.of_type(
        "gcp:projects/service:Service")}
    for api in ("container", "sqladmin", "redis", "servicenetworking", "secretmanager", "dns"):
        assert f"{api}.googleapis.com" in services
    assert all(s["disableOnDestroy"] is False for s in services.values())
