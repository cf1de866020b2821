from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from ariaforge.auth import devices, service
from ariaforge.auth.deps import AccessClaims, AuthContextDep, CurrentUser
from ariaforge.auth.schemas import (
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    UserOut,
)
from ariaforge.core.routing import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["auth"])


@router.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def register(body: RegisterRequest, ctx: AuthContextDep) -> UserOut:
    """Create an account. The password needs 10+ characters and must not be easy to guess
    (common passwords and words, names, years, keyboard patterns, look-alike swaps)."""
    return UserOut.model_validate(await service.register(ctx, body))


@router.post("/auth/login", response_model=TokenPair)
async def login(body: LoginRequest, ctx: AuthContextDep, request: Request,
                response: Response) -> TokenPair:
    """Exchange email and password for an access token (short) and a refresh token (long).

    Failed logins are limited per client address and per account (429); a client that
    logged in to the account before (its device cookie or `device_token`) is limited on
    its own instead, so others' failures cannot lock it out."""
    result = await service.login(ctx, body, request.cookies)
    response.set_cookie(result.device_cookie, result.device_token,
                        max_age=devices.DEVICE_TOKEN_DAYS * 86400, path=devices.COOKIE_PATH,
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return result.tokens


@router.post("/auth/refresh", response_model=TokenPair)
async def refresh(body: RefreshRequest, ctx: AuthContextDep) -> TokenPair:
    """Rotate: the refresh token is spent and a new pair issued. Reusing a spent one ends
    the whole login session."""
    return await service.refresh(ctx, body.refresh_token)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(claims: AccessClaims, ctx: AuthContextDep,
                 body: LogoutRequest | None = None) -> None:
    """Revoke this access token and its login session's refresh tokens."""
    await service.logout(ctx, claims, body.refresh_token if body else None)


@router.get("/me", response_model=UserOut)
async def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)
