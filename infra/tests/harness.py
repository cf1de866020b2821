"""Runs the Pulumi program against Pulumi's mocks and keeps what it declared.

No cloud account, CLI or provider plugin is involved: the mock monitor answers each
resource registration with the inputs plus the few attributes the cloud would compute
(addresses, generated names), so the program's Output plumbing runs for real.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc

INFRA = Path(__file__).resolve().parent.parent
PROJECT_ID = "ariaforge-test-1"


@dataclass
class Declared:
    type: str
    name: str
    inputs: dict[str, Any]


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self, project: str = PROJECT_ID) -> None:
        self.project = project
        self.resources: list[Declared] = []
        self.calls: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(Declared(args.typ, args.name, dict(args.inputs)))
        state = dict(args.inputs) | computed(args.typ, args.name, args.inputs, self.project)
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        self.calls.append(args.token)
        if args.token == "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
            return {"emailAddress": "service-1@gs-project-accounts.iam.gserviceaccount.com"}, []
        return {}, []


def computed(typ: str, name: str, inputs: dict[str, Any], project: str) -> dict[str, Any]:
    """What Google would fill in: only the attributes the program reads."""
    if typ == "gcp:serviceaccount/account:Account":
        return {"email": f"{inputs['accountId']}@{project}.iam.gserviceaccount.com",
                "name": f"projects/{project}/serviceAccounts/{inputs['accountId']}"}
    if typ == "gcp:sql/databaseInstance:DatabaseInstance":
        return {"connectionName": f"{project}:{inputs['region']}:{inputs['name']}",
                "privateIpAddress": "10.100.0.3"}
    if typ == "gcp:redis/instance:Instance":
        return {"host": "10.100.16.4", "port": 6378, "authString": "redis-auth-from-google",
                "serverCaCerts": [{"cert": "-----BEGIN CERTIFICATE-----\nMIIB\n"}]}
    if typ == "gcp:container/cluster:Cluster":
        return {"endpoint": "203.0.113.10",
                "masterAuth": {"clusterCaCertificate": "Q0EK",
                               "clientCertificateConfig": {"issueClientCertificate": False}}}
    if typ == "gcp:storage/hmacKey:HmacKey":
        return {"accessId": f"GOOG1{name.upper()}", "secret": f"hmac-secret-of-{name}"}
    if typ == "random:index/randomPassword:RandomPassword":
        return {"result": "x" * int(inputs["length"])}
    if typ == "gcp:compute/address:Address":
        return {"address": "198.51.100.7"}
    if typ == "gcp:iam/workloadIdentityPool:WorkloadIdentityPool":
        return {"name": "projects/123456/locations/global/workloadIdentityPools/"
                        f"{inputs['workloadIdentityPoolId']}"}
    if typ == "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider":
        return {"name": "projects/123456/locations/global/workloadIdentityPools/"
                        f"{inputs['workloadIdentityPoolId']}/providers/"
                        f"{inputs['workloadIdentityPoolProviderId']}"}
    if typ == "gcp:dns/managedZone:ManagedZone":
        return {"nameServers": ["ns-cloud-a1.example.", "ns-cloud-a2.example."]}
    return {}


def secret_value(value: Any) -> Any:
    """The value inside a Pulumi secret envelope; fails if `value` is not marked secret
    (a secret kept as plain text would be readable in the stack's state and logs)."""
    assert isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig, \
        f"not a secret: {value!r}"
    return value["value"]


def unwrap_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return unwrap_secrets(value["value"])
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


def stack_config(environment: str, **overrides: Any) -> dict[str, str]:
    """The committed Pulumi.<environment>.yaml, plus the project an operator sets."""
    committed = yaml.safe_load((INFRA / f"Pulumi.{environment}.yaml").read_text())["config"]
    config = {"gcp:project": PROJECT_ID} | committed | overrides
    # The CLI hands the program structured values as JSON, scalars as text.
    return {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in config.items() if value is not None}


@dataclass
class Run:
    resources: list[Declared]
    exports: dict[str, Any]
    calls: list[str]

    def of_type(self, typ: str) -> list[Declared]:
        return [r for r in self.resources if r.type == typ]

    def one(self, typ: str, name: str | None = None) -> Declared:
        found = [r for r in self.of_type(typ) if name is None or r.name == name]
        assert len(found) == 1, f"{typ} {name}: {[r.name for r in found]}"
        return found[0]


def run(environment: str, config: dict[str, str]) -> Run:
    """Declare the stack `environment` with `config`; exceptions of the program propagate."""
    from ariaforge_infra import program

    mocks = RecordingMocks(config.get("gcp:project") or PROJECT_ID)
    pulumi.runtime.set_all_config(config)
    pulumi.runtime.set_mocks(mocks, project="ariaforge", stack=environment, preview=False)
    exports: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def declare() -> pulumi.Output[Any]:
        return pulumi.Output.from_input(program.build()).apply(exports.update)

    declare()
    return Run(resources=mocks.resources, exports=exports, calls=mocks.calls)
