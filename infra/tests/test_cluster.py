"""The GKE cluster's security properties, numbered as checkov's checks (CKV_GCP_*)."""

from __future__ import annotations

from harness import Run, run, stack_config

CLUSTER = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"


def test_ckv_gcp_25_64_private_nodes_behind_authorized_networks(stack: Run) -> None:
    cluster = stack.one(CLUSTER).inputs
    assert cluster["privateClusterConfig"]["enablePrivateNodes"] is True
    networks = cluster["masterAuthorizedNetworksConfig"]
    # CKV_GCP_20: on, and empty by default: no address on the internet reaches the API.
    assert networks["cidrBlocks"] == []
    assert networks["gcpPublicCidrsAccessEnabled"] is False


def test_authorized_networks_come_from_config() -> None:
    config = stack_config("staging", **{"ariaforge:masterAuthorizedNetworks":
                                        [{"cidr": "203.0.113.0/24", "name": "office"}]})
    cluster = run("staging", config).one(CLUSTER).inputs
    assert cluster["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"cidrBlock": "203.0.113.0/24", "displayName": "office"}]


def test_workload_identity_on_the_cluster_and_its_nodes(stack: Run) -> None:
    cluster = stack.one(CLUSTER).inputs
    assert cluster["workloadIdentityConfig"]["workloadPool"] == \
        f"{stack.exports['project']}.svc.id.goog"
    for config in (cluster["nodeConfig"], stack.one(POOL).inputs["nodeConfig"]):
        assert config["workloadMetadataConfig"]["mode"] == "GKE_METADATA"   # CKV_GCP_69
        assert config["metadata"]["disable-legacy-endpoints"] == "true"     # CKV_GCP_67


def test_ckv_gcp_12_network_policy_enforced_by_dataplane_v2(stack: Run) -> None:
    cluster = stack.one(CLUSTER).inputs
    assert cluster["datapathProvider"] == "ADVANCED_DATAPATH"
    assert cluster["networkPolicy"] == {"enabled": False}  # Calico off: DPv2 enforces


def test_ckv_gcp_7_13_no_legacy_abac_no_client_certificate_no_basic_auth(stack: Run) -> None:
    cluster = stack.one(CLUSTER).inputs
    assert cluster["enableLegacyAbac"] is False
    auth = cluster["masterAuth"]
    assert auth["clientCertificateConfig"]["issueClientCertificate"] is False
    assert "username" not in auth and "password" not in auth


def test_ckv_gcp_71_68_72_shielded_nodes(stack: Run) -> None:
    assert stack.one(CLUSTER).inputs["enableShieldedNodes"] is True
    shielded = stack.one(POOL).inputs["nodeConfig"]["shieldedInstanceConfig"]
    assert shielded == {"enableSecureBoot": True, "enableIntegrityMonitoring": True}


def test_ckv_gcp_70_release_channel_staging_ahead_of_production(
        staging: Run, production: Run) -> None:
    assert staging.one(CLUSTER).inputs["releaseChannel"]["channel"] == "REGULAR"
    assert production.one(CLUSTER).inputs["releaseChannel"]["channel"] == "STABLE"


def test_ckv_gcp_66_binary_authorization_enforced(stack: Run) -> None:
    assert stack.one(CLUSTER).inputs["binaryAuthorization"]["evaluationMode"] == \
        "PROJECT_SINGLETON_POLICY_ENFORCE"


def test_ckv_gcp_22_9_10_node_pool_cos_autoscaling_repair_upgrade(stack: Run) -> None:
    pool = stack.one(POOL).inputs
    assert pool["nodeConfig"]["imageType"] == "COS_CONTAINERD"
    assert pool["management"] == {"autoRepair": True, "autoUpgrade": True}
    scaling = pool["autoscaling"]
    assert 1 <= scaling["totalMinNodeCount"] <= scaling["totalMaxNodeCount"]
    assert pool["upgradeSettings"]["maxUnavailable"] == 0


def test_production_has_more_room_than_staging(staging: Run, production: Run) -> None:
    def scaling(run: Run) -> tuple[int, int]:
        autoscaling = run.one(POOL).inputs["autoscaling"]
        return autoscaling["totalMinNodeCount"], autoscaling["totalMaxNodeCount"]

    assert scaling(production)[0] >= 3 > scaling(staging)[0]
    assert scaling(production)[1] > scaling(staging)[1]


def test_nodes_run_as_their_own_least_privileged_account(stack: Run) -> None:
    account = stack.one("gcp:serviceaccount/account:Account", "node-account").inputs
    email = f"{account['accountId']}@{stack.exports['project']}.iam.gserviceaccount.com"
    assert stack.one(POOL).inputs["nodeConfig"]["serviceAccount"] == email
    grants = [r.inputs for r in stack.of_type("gcp:projects/iAMMember:IAMMember")
              if r.inputs["member"] == f"serviceAccount:{email}"]
    assert [g["role"] for g in grants] == ["roles/container.defaultNodeServiceAccount"]


def test_the_default_node_pool_is_replaced(stack: Run) -> None:
    assert stack.one(CLUSTER).inputs["removeDefaultNodePool"] is True


def test_deletion_protection_in_production_only(staging: Run, production: Run) -> None:
    assert production.one(CLUSTER).inputs["deletionProtection"] is True
    assert staging.one(CLUSTER).inputs["deletionProtection"] is False
