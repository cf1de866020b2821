"""One domain error type, one JSON shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis import exceptions as redis_errors
from sqlalchemy import exc as sa_errors
from starlette.exceptions import HTTPException as StarletteHTTPException

from ariaforge.core.logging import request_id_var

logger = logging.getLogger(__name__)


class ErrorCode(StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    AUTHENTICATION_ERROR = "AUTHENTICATION_ERROR"
    AUTHORIZATION_ERROR = "AUTHORIZATION_ERROR"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


_CODE_FOR_STATUS = {
    400: ErrorCode.VALIDATION_ERROR,
    401: ErrorCode.AUTHENTICATION_ERROR,
    403: ErrorCode.AUTHORIZATION_ERROR,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    412: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.VALIDATION_ERROR,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMIT_EXCEEDED,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}


class AppError(Exception):
    """Raised by services; the handler turns it into the error shape."""

    status_code = 400
    code = ErrorCode.VALIDATION_ERROR
    # Most errors undo the request's writes; a few (e.g. revoking a leaked token family)
    # must be committed even though the answer is an error.
    keep_changes = False

    def __init__(self, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers


class ValidationFailed(AppError):
    status_code = 422
    code = ErrorCode.VALIDATION_ERROR


class AuthenticationFailed(AppError):
    status_code = 401
    code = ErrorCode.AUTHENTICATION_ERROR

    def __init__(self, message: str = "authentication required", details: Any = None) -> None:
        super().__init__(message, details, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status_code = 403
    code = ErrorCode.AUTHORIZATION_ERROR


class NotFound(AppError):
    status_code = 404
    code = ErrorCode.NOT_FOUND


class Conflict(AppError):
    status_code = 409
    code = ErrorCode.CONFLICT


class RateLimited(AppError):
    status_code = 429
    code = ErrorCode.RATE_LIMIT_EXCEEDED

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after},
                         headers={"Retry-After": str(retry_after)})


class PayloadTooLargeError(StarletteHTTPException):
    """The body grew past the limit while being read (no or a false Content-Length).

    An HTTPException so that FastAPI's body parsing re-raises it instead of turning it
    into a generic 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


# Field names in `loc` come from the client too (an unknown 100 kB key); cut them short.
_MAX_LOC_CHARS = 100


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # The offending input is not echoed back: it may be huge or contain a password.
    return [
        {"loc": [part if isinstance(part, int) else str(part)[:_MAX_LOC_CHARS]
                 for part in err.get("loc", ())],
         "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()[:50]
    ]


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, ErrorCode.VALIDATION_ERROR, "the request is not valid",
                          _validation_details(exc))


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_FOR_STATUS.get(exc.status_code, ErrorCode.VALIDATION_ERROR
                                if exc.status_code < 500 else ErrorCode.INTERNAL_ERROR)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        message = "no such resource"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, message, None, headers)


async def _dependency_unavailable(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("dependency unavailable on %s %s: %s", request.method, request.url.path,
                   type(exc).__name__)
    return error_response(503, ErrorCode.SERVICE_UNAVAILABLE,
                          "a backing service is unavailable; try again shortly",
                          {"request_id": request_id_var.get()}, {"Retry-After": "5"})


# Losing PostgreSQL or Redis mid-request is an outage (503), not a bug (500).
_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    ConnectionError, TimeoutError, redis_errors.ConnectionError, redis_errors.TimeoutError,
    redis_errors.BusyLoadingError, sa_errors.OperationalError, sa_errors.InterfaceError,
    sa_errors.DisconnectionError, sa_errors.TimeoutError,
)


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    request_id = request_id_var.get()
    logger.error("unhandled error on %s %s", request.method, request.url.path,
                 exc_info=exc, extra={"request_id": request_id})
    return error_response(500, ErrorCode.INTERNAL_ERROR, "internal error",
                          {"request_id": request_id})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for error_type in _UNAVAILABLE_ERRORS:
        app.add_exception_handler(error_type, _dependency_unavailable)
    app.add_exception_handler(Exception, _unhandled_error)
