"""The namespaces of the cluster add-ons that k8s/ relies on, labelled with the Pod Security
level each can run under. The add-ons themselves are installed once per cluster with their
Helm charts (docs/operations.md) and the app by k8s/deploy.sh, not here: this program
stops at what must exist before them.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from .settings import Settings

# ingress-nginx binds ports 80/443 and KEDA's chart asks for more than "restricted" allows;
# the others run under the restricted profile, like the app's own namespace.
NAMESPACES = {
    "ingress-nginx": "baseline",
    "cert-manager": "restricted",
    "external-secrets": "restricted",
    "keda": "baseline",
}


def create(settings: Settings, kubeconfig: pulumi.Input[str],
           opts: pulumi.ResourceOptions) -> list[k8s.core.v1.Namespace]:
    provider = k8s.Provider("gke", kubeconfig=kubeconfig, opts=opts)
    return [
        k8s.core.v1.Namespace(
            f"namespace-{name}",
            metadata={"name": name, "labels": {
                "pod-security.kubernetes.io/enforce": level,
                "pod-security.kubernetes.io/warn": "restricted",
                "app.kubernetes.io/part-of": "ariaforge",
                "ariaforge.io/environment": settings.environment}},
            opts=pulumi.ResourceOptions(provider=provider))
        for name, level in NAMESPACES.items()
    ]
