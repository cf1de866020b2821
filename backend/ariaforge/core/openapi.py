"""The OpenAPI schema tells the truth about errors.

FastAPI documents only the success answer and its own 422 (`HTTPValidationError`, a
shape we never send). Every error here answers `{"error": {"code", "message",
"details"}}` (core/errors.py), so this post-processing documents, per operation, the
error statuses it can really give, each with that one shape (`ErrorResponse`).

Which statuses apply is derived from facts FastAPI already knows about each route (its
security, its path, header and body parameters, whether it depends on the database or
Redis, its method), plus a short table of what only the service code knows (which
operations are rate limited, which check credentials without a bearer token, which
writes every member may make).

Nothing here adds or hides validation: constraints belong in the pydantic models. Two
things pydantic validates but leaves out of its JSON Schema are stated (see
`state_what_pydantic_checks`). And since the schema lists each resource's methods, a
405 answer's `Allow` lists them too (Starlette's names only the first route's).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from fastapi.security.base import SecurityBase
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from ariaforge.core.db import get_session
from ariaforge.core.errors import ErrorCode, error_response
from ariaforge.core.redis import get_redis
from ariaforge.core.routing import API_PREFIX

ERROR_SCHEMA = "ErrorResponse"
ERROR_REF = f"#/components/schemas/{ERROR_SCHEMA}"
# FastAPI's own 422 components; removed once no operation refers to them.
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

DESCRIPTIONS: dict[int, str] = {
    400: "The request could not be read (a malformed body, or a header that cannot be "
         "parsed).",
    401: "No valid credentials: a missing, expired or revoked bearer access token "
         "(`WWW-Authenticate: Bearer`), or wrong credentials where this operation "
         "checks them.",
    403: "Your role in the project does not allow this (viewers read; editors also "
         "write; only the owner manages members and deletes).",
    404: "No such resource, or not one you may see (non-members get 404, not 403).",
    409: "A conflict: the revision you sent is stale (reload and resend), the resource "
         "already exists, the state does not allow it, or a change saved meanwhile "
         "conflicts. Nothing was saved.",
    413: "The request body is over the size limit.",
    422: "The request is not valid; `details` lists the problems as "
         "`{loc, msg, type}` (`loc` starts with body, query, path or header).",
    429: "Too many requests; retry after `Retry-After` seconds "
         "(also in `details.retry_after`). Per user and kind: every authenticated "
         "request (REQUESTS_PER_HOUR; answers carry `X-RateLimit-Limit` and "
         "`X-RateLimit-Remaining`), exports, uploads.",
    503: "A backing service (PostgreSQL, Redis, storage) is unavailable; retry shortly.",
}

_RETRY_AFTER = {"description": "seconds to wait before retrying",
                "schema": {"type": "integer", "minimum": 0}}
# (status → header name → (definition, required)). Required only where every source of
# that status sets the header (RateLimited always does; not every 503 does).
_HEADERS: dict[int, dict[str, tuple[dict[str, Any], bool]]] = {
    401: {"WWW-Authenticate": ({"description": "the scheme to authenticate with",
                                "schema": {"type": "string"}}, False)},
    429: {"Retry-After": (_RETRY_AFTER, True)},
    503: {"Retry-After": (_RETRY_AFTER, False)},
}

PROJECT = f"{API_PREFIX}/projects/{{project_id}}"
# What only the service code knows. Keyed by (method, path template).
# Operations that check credentials themselves, without a bearer token:
_CHECKS_CREDENTIALS = {
    ("POST", f"{API_PREFIX}/auth/login"),  # wrong email or password
    ("POST", f"{API_PREFIX}/auth/refresh"),  # invalid, spent or revoked refresh token
}
# Operations behind a rate limit or quota (core/ratelimit.py):
RATE_LIMITED = {
    ("POST", f"{API_PREFIX}/auth/register"),
    ("POST", f"{API_PREFIX}/auth/login"),
    ("POST", f"{PROJECT}/import"),
    ("POST", f"{PROJECT}/exports"),
}
# Writes to a project's resources are refused to roles without write access (403),
# except these, open to every member (viewers included):
_OPEN_TO_EVERY_MEMBER = {
    ("POST", f"{PROJECT}/validate"),  # only reads the score
    ("POST", f"{PROJECT}/exports"),  # listening is what viewers are for; a quota bounds it
    ("POST", f"{PROJECT}/collab/ticket"),  # viewers follow live, read-only
}


@dataclass(frozen=True)
class OperationFacts:
    """What the route itself says about one operation."""

    method: str
    path: str
    authenticated: bool
    has_path_params: bool
    has_header_params: bool
    has_body: bool
    has_params: bool
    uses_backing_service: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def _dependants(root: Dependant) -> Iterator[Dependant]:
    yield root
    for child in root.dependencies:
        yield from _dependants(child)


def _calls(root: Dependant) -> set[Callable[..., Any]]:
    return {inspect.unwrap(d.call) for d in _dependants(root) if d.call is not None}


_BACKING_SERVICES: frozenset[Callable[..., Any]] = frozenset({get_session, get_redis})


def facts_for(path: str, method: str, dependant: Dependant) -> OperationFacts:
    dependants = list(_dependants(dependant))
    calls = _calls(dependant)
    return OperationFacts(
        method=method,
        path=path,
        authenticated=any(isinstance(d.call, SecurityBase) for d in dependants),
        has_path_params=any(d.path_params for d in dependants),
        has_header_params=any(d.header_params for d in dependants),
        has_body=any(d.body_params for d in dependants),
        has_params=any(d.path_params or d.query_params or d.header_params
                       or d.cookie_params or d.body_params for d in dependants),
        uses_backing_service=bool(calls & _BACKING_SERVICES),
    )


def error_statuses(facts: OperationFacts) -> set[int]:
    """The error statuses one operation can answer, from its facts and the table above."""
    statuses: set[int] = set()
    writes = facts.method not in _READ_METHODS
    if facts.authenticated or facts.key in _CHECKS_CREDENTIALS:
        statuses.add(401)
    if facts.has_path_params:
        statuses.add(404)
        # Every resource named by an id belongs to a project, where roles decide writes.
        if writes and facts.authenticated and facts.key not in _OPEN_TO_EVERY_MEMBER:
            statuses.add(403)
    if writes and facts.uses_backing_service:
        statuses.add(409)  # a stale revision, a duplicate, or a conflict found at commit
    if facts.has_body:
        statuses.update({400, 413})  # unreadable or oversized body
    if facts.has_header_params:
        statuses.add(400)  # a header that cannot be read (e.g. If-Match)
    if facts.has_params:
        statuses.add(422)
    # Every authenticated request counts against REQUESTS_PER_HOUR (core/request_limits.py).
    if facts.authenticated or facts.key in RATE_LIMITED:
        statuses.add(429)
    if facts.uses_backing_service:
        statuses.add(503)
    return statuses


def error_schema() -> dict[str, Any]:
    return {
        "title": ERROR_SCHEMA,
        "description": "Every error answers this one shape.",
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "enum": [code.value for code in ErrorCode],
                         "description": "stable, machine-readable"},
                "message": {"type": "string", "description": "for people"},
                "details": {"description": "more about the error, or null: a list of "
                                           "`{loc, msg, type}` for validation errors, an "
                                           "object otherwise"},
            },
        }},
    }


def _error_response(status: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    response = dict(existing or {})
    # Keep an operation's own description ("no such project, track or page"), but not
    # FastAPI's generic one for its 422.
    if not response.get("description") or response["description"] == "Validation Error":
        response["description"] = DESCRIPTIONS.get(status, "An error.")
    response["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    headers = _HEADERS.get(status)
    if headers:
        response["headers"] = {**response.get("headers", {}), **{
            name: {**definition, "required": required}
            for name, (definition, required) in headers.items()}}
    return response


def document_operation(operation: dict[str, Any], facts: OperationFacts) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in error_statuses(facts):
        responses[str(status)] = _error_response(status, responses.get(str(status)))
    # Error statuses an operation documented itself (e.g. 503 on /ready) get the shape too.
    for code, response in list(responses.items()):
        if code.isdigit() and int(code) >= 400:
            responses[code] = _error_response(int(code), response)
    operation["responses"] = dict(sorted(responses.items()))


def _is_referenced(schema: dict[str, Any], name: str) -> bool:
    target = f"#/components/schemas/{name}"

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            if node.get("$ref") == target:
                return True
            return any(walk(value) for key, value in node.items()
                       if not (node is schemas and key == name))
        if isinstance(node, list):
            return any(walk(item) for item in node)
        return False

    schemas = schema.get("components", {}).get("schemas", {})
    return walk(schema)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def state_what_pydantic_checks(schema: dict[str, Any]) -> None:
    """Two things pydantic validates but its JSON Schema leaves unsaid, stated.

    - A tagged union's tag must be present (pydantic refuses an effect without `type`),
      and OpenAPI requires the discriminator property anyway; pydantic marks it optional
      when the tag has a default.
    - A dict with constrained keys (`dict[Annotated[str, pattern], V]`) refuses any other
      key; pydantic writes `patternProperties` but leaves other keys open.
    """
    components = schema.get("components", {}).get("schemas", {})
    for node in _walk(schema):
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict):
            name = discriminator.get("propertyName")
            for ref in (discriminator.get("mapping") or {}).values():
                target = components.get(str(ref).rsplit("/", 1)[-1])
                if isinstance(target, dict) and name in target.get("properties", {}):
                    required = target.setdefault("required", [])
                    if name not in required:
                        required.append(name)
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False


def document_errors(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Add the error responses to `schema` (FastAPI's output), in place; returns it."""
    paths: dict[str, Any] = schema.get("paths", {})
    # Route contexts, as FastAPI's own get_openapi walks them: included routers carry
    # their prefix and dependencies there.
    for route in iter_route_contexts(routes):
        dependant = getattr(route, "dependant", None)
        path = getattr(route, "path_format", None)
        if not isinstance(dependant, Dependant) or not isinstance(path, str) or not getattr(
                route, "include_in_schema", False):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            operation = paths.get(path, {}).get(method.lower())
            if operation is not None:
                document_operation(operation, facts_for(path, method, dependant))
    state_what_pydantic_checks(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA] = error_schema()
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        if name in components and not _is_referenced(schema, name):
            del components[name]
    return schema


_HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_PATH_PARAMETER = re.compile(r"\{[^/{}]+\}")


def documented_methods(schema: dict[str, Any], path: str) -> list[str]:
    """The methods the schema documents for a concrete request path (any template)."""
    methods: set[str] = set()
    for template, operations in schema.get("paths", {}).items():
        pattern = "[^/]+".join(re.escape(part) for part in _PATH_PARAMETER.split(template))
        if re.fullmatch(pattern, path):
            methods.update(m.upper() for m in operations if m.upper() in _HTTP_METHODS)
    return sorted(methods)


def _method_not_allowed(app: FastAPI) -> Callable[[Request, Exception], Any]:
    """405 whose `Allow` lists every method of the resource, as the schema does.

    Starlette's router stops at the first route whose path matches and names only that
    route's methods (`Allow: GET` for a resource that also takes PATCH and DELETE).
    """

    async def handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        methods = documented_methods(app.openapi(), request.url.path)
        if methods:
            headers["Allow"] = ", ".join(methods)
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(405).phrase
        return error_response(405, ErrorCode.METHOD_NOT_ALLOWED, message, None, headers)

    return handler


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` (and /openapi.json) answer the documented schema, cached,
    and 405 answers list the methods it documents."""
    generate = app.openapi  # FastAPI's: cached, regenerated when the routes change
    documented: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = generate()
        if not documented or documented[0] is not schema:
            try:
                document_errors(schema, app.routes)
            except BaseException:
                app.openapi_schema = None  # never serve a half-processed schema
                raise
            documented[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_exception_handler(405, _method_not_allowed(app))
