"""One stack's settings, read from Pulumi config and checked before any resource is declared.

The stack name is the environment (`staging` or `production`); the committed
`Pulumi.<stack>.yaml` holds the non-secret choices, and the operator adds `gcp:project`
(see docs/operations.md). A missing or malformed key stops the program with a message that
names the key and the command that sets it, before anything is created.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

import pulumi

ENVIRONMENTS = ("staging", "production")

# Sizes per environment; every one can be overridden in the stack's config.
DEFAULTS: dict[str, dict[str, Any]] = {
    "staging": {
        "subnetCidr": "10.10.0.0/20", "podsCidr": "10.12.0.0/14", "servicesCidr": "10.16.0.0/20",
        "masterCidr": "172.16.0.0/28", "machineType": "e2-standard-2", "minNodes": 1,
        "maxNodes": 3, "releaseChannel": "REGULAR", "databaseTier": "db-custom-1-3840",
        "databaseDiskGb": 20, "redisMemoryGb": 1, "backupRetentionDays": 30,
    },
    "production": {
        "subnetCidr": "10.20.0.0/20", "podsCidr": "10.24.0.0/14", "servicesCidr": "10.28.0.0/20",
        "masterCidr": "172.16.0.16/28", "machineType": "e2-standard-4", "minNodes": 3,
        "maxNodes": 12, "releaseChannel": "STABLE", "databaseTier": "db-custom-2-7680",
        "databaseDiskGb": 50, "redisMemoryGb": 5, "backupRetentionDays": 365,
    },
}

_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ConfigError(pulumi.RunError):
    """Shown by `pulumi up` as a plain message, without a Python traceback."""


def _fail(key: str, problem: str, example: str) -> ConfigError:
    return ConfigError(f"stack config {key}: {problem}; set it with "
                       f"`pulumi config set {key} {example}`")


@dataclass(frozen=True)
class Settings:
    project: str
    region: str
    environment: str
    dns_domain: str
    api_host: str
    web_host: str
    dns_zone: str | None
    subnet_cidr: str
    pods_cidr: str
    services_cidr: str
    master_cidr: str
    master_authorized_networks: tuple[tuple[str, str], ...]
    machine_type: str
    min_nodes: int
    max_nodes: int
    release_channel: str
    database_version: str
    database_instance: str
    database_tier: str
    database_disk_gb: int
    redis_memory_gb: int
    backup_location: str
    backup_retention_days: int
    kms_key_name: str | None = None
    backup_project: str | None = None
    github_repository: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def prefix(self) -> str:
        """`ariaforge-<env>`: the start of every resource name (and of the secrets' ids)."""
        return f"ariaforge-{self.environment}"


def _cidr(value: str, key: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=True))
    except ValueError:
        raise _fail(key, f"{value!r} is not a CIDR block", "10.0.0.0/20") from None


def _backup_location(region: str) -> str:
    """The multi-region around the cluster's region: backups survive the loss of that region."""
    for start, multi in (("europe-", "EU"), ("us-", "US"), ("northamerica-", "US"),
                         ("asia-", "ASIA")):
        if region.startswith(start):
            return multi
    return region.upper()


def load(stack: str | None = None) -> Settings:
    environment = stack or pulumi.get_stack()
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"stack {environment!r}: the stack name is the environment, one of "
                          f"{', '.join(ENVIRONMENTS)} (`pulumi stack init staging`)")
    gcp = pulumi.Config("gcp")
    conf = pulumi.Config("ariaforge")
    defaults = DEFAULTS[environment]

    project = gcp.get("project")
    if not project:
        raise _fail("gcp:project", "missing (the Google Cloud project id)", "my-project-id")
    if not _PROJECT.match(project):
        raise _fail("gcp:project", f"{project!r} is not a project id", "my-project-id")
    region = gcp.get("region")
    if not region:
        raise _fail("gcp:region", "missing (the region of the cluster and the database)",
                    "europe-west1")
    if not _REGION.match(region):
        raise _fail("gcp:region", f"{region!r} is not a region (a zone?)", "europe-west1")

    dns_domain = (conf.get("dnsDomain") or "").rstrip(".")
    if not _HOST.match(dns_domain):
        problem = f"{dns_domain!r} is not a DNS domain" if dns_domain else "missing"
        raise _fail("ariaforge:dnsDomain", problem, "staging.ariaforge.com")
    api_host = conf.get("apiHost") or ""
    if not _HOST.match(api_host) or not api_host.endswith("." + dns_domain):
        raise _fail("ariaforge:apiHost", f"{api_host!r} must be a host name inside "
                    f"{dns_domain}", f"api.{dns_domain}")

    # The web app's host: the ingress serves the UI there too (k8s/overlays); the domain's
    # apex unless set. Both names point at the ingress.
    web_host = conf.get("webHost") or dns_domain
    if web_host != dns_domain and not (_HOST.match(web_host)
                                       and web_host.endswith("." + dns_domain)):
        raise _fail("ariaforge:webHost", f"{web_host!r} must be {dns_domain} or a host "
                    "name inside it", f"app.{dns_domain}")

    networks: list[tuple[str, str]] = []
    for index, entry in enumerate(conf.get_object("masterAuthorizedNetworks") or []):
        if not isinstance(entry, dict) or "cidr" not in entry:
            raise _fail("ariaforge:masterAuthorizedNetworks", "a list of {cidr, name}",
                        "--path 'masterAuthorizedNetworks[0].cidr' 203.0.113.0/24")
        networks.append((_cidr(str(entry["cidr"]), "ariaforge:masterAuthorizedNetworks"),
                         str(entry.get("name") or f"network-{index}")))

    def number(key: str) -> int:
        value = conf.get_int(key)
        return int(defaults[key]) if value is None else value

    min_nodes, max_nodes = number("minNodes"), number("maxNodes")
    if not 1 <= min_nodes <= max_nodes:
        raise _fail("ariaforge:maxNodes", f"needs 1 <= minNodes ({min_nodes}) <= maxNodes",
                    str(max(min_nodes, 1)))
    kms_key_name = conf.get("kmsKeyName")
    backup_project = conf.get("backupProject")
    if backup_project and not _PROJECT.match(backup_project):
        raise _fail("ariaforge:backupProject", f"{backup_project!r} is not a project id",
                    "my-backup-project")
    repository = conf.get("githubRepository")
    if repository and not _REPOSITORY.match(repository):
        raise _fail("ariaforge:githubRepository", f"{repository!r} is not OWNER/REPOSITORY",
                    "my-org/ariaforge")
    return Settings(
        project=project, region=region, environment=environment, dns_domain=dns_domain,
        api_host=api_host, web_host=web_host, dns_zone=conf.get("dnsZone"),
        subnet_cidr=_cidr(conf.get("subnetCidr") or defaults["subnetCidr"],
                          "ariaforge:subnetCidr"),
        pods_cidr=_cidr(conf.get("podsCidr") or defaults["podsCidr"], "ariaforge:podsCidr"),
        services_cidr=_cidr(conf.get("servicesCidr") or defaults["servicesCidr"],
                            "ariaforge:servicesCidr"),
        master_cidr=_cidr(conf.get("masterCidr") or defaults["masterCidr"],
                          "ariaforge:masterCidr"),
        master_authorized_networks=tuple(networks),
        machine_type=conf.get("machineType") or defaults["machineType"],
        min_nodes=min_nodes, max_nodes=max_nodes,
        release_channel=conf.get("releaseChannel") or defaults["releaseChannel"],
        database_version=conf.get("databaseVersion") or "POSTGRES_18",
        # Cloud SQL keeps a deleted instance's name for up to a week: a rebuild after a
        # deletion needs a new one (docs/operations.md, full system recovery).
        database_instance=conf.get("databaseInstance") or f"ariaforge-{environment}",
        database_tier=conf.get("databaseTier") or defaults["databaseTier"],
        database_disk_gb=number("databaseDiskGb"), redis_memory_gb=number("redisMemoryGb"),
        backup_location=conf.get("backupLocation") or _backup_location(region),
        backup_retention_days=number("backupRetentionDays"),
        kms_key_name=kms_key_name or None,
        backup_project=backup_project or None,
        github_repository=repository or None,
        labels={"app": "ariaforge", "environment": environment, "managed-by": "pulumi"},
    )
