"""The app's host names on a reserved address, and who may issue their certificate.

TLS is terminated by ingress-nginx with a certificate that cert-manager obtains from Let's
Encrypt (k8s/base/ingress.yaml, k8s/base/certificate.yaml); no Google-managed certificate
is made, as those serve only Google's own HTTP(S) load balancer. ingress-nginx runs behind
a regional TCP load balancer, so the reserved address is regional (a global address would
not attach to it): the controller's Service asks for it by `loadBalancerIP`. The CAA
record lets only Let's Encrypt issue certificates for the hosts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .settings import Settings

CERTIFICATE_AUTHORITY = "letsencrypt.org"


@dataclass(frozen=True)
class Dns:
    address: gcp.compute.Address
    zone_name: pulumi.Output[str]
    name_servers: pulumi.Output[Sequence[str]]


def create(settings: Settings, opts: pulumi.ResourceOptions) -> Dns:
    address = gcp.compute.Address(
        "ingress-address", name=f"{settings.prefix}-ingress", region=settings.region,
        address_type="EXTERNAL", network_tier="PREMIUM", labels=settings.labels, opts=opts)

    if settings.dns_zone:
        # A zone made outside this stack (the parent domain's, shared by both environments).
        zone_name: pulumi.Output[str] = pulumi.Output.from_input(settings.dns_zone)
        name_servers: pulumi.Output[Sequence[str]] = pulumi.Output.from_input([])
    else:
        zone = gcp.dns.ManagedZone(
            "zone", name=settings.prefix, dns_name=f"{settings.dns_domain}.",
            description=f"AriaForge {settings.environment}", visibility="public",
            dnssec_config={                                    # CKV_GCP_16, CKV_GCP_17
                "state": "on",
                "default_key_specs": [
                    {"algorithm": "rsasha256", "key_length": 2048, "key_type": "keySigning"},
                    {"algorithm": "rsasha256", "key_length": 1024, "key_type": "zoneSigning"},
                ]},
            labels=settings.labels, opts=opts)
        zone_name, name_servers = zone.name, zone.name_servers

    for role, host in (("web", settings.web_host), ("api", settings.api_host)):
        fqdn = f"{host}."
        gcp.dns.RecordSet(f"{role}-a", managed_zone=zone_name, name=fqdn, type="A", ttl=300,
                          rrdatas=[address.address], opts=opts)
        gcp.dns.RecordSet(f"{role}-caa", managed_zone=zone_name, name=fqdn, type="CAA",
                          ttl=3600, rrdatas=[f'0 issue "{CERTIFICATE_AUTHORITY}"'], opts=opts)
    return Dns(address=address, zone_name=zone_name, name_servers=name_servers)
