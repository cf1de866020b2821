"""JWT encoding and decoding (HS256), with a type claim so tokens cannot stand in for each other."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from ariaforge.core.errors import AuthenticationFailed

ALGORITHM = "HS256"
ISSUER = "ariaforge"


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True)
class TokenClaims:
    user_id: uuid.UUID
    token_id: uuid.UUID
    family_id: uuid.UUID
    token_type: TokenType
    expires_at: datetime


def encode(secret: str, user_id: uuid.UUID, family_id: uuid.UUID, token_type: TokenType,
           lifetime: timedelta) -> tuple[str, TokenClaims]:
    now = datetime.now(UTC)
    claims = TokenClaims(user_id=user_id, token_id=uuid.uuid4(), family_id=family_id,
                         token_type=token_type, expires_at=now + lifetime)
    payload = {
        "iss": ISSUER,
        "sub": str(user_id),
        "jti": str(claims.token_id),
        "fam": str(family_id),
        "typ": token_type.value,
        "iat": int(now.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), claims


def decode(secret: str, token: str, expected: TokenType) -> TokenClaims:
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                             options={"require": ["exp", "iat", "sub", "jti", "fam", "typ"]})
        if payload["typ"] != expected.value:
            raise AuthenticationFailed(f"expected a {expected.value} token")
        return TokenClaims(
            user_id=uuid.UUID(payload["sub"]), token_id=uuid.UUID(payload["jti"]),
            family_id=uuid.UUID(payload["fam"]), token_type=expected,
            expires_at=datetime.fromtimestamp(payload["exp"], UTC))
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("token expired") from None
    except (jwt.InvalidTokenError, ValueError, TypeError, KeyError):
        raise AuthenticationFailed("invalid token") from None
