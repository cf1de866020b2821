"""Who may talk to whom once the NetworkPolicies of an overlay are in force.

A small evaluator of the NetworkPolicy rules (label selectors, namespace selectors, ipBlock,
ports; the additive semantics of several policies) answers concrete questions: may the
ingress controller reach the API, may any other pod, may the migrate Job reach the internet.
Also here: /metrics stays off the public path.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from ariaforge.config import Environment, Settings
from ariaforge.main import create_app
from tests.ops.test_k8s_render import (
    APP_PORT,
    METRICS_PORT,
    OVERLAYS,
    app_containers,
    find,
    objects,
)

KUBE_SYSTEM = "kube-system"
ACME_SOLVER_PORT = 8089


@dataclass(frozen=True)
class Peer:
    """The other end of a connection: a pod (namespace + labels) or an outside address."""
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    ip: str | None = None


CONTROLLER = Peer("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
PROMETHEUS = Peer("monitoring", {"app.kubernetes.io/name": "prometheus"})
OUTSIDE = Peer(ip="10.77.0.5")  # a managed database, Redis or storage endpoint


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    assert set(selector) <= {"matchLabels", "matchExpressions"}, selector
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = set(expression.get("values", []))
        present = key in labels
        if (operator == "In" and (not present or labels[key] not in values)) or \
           (operator == "NotIn" and present and labels[key] in values) or \
           (operator == "Exists" and not present) or \
           (operator == "DoesNotExist" and present):
            return False
    return True


def _peer_matches(rule_peer: dict[str, Any], peer: Peer, own_namespace: str) -> bool:
    if "ipBlock" in rule_peer:
        if peer.ip is None:
            return False  # pod addresses are not matched by ipBlock on every CNI
        block = rule_peer["ipBlock"]
        address = ipaddress.ip_address(peer.ip)
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(cidr) for cidr in block.get("except", []))
    if peer.namespace is None:
        return False
    if "namespaceSelector" in rule_peer:
        namespace_labels = {"kubernetes.io/metadata.name": peer.namespace}
        if not _selects(rule_peer["namespaceSelector"], namespace_labels):
            return False
    elif peer.namespace != own_namespace:
        return False
    return _selects(rule_peer.get("podSelector", {}), peer.labels)


def allowed(overlay: str, direction: str, pod: dict[str, str], peer: Peer, port: int,
            protocol: str = "TCP") -> bool:
    """Whether a connection is allowed for the pod with labels `pod`, inbound ("Ingress")
    from `peer` or outbound ("Egress") to it, on `port`."""
    policies = [p for p in objects(overlay, "NetworkPolicy")
                if direction in p["spec"]["policyTypes"]
                and _selects(p["spec"]["podSelector"], pod)]
    if not policies:
        return True  # not isolated
    namespace = policies[0]["metadata"]["namespace"]
    peers_key = "from" if direction == "Ingress" else "to"
    for policy in policies:
        for rule in policy["spec"].get(direction.lower(), []):
            ports = rule.get("ports")
            if ports is not None and not any(
                    p.get("protocol", "TCP") == protocol and p.get("port") == port
                    for p in ports):
                continue
            peers = rule.get(peers_key)
            if peers is None or any(_peer_matches(r, peer, namespace) for r in peers):
                return True
    return False


def _pod(app: str) -> dict[str, str]:
    return {"app": app}


API, WORKER = _pod("ariaforge-backend"), _pod("ariaforge-worker")
MIGRATE, BACKUP = _pod("ariaforge-migrate"), _pod("ariaforge-backup")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_ingress_controller_reaches_the_api_port(overlay: str) -> None:
    own = objects(overlay, "Namespace")[0]["metadata"]["name"]
    assert allowed(overlay, "Ingress", API, CONTROLLER, APP_PORT)
    # This is what makes FORWARDED_ALLOW_IPS (the pod range) safe: every other pod, in any
    # namespace, including ours, is refused, so none can forge X-Forwarded-For.
    for intruder in (Peer("default", {"app": "anything"}),
                     Peer("ingress-nginx", {"app.kubernetes.io/name": "other"}),
                     Peer(own, WORKER), PROMETHEUS, OUTSIDE):
        assert not allowed(overlay, "Ingress", API, intruder, APP_PORT), intruder
    for target in (WORKER, MIGRATE, BACKUP):
        assert not allowed(overlay, "Ingress", target, CONTROLLER, APP_PORT), target


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_prometheus_alone_reaches_the_metrics_ports(overlay: str) -> None:
    for target in (API, WORKER):
        assert allowed(overlay, "Ingress", target, PROMETHEUS, METRICS_PORT)
        assert not allowed(overlay, "Ingress", target, CONTROLLER, METRICS_PORT)
        assert not allowed(overlay, "Ingress", target, Peer("default", {}), METRICS_PORT)
    # Only these inbound ports exist at all (8089: cert-manager's HTTP-01 solver).
    inbound = {p["port"] for policy in objects(overlay, "NetworkPolicy")
               for rule in policy["spec"].get("ingress", []) for p in rule.get("ports", [])}
    assert inbound == {APP_PORT, METRICS_PORT, ACME_SOLVER_PORT}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_acme_challenges_reach_the_solver_through_the_controller(overlay: str) -> None:
    solver = {"acme.cert-manager.io/http01-solver": "true"}
    assert allowed(overlay, "Ingress", solver, CONTROLLER, ACME_SOLVER_PORT)
    assert not allowed(overlay, "Ingress", solver, Peer("default", {}), ACME_SOLVER_PORT)
    assert not allowed(overlay, "Ingress", API, CONTROLLER, ACME_SOLVER_PORT)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_egress_is_what_each_workload_needs(overlay: str) -> None:
    needs = {  # port -> who may connect out to it
        5432: {"api", "worker", "migrate", "backup"},  # PostgreSQL
        6379: {"api", "worker"},  # Redis
        6378: {"api", "worker"},  # Memorystore with TLS
        443: {"api", "worker", "backup"},  # object storage, LLM APIs
        80: set(), 22: set(), 25: set(), 8080: set(),
    }
    pods = {"api": API, "worker": WORKER, "migrate": MIGRATE, "backup": BACKUP}
    for port, who in needs.items():
        for name, labels in pods.items():
            assert allowed(overlay, "Egress", labels, OUTSIDE, port) == (name in who), \
                (name, port)
    for labels in pods.values():
        for protocol in ("UDP", "TCP"):
            assert allowed(overlay, "Egress", labels, Peer(KUBE_SYSTEM, {}), 53, protocol)
        assert not allowed(overlay, "Egress", labels, Peer(KUBE_SYSTEM, {}), 443)


def test_default_deny_covers_every_pod_both_ways() -> None:
    for overlay in OVERLAYS:
        deny = find(overlay, "NetworkPolicy", "default-deny-all")["spec"]
        assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert not allowed(overlay, "Egress", {"app": "something-new"}, OUTSIDE, 443)
        assert not allowed(overlay, "Ingress", {"app": "something-new"}, CONTROLLER, 80)


def test_dev_reaches_its_in_cluster_dependencies() -> None:
    deps, minio = Peer("ariaforge-deps", {}), Peer("minio", {})
    assert allowed("dev", "Egress", API, deps, 5432)
    assert allowed("dev", "Egress", WORKER, minio, 9000)
    assert not allowed("staging", "Egress", WORKER, minio, 9000)


# --- /metrics is not public ------------------------------------------------------------

@pytest.mark.parametrize("overlay", OVERLAYS)
def test_metrics_port_is_in_no_service(overlay: str) -> None:
    api = app_containers(overlay)["Deployment/ariaforge-backend/backend"]
    args = api["args"]
    assert args[args.index("--metrics-port") + 1] == str(METRICS_PORT)
    ports = {port["name"]: port["containerPort"] for port in api["ports"]}
    assert ports == {"http": APP_PORT, "metrics": METRICS_PORT}
    for service in objects(overlay, "Service"):
        targets = {port["targetPort"] for port in service["spec"]["ports"]}
        assert not targets & {"metrics", METRICS_PORT}, service["metadata"]["name"]


async def test_app_port_hides_metrics_when_a_metrics_port_is_set(tmp_path: Path) -> None:
    """What the ingress reaches (the app port) answers 404 for /metrics."""
    settings = Settings(environment=Environment.TESTING, database_url="postgresql://x/y",
                        redis_url="redis://x", secret_key="k" * 40, ariaforge_home=tmp_path,
                        metrics_port=METRICS_PORT)
    transport = httpx.ASGITransport(app=create_app(settings), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://10.0.0.7:8000") as client:
        assert (await client.get("/metrics")).status_code == 404
        assert (await client.get("/health")).status_code == 200
