"""The Terraform plan that infra/checkov.sh hands to checkov (tfplan.py) carries every
resource the program declares, with the attributes checkov's GCP policies read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import INFRA, Run, run, stack_config
from tfplan import ALL_OPTIONS, TF_TYPES, plan


def planned(declared: Run) -> dict[str, dict[str, Any]]:
    resources = plan(declared.resources)["planned_values"]["root_module"]["resources"]
    return {r["address"]: r["values"] for r in resources}


@pytest.mark.parametrize("variant", [{}, {"ariaforge:dnsZone": "ariaforge-com"}, ALL_OPTIONS])
def test_every_declared_resource_has_a_terraform_type(variant: dict[str, Any]) -> None:
    declared = run("production", stack_config("production", **variant))
    unknown = {r.type for r in declared.resources
               if r.type not in TF_TYPES and not r.type.startswith("pulumi:providers:")}
    assert unknown == set()
    assert len(planned(declared)) == len(declared.resources) - 1  # less the k8s provider


def test_attributes_are_terraforms(production: Run) -> None:
    values = planned(production)
    sql = values["google_sql_database_instance.database"]["settings"]
    assert sql["ip_configuration"]["ipv4_enabled"] is False
    assert sql["backup_configuration"]["transaction_log_retention_days"] == 7
    subnet = values["google_compute_subnetwork.subnet"]
    assert [r["range_name"] for r in subnet["secondary_ip_range"]] == ["pods", "services"]
    assert values["google_redis_instance.redis"]["redis_configs"] == {
        "maxmemory-policy": "noeviction"}


def test_secrets_are_plain_values_in_the_plan(production: Run) -> None:
    text = json.dumps(plan(production.resources))
    assert "4dabf18193072939515e22adb298388d" not in text
    assert "sslmode=require" in text


def test_references_let_graph_checks_follow_attachments(production: Run) -> None:
    configured = plan(production.resources)["configuration"]["root_module"]["resources"]
    firewall = next(r for r in configured if r["type"] == "google_compute_firewall")
    assert "google_compute_network.network" in firewall["expressions"]["network"]["references"]


def test_every_skipped_check_gives_its_reason() -> None:
    lines = (INFRA / "checkov.yml").read_text().splitlines()
    skips = [i for i, line in enumerate(lines) if line.strip().startswith("- CKV")]
    assert skips
    for i in skips:
        assert lines[i - 1].strip().startswith("#"), lines[i]
