"""The Google APIs a fresh project must have enabled before anything else is created."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from .settings import Settings

SERVICES = (
    "compute.googleapis.com", "container.googleapis.com", "sqladmin.googleapis.com",
    "redis.googleapis.com", "servicenetworking.googleapis.com", "dns.googleapis.com",
    "secretmanager.googleapis.com", "iam.googleapis.com", "iamcredentials.googleapis.com",
    "storage.googleapis.com", "binaryauthorization.googleapis.com", "sts.googleapis.com",
)


def enable(settings: Settings) -> list[gcp.projects.Service]:
    # disable_on_destroy=False: destroying one stack must not switch an API off under the
    # other stack when both environments share a project.
    return [gcp.projects.Service(
        f"api-{service.split('.')[0]}", project=settings.project, service=service,
        disable_on_destroy=False) for service in SERVICES]


def after(services: list[gcp.projects.Service]) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(depends_on=list(services))
