"""The deployment files agree with the code they deploy.

Dockerfile, docker-compose.yml, monitoring/, nginx/ and the CI workflow are parsed (k8s/ in
tests/ops/test_k8s_*.py, as kustomize builds it),
never run (no Docker engine or cluster is needed), and checked against what the code really
has: Settings fields, routes, CLI commands and flags, Prometheus metrics and their labels.
A renamed setting, route, flag or metric then fails here instead of in a rollout.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from prometheus_client.metrics import MetricWrapperBase

from ariaforge import __version__
from ariaforge.config import Settings
from ariaforge.core import metrics as metrics_module

REPO = Path(__file__).resolve().parents[3]
BACKEND = REPO / "backend"
DOCKERFILE = BACKEND / "Dockerfile"
COMPOSE = REPO / "docker-compose.yml"
PROMETHEUS = REPO / "monitoring" / "prometheus.yml"
DASHBOARD = REPO / "monitoring" / "dashboards" / "ariaforge-overview.json"
NGINX = REPO / "nginx" / "nginx.conf"


def nginx_text() -> str:
    """nginx.conf and the files it includes (nginx/ariaforge/*.conf: the proxying)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in
                     [NGINX, *sorted((NGINX.parent / "ariaforge").glob("*.conf"))])
CI_WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
YAML_FILES = [COMPOSE, PROMETHEUS, CI_WORKFLOW]

APP_IMAGE = "ariaforge/backend"
APP_PORT = 8000
# Environment variables the app's processes read that are not Settings fields.
EXTRA_APP_ENV = frozenset({
    "PROMETHEUS_MULTIPROC_DIR",  # prometheus_client's multiprocess mode (core/metrics.py)
    "FORWARDED_ALLOW_IPS",  # uvicorn: whose X-Forwarded-For to trust
    # boto3's credential chain, for S3-compatible and GCS storage (core/storage.py)
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION",
})
# Labels that Prometheus itself (and our relabelling) adds to every scraped series.
SCRAPE_LABELS = frozenset({"job", "instance", "namespace", "pod"})

# Registry host names, spelled as label tuples so that this file does not contain them.
REGISTRY_HOSTS = tuple(".".join(labels) for labels in (
    ("pypi", "org"),
    ("pypi", "python", "org"),
    ("files", "pythonhosted", "org"),
    ("test", "pypi", "org"),
    ("registry", "npmjs", "org"),
    ("registry", "yarnpkg", "com"),
    ("deb", "debian", "org"),
    ("security", "debian", "org"),
    ("archive", "ubuntu", "com"),
    ("dl-cdn", "alpinelinux", "org"),
    ("registry-1", "docker", "io"),
    ("index", "docker", "io"),
    ("proxy", "golang", "org"),
    ("static", "crates", "io"),
    ("index", "crates", "io"),
    ("rubygems", "org"),
    ("repo1", "maven", "org"),
    ("repo", "maven", "apache", "org"),
    ("api", "nuget", "org"),
))
SKIPPED_DIRS = frozenset({
    ".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", ".next", "out", "build", "dist", ".data",
})

PROMQL_KEYWORDS = frozenset({
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    "and", "or", "unless", "inf", "nan",
})


# --- loading -----------------------------------------------------------------------------

def _yaml_documents(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return [doc for doc in yaml.safe_load_all(stream) if doc is not None]


def _compose() -> dict[str, Any]:
    (document,) = _yaml_documents(COMPOSE)
    return dict(document)


def _compose_app_services() -> dict[str, dict[str, Any]]:
    return {name: service for name, service in _compose()["services"].items()
            if str(service.get("image", "")).startswith(f"{APP_IMAGE}:")}


def _compose_env_names(service: dict[str, Any]) -> set[str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):  # the `- NAME=value` form
        return {item.split("=", 1)[0] for item in environment}
    return set(environment)


def _dockerfile_stages() -> list[list[str]]:
    """Instructions of each stage, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    stages: list[list[str]] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def _dockerfile_instruction(name: str) -> list[str]:
    """Arguments of every `name` instruction in the final stage."""
    prefix = name.upper() + " "
    return [line[len(prefix):].strip() for line in _dockerfile_stages()[-1]
            if line.upper().startswith(prefix)]


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in _dockerfile_instruction("ENV"):
        for key, value in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", arguments):
            env[key] = value
    return env


def _dockerfile_cmd() -> list[str]:
    (cmd,) = _dockerfile_instruction("CMD")
    argv = json.loads(cmd)  # exec form: no shell between the signal and the app
    assert isinstance(argv, list)
    return [str(arg) for arg in argv]


# --- what the code has -----------------------------------------------------------------

def _settings_env_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def _metric_samples() -> dict[str, set[str]]:
    """Every sample name the metrics module can expose, with the labels it carries."""
    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("", "_sum", "_count", "_created"),
        "info": ("_info",),
        "enum": ("",),
    }
    samples: dict[str, set[str]] = {}
    for metric in vars(metrics_module).values():
        if not isinstance(metric, MetricWrapperBase):
            continue
        labels = set(getattr(metric, "_labelnames", ()))
        for family in metric.describe():
            for suffix in suffixes[family.type]:
                extra = {"le"} if suffix == "_bucket" else set()
                samples[family.name + suffix] = labels | extra
    return samples


@cache
def _cli_help(*command: str) -> subprocess.CompletedProcess[str]:
    # Wide and plain, so rich neither wraps option names nor colours them.
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "ariaforge", *command, "--help"],
                          cwd=BACKEND, env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def _check_cli_argv(argv: list[str], where: str) -> None:
    assert argv[:1] == ["ariaforge"], f"{where}: runs {argv}, not the ariaforge command"
    assert len(argv) >= 2, f"{where}: no ariaforge subcommand"
    subcommand = argv[1]
    result = _cli_help(subcommand)
    assert result.returncode == 0, f"{where}: `ariaforge {subcommand}` is not a command"
    known_flags = set(re.findall(r"--[a-z][a-z0-9-]*", result.stdout))
    used_flags = {arg.split("=", 1)[0] for arg in argv[2:] if arg.startswith("--")}
    assert used_flags <= known_flags, (
        f"{where}: unknown flags {sorted(used_flags - known_flags)} for ariaforge {subcommand}")


def _argv_value(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


# --- every file parses ---------------------------------------------------------------------

@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_yaml_file_parses(path: Path) -> None:
    assert _yaml_documents(path), f"{path} holds no document"


def test_dashboard_json_parses() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["panels"], "the dashboard has no panels"


# --- settings --------------------------------------------------------------------------

def test_compose_app_env_names_are_settings() -> None:
    allowed = _settings_env_names() | EXTRA_APP_ENV
    services = _compose_app_services()
    assert {"api", "worker", "migrate"} <= set(services)
    for name, service in services.items():
        unknown = _compose_env_names(service) - allowed
        assert not unknown, f"compose service {name}: {sorted(unknown)} are not settings"


def test_production_settings_are_complete() -> None:
    """What the app refuses to start without in production is provided everywhere."""
    required = {"ENVIRONMENT", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
    for name, service in _compose_app_services().items():
        assert required | {"STORAGE_URL"} <= _compose_env_names(service), (
            f"compose service {name}")


def test_compose_requires_a_secret_key() -> None:
    env = _compose()["x-app"]["environment"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?.+\}", env["SECRET_KEY"]), env["SECRET_KEY"]


def _minio_init_script() -> str:
    service = _compose()["services"]["minio-init"]
    return "\n".join(str(part) for part in [*service.get("entrypoint", []),
                                            *service.get("command", [])])


def _bucket(url: str) -> str:
    match = re.fullmatch(r"s3://([a-z0-9][a-z0-9.-]+)(/.*)?", url)
    assert match, f"{url} is not s3://bucket/prefix"
    return match.group(1)


def test_compose_app_services_share_minio_storage() -> None:
    """One STORAGE_URL for every api and worker container: an export written by any worker
    downloads through any api (with a folder per container, downloads answered 404)."""
    services = _compose()["services"]
    assert re.fullmatch(r"minio/minio:RELEASE\.[0-9T-]+Z", services["minio"]["image"])
    script = _minio_init_script()
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"
    for name, service in _compose_app_services().items():
        env = service["environment"]
        Settings(storage_url=env["STORAGE_URL"])  # a form the app accepts
        assert f"root/{_bucket(env['STORAGE_URL'])}" in script, name
        assert env["STORAGE_ENDPOINT_URL"] == "http://minio:9000", name
        # Signed URLs would name minio:9000, which browsers cannot reach.
        assert str(env["STORAGE_SIGNED_URLS"]).lower() == "false", name
        for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            assert re.fullmatch(r"\$\{\w+:\?.+\}", env[variable]), f"{name}: {variable}"
        if name in {"api", "worker", "migrate"}:
            assert name == "migrate" or service["depends_on"]["minio-init"]["condition"] == (
                "service_completed_successfully"), name
    # The app's MinIO user is not the administrator.
    env = services["api"]["environment"]
    assert env["AWS_ACCESS_KEY_ID"] != services["minio"]["environment"]["MINIO_ROOT_USER"]
    assert "STORAGE_ACCESS_KEY" in script and "mc admin user add" in script


def test_compose_trusts_forwarded_headers_from_nginx_only() -> None:
    compose = _compose()
    (pool,) = compose["networks"]["default"]["ipam"]["config"]
    subnet, dynamic = ipaddress.IPv4Network(pool["subnet"]), ipaddress.IPv4Network(
        pool["ip_range"])
    nginx = ipaddress.IPv4Address(
        compose["services"]["nginx"]["networks"]["default"]["ipv4_address"])
    # A fixed address inside the subnet, outside the range other containers draw from.
    assert nginx in subnet and nginx not in dynamic and dynamic.subnet_of(subnet)
    for name, service in _compose_app_services().items():
        trusted = str(service["environment"]["FORWARDED_ALLOW_IPS"]).split(",")
        networks = [ipaddress.ip_network(item.strip()) for item in trusted]  # no "*"
        assert any(nginx in network for network in networks), name
        assert all(network.num_addresses == 1 for network in networks), name
    # nginx still waits for the api (it re-resolves the name, but needs one to start).
    assert compose["services"]["nginx"]["depends_on"]["api"]["condition"] == "service_healthy"


def test_compose_backup_goes_to_a_second_bucket() -> None:
    services = _compose()["services"]
    backup = services["backup"]
    assert backup["profiles"] == ["backup"]  # not started by a plain `up`
    assert backup["command"] == ["ariaforge", "backup"]
    env = backup["environment"]
    target = re.fullmatch(r"\$\{BACKUP_URL:-(.+)\}", env["BACKUP_URL"])
    assert target, env["BACKUP_URL"]
    assert _bucket(target.group(1)) != _bucket(env["STORAGE_URL"])
    assert f"root/{_bucket(target.group(1))}" in _minio_init_script()
    assert {"DATABASE_URL", "STORAGE_URL", "STORAGE_ENDPOINT_URL",
            "BACKUP_ENCRYPTION_KEY", "BACKUP_ENDPOINT_URL"} <= set(env)
    assert backup["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"


def test_ariaforge_home_is_writable_in_every_app_container() -> None:
    home = _dockerfile_env()["ARIAFORGE_HOME"]
    assert home.startswith("/")
    # PROMETHEUS_MULTIPROC_DIR unset: the CLI then uses $ARIAFORGE_HOME/run/prometheus and
    # wipes it at start, which a fixed value would prevent.
    assert "PROMETHEUS_MULTIPROC_DIR" not in _dockerfile_env()


# --- routes and probes ---------------------------------------------------------------------

def test_dockerfile_healthcheck_calls_health_with_python() -> None:
    (healthcheck,) = _dockerfile_instruction("HEALTHCHECK")
    assert f"http://127.0.0.1:{APP_PORT}/health" in healthcheck
    assert '"python"' in healthcheck and "curl" not in healthcheck


def test_services_without_http_turn_the_image_healthcheck_off() -> None:
    """The image's HEALTHCHECK calls /health on the app port; a migration or backup would
    never pass it, and the worker checks its own job loop on its metrics port instead."""
    for name, service in _compose_app_services().items():
        command = service.get("command")
        if command is None:
            continue  # the image's CMD: the API
        if command[:2] == ["ariaforge", "worker"]:
            port = command[command.index("--metrics-port") + 1]
            assert f"127.0.0.1:{port}/healthz" in " ".join(service["healthcheck"]["test"])
        elif command[:2] != ["ariaforge", "api"]:
            assert service.get("healthcheck", {}).get("disable") is True, name


async def test_monitoring_and_nginx_paths_are_routes(deployed_app: FastAPI,
                                                     http: httpx.AsyncClient) -> None:
    (config,) = _yaml_documents(PROMETHEUS)
    for job in config["scrape_configs"]:
        response = await http.get(job["metrics_path"])
        assert response.status_code == 200, job["job_name"]
        # The Prometheus text format (its samples depend on what this process has counted).
        assert response.headers["content-type"].startswith("text/plain"), job["job_name"]
    # nginx gives /api/v1/ the WebSocket treatment: the API really lives there.
    assert "location /api/v1/" in nginx_text()
    assert any(path.startswith("/api/v1/") for path in deployed_app.openapi()["paths"])


# --- the command line ----------------------------------------------------------------------

def test_dockerfile_cmd_is_a_real_cli_invocation() -> None:
    argv = _dockerfile_cmd()
    _check_cli_argv(argv, "Dockerfile CMD")
    assert argv[1] == "api"
    assert "--no-migrate" in argv, "migrations belong to the one-shot migrate job"
    # Inside a container the API must listen beyond loopback.
    assert _argv_value(argv, "--host") == "0.0.0.0"  # noqa: S104
    assert int(_argv_value(argv, "--port")) == APP_PORT
    assert _dockerfile_instruction("EXPOSE") == [str(APP_PORT)]


def test_compose_commands_are_real_cli_invocations() -> None:
    invocations: dict[str, list[str]] = {}
    for name, service in _compose_app_services().items():
        # A service without a command runs the image's CMD (the API).
        invocations[f"compose {name}"] = list(service.get("command") or _dockerfile_cmd())
    used = {argv[1] for argv in invocations.values() if len(argv) > 1}
    assert {"api", "worker", "migrate"} <= used
    for where, argv in invocations.items():
        _check_cli_argv(argv, where)
        if argv[1] == "api":
            assert int(_argv_value(argv, "--port")) == APP_PORT, where


# --- metrics ---------------------------------------------------------------------------

def _strip_promql(expr: str) -> tuple[str, set[str], set[str]]:
    """The expression without strings, matchers, ranges and groupings, plus the label names
    used in matchers and in the grouping clauses."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    matcher_labels = {label for block in re.findall(r"\{([^}]*)\}", expr)
                      for label in re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", block)}
    expr = re.sub(r"\{[^}]*\}", " ", expr)
    expr = re.sub(r"\[[^\]]*\]", " ", expr)
    grouping = re.compile(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)")
    group_labels = {label.strip() for block in grouping.findall(expr)
                    for label in block.split(",") if label.strip()}
    return grouping.sub(" ", expr), matcher_labels, group_labels


def _promql_metrics(expr: str) -> set[str]:
    stripped, _, _ = _strip_promql(expr)
    names = set()
    # Not after a digit or a dot: `1d` in `offset 1d` and `0.95` are no metric names.
    for match in re.finditer(r"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*", stripped):
        after = stripped[match.end():].lstrip()
        if after.startswith("("):
            continue  # a function or an aggregation
        if match.group().lower() in PROMQL_KEYWORDS:
            continue
        names.add(match.group())
    return names


def _dashboard_targets() -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "expr" in node:
                targets.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(DASHBOARD.read_text(encoding="utf-8")))
    return targets


def test_promql_parsing_finds_metrics_and_labels() -> None:
    """The checks below are only as good as this small PromQL reader."""
    expr = ('sum by (method, endpoint) (rate(http_requests_total{status=~"5.."}[5m])) '
            "/ ignoring(status) sum(rate(http_request_duration_seconds_count[1h] offset 1d))")
    assert _promql_metrics(expr) == {"http_requests_total", "http_request_duration_seconds_count"}
    _, matchers, groups = _strip_promql(expr)
    assert matchers == {"status"}
    assert groups == {"method", "endpoint", "status"}


def test_dashboard_metrics_and_labels_exist() -> None:
    samples = _metric_samples()
    targets = _dashboard_targets()
    used: set[str] = set()
    for target in targets:
        expr = target["expr"]
        names = _promql_metrics(expr)
        assert names, f"no metric in {expr!r}"
        unknown = names - set(samples)
        assert not unknown, f"{sorted(unknown)} are not in ariaforge.core.metrics ({expr!r})"
        used |= names
        labels = set().union(*(samples[name] for name in names)) | SCRAPE_LABELS
        _, matcher_labels, group_labels = _strip_promql(expr)
        assert matcher_labels | group_labels <= labels, expr
        legend = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
        # After `sum by (...)` only the grouping labels are left to name a series.
        assert legend <= (group_labels or labels), f"legend {legend} for {expr!r}"
    # The series the seed's dashboard was about are all there.
    assert {"http_request_duration_seconds_sum", "http_request_duration_seconds_count",
            "http_requests_total", "websocket_connections_active",
            "audio_processing_queue_size"} <= used


def test_prometheus_scrapes_the_api_and_worker_pods() -> None:
    (config,) = _yaml_documents(PROMETHEUS)
    samples = _metric_samples()
    for job in config["scrape_configs"]:
        for rule in job.get("metric_relabel_configs", []):
            if rule.get("source_labels") == ["__name__"]:
                names = set(str(rule["regex"]).strip("()").split("|"))
                assert names <= set(samples), f"{job['job_name']}: {names - set(samples)}"
        # The seed's jobs on 5432/6379 scraped database protocols over HTTP.
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                assert not target.endswith((":5432", ":6379")), target
    # Which pods and ports it keeps is checked against the built overlays in
    # tests/ops/test_k8s_workloads.py.


# --- security --------------------------------------------------------------------------

def test_image_runs_as_a_numeric_non_root_user() -> None:
    users = _dockerfile_instruction("USER")
    assert users, "the final stage has no USER"
    arg_defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)$", "\n".join(_dockerfile_stages()[-1]),
                                   re.MULTILINE))
    user = re.sub(r"\$\{(\w+)\}", lambda m: arg_defaults.get(m.group(1), m.group()), users[-1])
    uid = user.split(":", 1)[0]
    # Kubernetes can only verify runAsNonRoot for a numeric user.
    assert uid.isdigit() and int(uid) != 0, user


def test_compose_app_services_do_not_run_as_root() -> None:
    for name, service in _compose_app_services().items():
        assert str(service.get("user", "")).split(":")[0] not in {"root", "0"}, name


def test_nginx_tls_block_drops_what_the_seed_got_wrong() -> None:
    conf = nginx_text()
    directives = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert "ssl_stapling" not in directives  # needs a CA certificate and a resolver
    assert "x-xss-protection" not in directives.lower()  # deprecated (ADR 0003)
    assert re.search(rf"upstream\s+\w+\s*\{{[^}}]*server\s+api:{APP_PORT}\b", directives)
    api_block = directives[directives.index("location /api/v1/"):]
    assert "proxy_set_header Upgrade $http_upgrade;" in api_block
    assert "proxy_set_header Connection $connection_upgrade;" in api_block
    (size,) = re.findall(r"client_max_body_size\s+(\d+)([kmg]?);", directives, re.IGNORECASE)
    factor = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[size[1].lower()]
    # nginx must not refuse a body that the app would accept.
    assert int(size[0]) * factor >= Settings.model_fields["max_request_bytes"].default


# --- images ----------------------------------------------------------------------------

def _image_tag(image: str) -> str | None:
    if "@sha256:" in image:
        return "digest"
    last = image.rsplit("/", 1)[-1]  # a registry host may carry a port: host:5000/name
    return last.split(":", 1)[1] if ":" in last else None


def _all_images() -> dict[str, str]:
    images = {f"compose {name}": str(service["image"])
              for name, service in _compose()["services"].items() if "image" in service}
    arg_defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE))
    for number, stage in enumerate(_dockerfile_stages()):
        base = stage[0].split()[1]
        base = re.sub(r"\$\{(\w+)\}", lambda m: arg_defaults.get(m.group(1), m.group()), base)
        images[f"Dockerfile stage {number}"] = base
    return images


def test_every_image_is_pinned() -> None:
    for where, image in _all_images().items():
        tag = _image_tag(image)
        assert tag not in {None, "latest"}, f"{where}: {image} is not pinned to a version"


def test_app_image_tag_is_the_package_version() -> None:
    app_images = {where: image for where, image in _all_images().items()
                  if image.startswith(f"{APP_IMAGE}:")}
    assert len(app_images) >= 3  # compose api, worker, migrate (k8s/: test_k8s_manifests)
    for where, image in app_images.items():
        assert _image_tag(image) == __version__, f"{where}: {image} is not {__version__}"


# --- CI --------------------------------------------------------------------------------

def test_ci_workflow_runs_make_test() -> None:
    (workflow,) = _yaml_documents(CI_WORKFLOW)
    # YAML 1.1 reads the bare key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert "actions/checkout" in uses
    # Python 3.11 from the Debian job container (root, so `make browser` can apt-get
    # chromium), or from setup-python.
    containers = [job.get("container") for job in workflow["jobs"].values()]
    images = [c["image"] if isinstance(c, dict) else c for c in containers if c]
    if "actions/setup-python" in uses:
        assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    else:
        assert images and all(re.fullmatch(r"python:3\.11-(bookworm|trixie)", image)
                              for image in images), images
    assert str(uses["actions/setup-node"]["with"]["node-version"]) == "20"
    assert any(step.get("run", "").strip() == "make test" for step in steps)


# --- no registry host names anywhere ---------------------------------------------------

def _repository_files() -> Iterator[Path]:
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        for name in files:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def test_no_file_names_a_package_registry_host() -> None:
    hosts = [host.encode() for host in REGISTRY_HOSTS]
    offenders = []
    for path in _repository_files():
        content = path.read_bytes().lower()
        offenders += [f"{path.relative_to(REPO)}: {host.decode()}"
                      for host in hosts if host in content]
    assert not offenders, offenders


def test_nginx_replaces_the_clients_x_forwarded_for() -> None:
    """The API trusts forwarded headers behind nginx and uvicorn reads the leftmost
    X-Forwarded-For entry: appending ($proxy_add_x_forwarded_for) would let a client
    choose the address its login and sign-up limits are counted against."""
    conf = nginx_text()
    forwarded = re.findall(r"proxy_set_header\s+X-Forwarded-For\s+(\S+);", conf)
    assert forwarded and set(forwarded) == {"$remote_addr"}
