"""Host names on the ingress's reserved address, and certificates from cert-manager (Let's
Encrypt) rather than Google-managed ones. CKV_GCP_16/17 are checkov's numbers."""

from __future__ import annotations

from typing import Any

from harness import Run, run, stack_config

RECORD = "gcp:dns/recordSet:RecordSet"


def records(run: Run) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.inputs["name"], r.inputs["type"]): r.inputs for r in run.of_type(RECORD)}


def test_web_and_api_hosts_point_at_the_ingress_address(stack: Run) -> None:
    address = stack.one("gcp:compute/address:Address").inputs
    # Regional: ingress-nginx's Service is a regional TCP load balancer.
    assert (address["addressType"], address["region"]) == ("EXTERNAL", "europe-west1")
    found = records(stack)
    for host in (stack.exports["web_host"], stack.exports["api_host"]):
        assert found[(f"{host}.", "A")]["rrdatas"] == [stack.exports["ingress_ip"]]


def test_only_lets_encrypt_may_issue_certificates(stack: Run) -> None:
    found = records(stack)
    for host in (stack.exports["web_host"], stack.exports["api_host"]):
        assert found[(f"{host}.", "CAA")]["rrdatas"] == ['0 issue "letsencrypt.org"']
    # cert-manager issues them inside the cluster: no Google-managed certificate exists.
    assert not [r for r in stack.resources if "ertificate" in r.type]
    assert "cert-manager" in {r.inputs["metadata"]["name"]
                              for r in stack.of_type("kubernetes:core/v1:Namespace")}


def test_ckv_gcp_16_17_the_zone_is_signed_with_rsasha256(stack: Run) -> None:
    zone = stack.one("gcp:dns/managedZone:ManagedZone").inputs
    assert zone["dnsName"] == f"{stack.exports['web_host']}."
    assert zone["dnssecConfig"]["state"] == "on"
    assert {k["algorithm"] for k in zone["dnssecConfig"]["defaultKeySpecs"]} == {"rsasha256"}
    assert stack.exports["dns_name_servers"]  # for the delegation at the registrar


def test_an_existing_zone_is_used_as_is() -> None:
    declared = run("staging", stack_config("staging", **{"ariaforge:dnsZone": "ariaforge-com"}))
    assert declared.of_type("gcp:dns/managedZone:ManagedZone") == []
    assert {r.inputs["managedZone"] for r in declared.of_type(RECORD)} == {"ariaforge-com"}


def test_staging_hosts_live_under_the_staging_domain(staging: Run) -> None:
    assert staging.exports["web_host"] == "staging.ariaforge.com"
    assert staging.exports["api_host"] == "api.staging.ariaforge.com"
