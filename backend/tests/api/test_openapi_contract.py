"""The OpenAPI schema describes the API: schemathesis against a real server.

Runs schemathesis's engine (what `schemathesis run --checks all` runs: examples,
coverage, fuzzing and stateful phases) against the `live_api` uvicorn over HTTP,
authenticated, with path parameters that often name real resources, and requires no
finding at all: no server error, no undocumented status code, no schema-valid request
rejected, no created resource that cannot be fetched, and the rest of the checks.

A second, fast test pins what `core/openapi.py` documents, so a change in routes or
rules shows up there first.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI

from ariaforge.config import Settings
from ariaforge.core.openapi import ERROR_REF, ERROR_SCHEMA, RATE_LIMITED
from ariaforge.main import create_app
from tests.conftest import (
    PASSWORD,
    api_process,
    bearer,
    login,
    register,
    unique_email,
    worker_process,
)

API = "/api/v1"
# Bounded so the whole run stays a few minutes on two cores.
MAX_EXAMPLES = int(os.environ.get("ARIAFORGE_SCHEMATHESIS_EXAMPLES", "20"))
STATEFUL_STEPS = 10
SEED = int(os.environ.get("ARIAFORGE_SCHEMATHESIS_SEED", "20261202"))
# Each logout revokes its token's login session, so it gets a token of its own.
LOGOUT_TOKENS = 40
# A hang detector for the whole run, not a speed target. (Not schemathesis's max-time:
# given one, its engine keeps fuzzing until the time is spent.)
RUN_LIMIT_S = 900

# Checks `schemathesis run --checks all` runs (max_response_time needs a target; none).
CHECKS = (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance",
    "positive_data_acceptance", "negative_data_rejection", "use_after_free",
    "ensure_resource_availability", "missing_required_header", "ignored_auth",
    "unsupported_method", "allow_header_conformance",
)
# A schema-valid request may still meet: no such resource (random ids: 404), a stale
# revision or a duplicate (409), a role without write access (403), a rate limit (429).
# These are the answers to a well-formed request about the state, not refusals of its
# form; 400 and 422 are, and count as findings, with the exceptions below.
ACCEPTED_FOR_VALID_REQUESTS = ["2xx", "3xx", "401", "403", "404", "409", "429"]
# A 422 is about more than the request's form only when every problem it lists is:
# - between fields (its `loc` names an object, e.g. a note past the score's last bar):
#   JSON Schema cannot say that;
# - or one of these `type`s, about what the schema cannot see: the stored score, a
#   file's content, or a password's strength against a list of common ones.
NOT_ABOUT_THE_FORM = frozenset({
    "password_policy",  # common and guessable passwords: a list, not a pattern
    "unknown_instrument",  # the composer's vocabulary of instrument names
    "unreadable_file",  # a MIDI, MusicXML or ABC file's content
    # the revision in the body and in If-Match: a header and a body field together
    "revision_mismatch", "revision_required",
    # the stored score:
    "empty_score", "empty_range", "unknown_track", "out_of_range", "invalid_operation",
    "invalid_score", "export_too_large", "render_too_large", "export_failed",
    "engraving_timeout", "unrenderable",
    "unknown_account",  # sharing with an e-mail that has no account
    # the sound library: an uploaded file's content, and one's own stored SoundFonts
    "unsupported_type", "unrecognised_content", "content_mismatch", "invalid_soundfont",
    "truncated_or_corrupt", "unreadable_audio", "no_audio", "too_long", "too_many_channels",
    "unsupported_rate", "unknown_soundfont", "unknown_preset",
})


@dataclass
class World:
    """Real resources for path parameters, made through the API before the run."""

    token: str
    project: str
    doomed_project: str
    logout_tokens: list[str]
    track_ids: list[str] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)
    export_ids: list[str] = field(default_factory=list)
    session_ids: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)


def small_score() -> dict[str, Any]:
    return {
        "tempo": 100, "key": {"tonic": "C", "mode": "major"},
        "meter": {"numerator": 4, "denominator": 4}, "bars": 2,
        "tracks": [{"id": "lead", "name": "Lead", "role": "melody", "program": 0,
                    "notes": [{"id": "n1", "pitch": 60, "start": 0, "duration": 480},
                              {"id": "n2", "pitch": 64, "start": 480, "duration": 480}]}],
    }


async def build_world(http: httpx.AsyncClient) -> World:
    email = await register(http)
    owner = bearer(await login(http, email))
    created = await http.post(f"{API}/projects", headers=owner, json={"name": "Contract"})
    assert created.status_code == 201, created.text
    project = created.json()["id"]
    doomed = await http.post(f"{API}/projects", headers=owner, json={"name": "Doomed"})
    assert doomed.status_code == 201, doomed.text
    put = await http.put(f"{API}/projects/{project}/score", headers=owner,
                         json={"score": small_score(), "revision": 1})
    assert put.status_code == 200, put.text
    # A second member, so member ids name someone real.
    editor_email = await register(http, unique_email("editor"))
    member = await http.post(f"{API}/projects/{project}/members", headers=owner,
                             json={"email": editor_email, "role": "editor"})
    assert member.status_code == 201, member.text
    members = (await http.get(f"{API}/projects/{project}/members", headers=owner)).json()
    export = await http.post(f"{API}/projects/{project}/exports", headers=owner, json={})
    assert export.status_code == 202, export.text
    session = await http.post(f"{API}/projects/{project}/sessions", headers=owner,
                              json={"prompt": "a calm piano piece"})
    assert session.status_code == 202, session.text
    # Each logout ends its login session: one login each, of a separate account.
    logout_email = await register(http, unique_email("logout"))
    logout_tokens = [(await login(http, logout_email, PASSWORD))["access_token"]
                     for _ in range(LOGOUT_TOKENS)]
    return World(
        token=owner["Authorization"].removeprefix("Bearer "), project=project,
        doomed_project=doomed.json()["id"], logout_tokens=logout_tokens,
        track_ids=["lead"], member_ids=[m["user_id"] for m in members if "user_id" in m],
        job_ids=[j for j in (export.json().get("job_id"), session.json().get("job_id")) if j],
        export_ids=[export.json()["id"]], session_ids=[session.json()["id"]])


def engine_config(base_url: str, world: World) -> dict[str, Any]:
    dictionaries = {
        "projects": {"values": [world.project]},
        "tracks": {"values": world.track_ids},
        "jobs": {"values": world.job_ids or [world.project]},
        "exports": {"values": world.export_ids},
        "sessions": {"values": world.session_ids},
        "members": {"values": world.member_ids or [world.project]},
        "versions": {"values": [1, 2]},
        "doomed": {"values": [world.doomed_project]},
    }
    # Mostly real resources; sometimes drawn, to reach the 404s too.
    parameters = {f"path.{name}": {"dictionary": dictionary, "probability": 0.8}
                  for name, dictionary in (("project_id", "projects"), ("track_id", "tracks"),
                                           ("job_id", "jobs"), ("export_id", "exports"),
                                           ("session_id", "sessions"),
                                           ("member_id", "members"), ("number", "versions"))}
    return {
        "seed": SEED,
        "base-url": base_url,
        "workers": 1,
        "request-timeout": 120,
        "dictionaries": dictionaries,
        "parameters": parameters,
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        "checks": {
            **{name: {"enabled": True} for name in CHECKS},
            # Replaced by positive_data_acceptance_of_the_form, which reads this config.
            "positive_data_acceptance": {"enabled": False,
                                         "expected-statuses": ACCEPTED_FOR_VALID_REQUESTS},
        },
        "operations": [
            # Deleting the shared project would turn the rest of the run into 404s.
            {"include-path": f"{API}/projects/{{project_id}}", "include-method": "DELETE",
             "parameters": {"path.project_id": {"dictionary": "doomed", "probability": 1.0}}},
        ],
    }


@dataclass
class Findings:
    failures: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    phases: dict[str, str] = field(default_factory=dict)  # name: outcome
    stop_reason: str = "never finished"
    stateful_calls: int = 0

    def report(self) -> str:
        lines = [f"{self.calls} calls ({self.stateful_calls} in stateful sequences); "
                 f"statuses {dict(sorted(self.statuses.items()))}; phases {self.phases}; "
                 f"stopped: {self.stop_reason}"]
        for key, count in sorted(self.failures.items()):
            lines.append(f"{count} x {key[0]} on {key[1]}: {key[2]}")
            lines.append("    " + self.examples[key].replace("\n", "\n    "))
        lines += [f"error: {error}" for error in self.errors]
        return "\n".join(lines)


def value_at(body: Any, path: list[Any]) -> Any:
    for part in path:
        try:
            body = body[part]
        except (KeyError, IndexError, TypeError):
            return None
    return body


def refusal_beyond_the_form(response: Any, case: Any) -> bool:
    """Whether a 422 to a schema-valid request is about what JSON Schema cannot say."""
    if response.status_code != 422:
        return False
    try:
        details = response.json()["error"]["details"]
    except (ValueError, KeyError, TypeError):
        return False
    if not isinstance(details, list) or not details:
        return False  # an unexplained refusal is a finding
    for problem in details:
        loc = problem.get("loc") or []
        # What a model validator raises (ValueError) about an object, not a value.
        between_fields = (loc[:1] == ["body"] and isinstance(case.body, dict)
                          and isinstance(value_at(case.body, loc[1:]), dict)
                          and problem.get("type") in ("value_error", "assertion_error"))
        if not between_fields and problem.get("type") not in NOT_ABOUT_THE_FORM:
            return False
    return True


def register_acceptance_check() -> None:
    """`positive_data_acceptance`, except for refusals beyond the request's form."""
    from schemathesis.core.failures import Failure
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    @schemathesis.check
    def positive_data_acceptance_of_the_form(ctx: Any, response: Any, case: Any) -> None:
        try:
            positive_data_acceptance(ctx, response, case)
        except Failure:
            if not refusal_beyond_the_form(response, case):
                raise


def run_schemathesis(base_url: str, world: World) -> Findings:
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    register_acceptance_check()
    config = SchemathesisConfig.from_dict(engine_config(base_url, world))
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
    tokens = list(world.logout_tokens)

    @schema.auth(refresh_interval=None).apply_to(path=f"{API}/auth/logout")
    class LogoutAuth:  # a fresh login session per logout, while they last
        def get(self, case: Any, context: Any) -> str:
            return tokens.pop() if len(tokens) > 1 else tokens[0]

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    @schema.auth(refresh_interval=3600).skip_for(path=f"{API}/auth/logout")
    class OwnerAuth:
        def get(self, case: Any, context: Any) -> str:
            return world.token

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    findings = Findings()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            collect(findings, event.recorder)
            if event.phase.value == "stateful":
                findings.stateful_calls += len(event.recorder.interactions)
        elif isinstance(event, events.PhaseFinished):
            phase = event.phase
            findings.phases[phase.name.value] = (
                f"skipped: {phase.skip_reason.value}" if phase.skip_reason else event.status.value)
        elif isinstance(event, events.EngineFinished):
            findings.stop_reason = str(event.stop_reason)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            findings.errors.append(describe_error(event))
    return findings


def describe_error(event: Any) -> str:
    error = getattr(event, "exception", None) or getattr(event, "value", None)
    label = getattr(event, "label", "")
    return f"{type(event).__name__} {label}: {error!r}"[:2000]


def collect(findings: Findings, recorder: Any) -> None:
    for interaction in recorder.interactions.values():
        findings.calls += 1
        if interaction.response is not None:
            findings.statuses[interaction.response.status_code] += 1
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            key = (check.name, str(failure.operation), failure.title)
            findings.failures[key] += 1
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            answer = (f"-> {response.status_code} {response.content[:400]!r}"
                      if response is not None else "")
            findings.examples.setdefault(
                key, f"{failure.message[:300]}\n{info.code_sample[-1200:]}\n{answer}")


@pytest.fixture
def api_with_worker(settings: Settings, app: FastAPI, clean: None,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `ariaforge api` and a real `ariaforge worker` sharing one data folder, as
    `up` runs them: previews (and exports, sessions) are rendered by jobs."""
    home = tmp_path_factory.mktemp("contract")
    secret = app.state.secret_key
    # A preview waits for its job far longer than it needs here, so that a loaded machine
    # cannot turn a render into the 503 "still rendering" answer.
    with api_process(settings, secret, home, PREVIEW_WAIT_SECONDS="120") as (base, _), \
            worker_process(settings, secret, home):
        yield base


@pytest.mark.timeout(RUN_LIMIT_S)
async def test_the_api_keeps_the_promises_of_its_schema(api_with_worker: str) -> None:
    async with httpx.AsyncClient(base_url=api_with_worker, timeout=150) as http:
        world = await build_world(http)
    findings = await asyncio.to_thread(run_schemathesis, api_with_worker, world)
    print({name: value for name, value in vars(world).items() if "token" not in name})
    print(findings.report())
    assert findings.stop_reason == "completed", findings.report()
    assert findings.calls > 500, findings.report()  # it really ran
    assert findings.stateful_calls > 50, findings.report()  # links were followed
    assert not findings.errors and not findings.failures, findings.report()


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app without its lifespan: enough for its schema and for routing."""
    return create_app(Settings(ariaforge_home=tmp_path_factory.mktemp("openapi")))


def test_every_error_is_documented_with_the_one_shape(bare_app: FastAPI) -> None:
    schema = bare_app.openapi()
    assert bare_app.openapi() is schema  # cached
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error = schema["components"]["schemas"][ERROR_SCHEMA]
    assert error["properties"]["error"]["required"] == ["code", "message", "details"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    content = response["content"]
                    assert content == {"application/json": {"schema": {"$ref": ERROR_REF}}}, (
                        method, path, status)
            statuses = set(operation["responses"])
            if operation.get("security"):
                assert {"401", "503"} <= statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if "requestBody" in operation:
                assert {"413", "422"} <= statuses, (method, path)
            if (method.upper(), path) in RATE_LIMITED:
                assert operation["responses"]["429"]["headers"]["Retry-After"]["required"]
    login = schema["paths"][f"{API}/auth/login"]["post"]["responses"]
    assert {"401", "429"} <= set(login)
    health = schema["paths"]["/health"]["get"]["responses"]
    assert set(health) == {"200"}  # touches nothing, so no 503
    get_project = schema["paths"][f"{API}/projects/{{project_id}}"]["get"]["responses"]
    assert "403" not in get_project and "409" not in get_project  # every member reads
    patch_project = schema["paths"][f"{API}/projects/{{project_id}}"]["patch"]["responses"]
    assert {"403", "409"} <= set(patch_project)


def test_what_pydantic_checks_is_stated(bare_app: FastAPI) -> None:
    schemas = bare_app.openapi()["components"]["schemas"]
    # An effect without its `type` tag is refused, so the tag is required.
    for effect in ("EqEffect", "CompressorEffect", "ReverbEffect"):
        assert "type" in schemas[effect]["required"], effect
    # Mix settings are keyed by track id; other keys are refused.
    tracks = schemas["MixSettings"]["properties"]["tracks"]
    assert tracks["patternProperties"] and tracks["additionalProperties"] is False


async def test_method_not_allowed_lists_every_documented_method(bare_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=bare_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        project = await http.request("OPTIONS", f"{API}/projects/{uuid.uuid4()}")
        collection = await http.put(f"{API}/projects")
        health = await http.post("/health")
    assert project.status_code == 405
    assert project.headers["allow"] == "DELETE, GET, PATCH"
    assert set(project.json()["error"]) == {"code", "message", "details"}
    assert project.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert collection.headers["allow"] == "GET, POST"
    assert health.status_code == 405 and health.headers["allow"] == "GET"
