"""Recognised devices: clients that have logged in to an account before.

A successful login gives the client a signed, long-lived device token for that account
(an HttpOnly cookie for browsers, `device_token` in the JSON for other clients). Its
failed logins then count in a bucket of its own instead of the account's bucket, which
strangers can fill: whoever knows an e-mail can make that account refuse *unknown*
clients for a while, but cannot lock its owner out of a browser they have used before.
See docs/adr/0020-login-protection-and-enumeration.md.

The token proves only "this client logged in to this account before"; it grants no
access, so logout does not revoke it.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import jwt

from ariaforge.auth.tokens import ALGORITHM, ISSUER
from ariaforge.core.routing import API_PREFIX

DEVICE_TOKEN_DAYS = 90
COOKIE_PREFIX = "ariaforge_device_"
# Sent only to the auth endpoints, never with every API call.
COOKIE_PATH = f"{API_PREFIX}/auth"
_TYPE = "device"


def cookie_name(secret: str, user_id: uuid.UUID) -> str:
    """One cookie per account (a shared browser keeps each), named without the e-mail or id
    in the clear."""
    digest = hmac.new(secret.encode(), f"device-cookie:{user_id}".encode(), hashlib.sha256)
    return COOKIE_PREFIX + digest.hexdigest()[:16]


def issue(secret: str, user_id: uuid.UUID, device_id: uuid.UUID | None) -> str:
    """A token for this device and account; a recognised device keeps its id."""
    now = datetime.now(UTC)
    payload = {
        "iss": ISSUER,
        "sub": str(user_id),
        "jti": str(device_id or uuid.uuid4()),
        "typ": _TYPE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(days=DEVICE_TOKEN_DAYS)).timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def recognise(secret: str, user_id: uuid.UUID, *candidates: str | None) -> uuid.UUID | None:
    """The device id of the first candidate that is a valid device token for this account."""
    for token in candidates:
        if token:
            device = _device_id(secret, user_id, token)
            if device is not None:
                return device
    return None


def _device_id(secret: str, user_id: uuid.UUID, token: str) -> uuid.UUID | None:
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                             options={"require": ["exp", "iat", "sub", "jti", "typ"]})
        if payload["typ"] != _TYPE or payload["sub"] != str(user_id):
            return None
        return uuid.UUID(payload["jti"])
    except (jwt.InvalidTokenError, ValueError, TypeError, KeyError):
        return None
