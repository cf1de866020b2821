"""What pulumi-kubernetes creates: only the add-ons' namespaces; the app is k8s/'s."""

from __future__ import annotations

import yaml

from harness import Run


def test_addon_namespaces_with_pod_security_levels(stack: Run) -> None:
    namespaces = {r.inputs["metadata"]["name"]: r.inputs["metadata"]["labels"]
                  for r in stack.of_type("kubernetes:core/v1:Namespace")}
    assert set(namespaces) == {"ingress-nginx", "cert-manager", "external-secrets", "keda"}
    assert "ariaforge" not in namespaces  # k8s/base/namespace.yaml owns it
    assert namespaces["cert-manager"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert all(labels["pod-security.kubernetes.io/warn"] == "restricted"
               for labels in namespaces.values())


def test_the_provider_talks_to_the_new_cluster_with_short_lived_tokens(stack: Run) -> None:
    provider = stack.one("pulumi:providers:kubernetes").inputs
    config = yaml.safe_load(provider["kubeconfig"])
    assert config["clusters"][0]["cluster"]["server"] == "https://203.0.113.10"
    assert config["users"][0]["user"]["exec"]["command"] == "gke-gcloud-auth-plugin"
    assert config["current-context"] == stack.exports["cluster_name"]
