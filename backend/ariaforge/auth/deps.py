"""`CurrentUser`: the account behind the request's bearer access token.

`verified_claims` and `active_user` are the token check itself, shared with the session
WebSocket (`sessions.websocket`), which gets its token another way."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.auth import revocation, tokens
from ariaforge.auth.repository import UserRepository
from ariaforge.auth.service import AuthContext
from ariaforge.auth.tokens import TokenClaims, TokenType
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import AuthenticationFailed
from ariaforge.core.redis import RedisDep
from ariaforge.core.request_limits import count_request
from ariaforge.models import User

_bearer = HTTPBearer(auto_error=False)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def get_auth_context(request: Request, session: SessionDep,
                           redis: RedisDep) -> AuthContext:
    return AuthContext(session=session, redis=redis, settings=request.app.state.settings,
                       secret_key=request.app.state.secret_key, client_ip=client_ip(request))


AuthContextDep = Annotated[AuthContext, Depends(get_auth_context)]


async def get_access_claims(
    request: Request, redis: RedisDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TokenClaims:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed("a bearer access token is required")
    claims = await verified_claims(redis, request.app.state.secret_key, credentials.credentials)
    # Every authenticated request counts against the standard limit (once: FastAPI runs a
    # dependency once per request however many others use it).
    await count_request(request, redis, claims.user_id)
    return claims


AccessClaims = Annotated[TokenClaims, Depends(get_access_claims)]


async def get_current_user(claims: AccessClaims, session: SessionDep) -> User:
    return await active_user(session, claims)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def verified_claims(redis: Redis, secret_key: str, token: str) -> TokenClaims:
    """The claims of an access token that is genuine, unexpired and not revoked; raises
    AuthenticationFailed (or the token's own error) otherwise."""
    claims = tokens.decode(secret_key, token, TokenType.ACCESS)
    if await revocation.is_revoked(redis, claims):
        raise AuthenticationFailed("token revoked")
    return claims


async def active_user(session: AsyncSession, claims: TokenClaims) -> User:
    """The account the claims name, if it still exists and is enabled."""
    user = await UserRepository(session).by_id(claims.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("account not found or disabled")
    return user
