"""Account use cases. Services never commit: the request edge does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.auth import passwords, revocation, tokens
from ariaforge.auth.repository import RefreshTokenRepository, UserRepository
from ariaforge.auth.schemas import LoginRequest, RegisterRequest, TokenPair
from ariaforge.auth.tokens import TokenClaims, TokenType
from ariaforge.config import Settings
from ariaforge.core import ratelimit
from ariaforge.core.errors import AuthenticationFailed, Conflict, ValidationFailed
from ariaforge.models import RefreshToken, User

REGISTRATIONS_PER_IP_PER_HOUR = 20


class RefreshTokenReused(AuthenticationFailed):
    keep_changes = True  # the family revocation must be committed despite the 401

    def __init__(self) -> None:
        super().__init__("refresh token already used; session revoked")


@dataclass
class AuthContext:
    session: AsyncSession
    redis: Redis
    settings: Settings
    secret_key: str
    client_ip: str


async def register(ctx: AuthContext, request: RegisterRequest) -> User:
    email = request.email.lower()
    problems = passwords.policy_violations(request.password, email)
    if problems:
        raise ValidationFailed("password does not meet the policy",
                               [{"loc": ["body", "password"], "msg": f"password {p}",
                                 "type": "password_policy"} for p in problems])
    ip_key = ratelimit.limit_key("register-ip", ctx.client_ip)
    await ratelimit.ensure_below(ctx.redis, ip_key, REGISTRATIONS_PER_IP_PER_HOUR,
                                 "registrations from this address")
    users = UserRepository(ctx.session)
    if await users.by_email(email) is not None:
        raise Conflict("an account with this email already exists")
    user = User(email=email, display_name=request.display_name or email.split("@")[0],
                password_hash=await passwords.hash_password(request.password))
    try:
        await users.add(user)
    except IntegrityError:  # a concurrent registration with the same email won
        raise Conflict("an account with this email already exists") from None
    await ratelimit.count_event(ctx.redis, ip_key, 3600)
    return user


async def login(ctx: AuthContext, request: LoginRequest) -> TokenPair:
    email = request.email.lower()
    account_key = ratelimit.limit_key("login-account", email)
    ip_key = ratelimit.limit_key("login-ip", ctx.client_ip)
    settings = ctx.settings
    await ratelimit.ensure_below(ctx.redis, account_key, settings.login_attempts_per_account,
                                 "failed logins for this account")
    await ratelimit.ensure_below(ctx.redis, ip_key, settings.login_attempts_per_ip,
                                 "failed logins from this address")
    user = await UserRepository(ctx.session).by_email(email)
    valid = await passwords.verify_password(user.password_hash if user else None,
                                            request.password)
    if user is None or not valid or not user.is_active:
        await ratelimit.count_event(ctx.redis, account_key, settings.login_window_seconds)
        await ratelimit.count_event(ctx.redis, ip_key, settings.login_window_seconds)
        raise AuthenticationFailed("wrong email or password")
    await ratelimit.reset(ctx.redis, account_key)
    return await _issue_pair(ctx, user.id, family_id=uuid.uuid4())


async def refresh(ctx: AuthContext, refresh_token: str) -> TokenPair:
    claims = tokens.decode(ctx.secret_key, refresh_token, TokenType.REFRESH)
    repository = RefreshTokenRepository(ctx.session)
    stored = await repository.claim(claims.token_id)
    if stored is None or stored.revoked_at is not None:
        raise AuthenticationFailed("refresh token revoked")
    if stored.used_at is not None:
        # Reuse of a rotated token means it leaked: end the whole login session.
        await repository.revoke_family(stored.family_id)
        await revocation.revoke_family(ctx.redis, stored.family_id, stored.expires_at)
        raise RefreshTokenReused
    stored.used_at = datetime.now(UTC)
    user = await UserRepository(ctx.session).by_id(claims.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("account disabled")
    return await _issue_pair(ctx, user.id, family_id=stored.family_id)


async def logout(ctx: AuthContext, access: TokenClaims, refresh_token: str | None) -> None:
    # Validate everything before revoking anything: Redis writes do not roll back with
    # the transaction, so a refused logout must not have half-happened.
    refresh_claims = None
    if refresh_token:
        refresh_claims = tokens.decode(ctx.secret_key, refresh_token, TokenType.REFRESH)
        if refresh_claims.user_id != access.user_id:
            raise AuthenticationFailed("refresh token belongs to another account")
    repository = RefreshTokenRepository(ctx.session)
    lifetime = timedelta(days=ctx.settings.refresh_token_days)
    await repository.revoke_family(access.family_id)
    await revocation.revoke_token(ctx.redis, access)
    await revocation.revoke_family(ctx.redis, access.family_id, datetime.now(UTC) + lifetime)
    if refresh_claims is not None:
        await repository.revoke_family(refresh_claims.family_id)
        await revocation.revoke_family(ctx.redis, refresh_claims.family_id,
                                       refresh_claims.expires_at)


async def _issue_pair(ctx: AuthContext, user_id: uuid.UUID, family_id: uuid.UUID) -> TokenPair:
    access_lifetime = timedelta(minutes=ctx.settings.access_token_minutes)
    access, _ = tokens.encode(ctx.secret_key, user_id, family_id, TokenType.ACCESS,
                              access_lifetime)
    refresh_token, claims = tokens.encode(ctx.secret_key, user_id, family_id,
                                          TokenType.REFRESH,
                                          timedelta(days=ctx.settings.refresh_token_days))
    await RefreshTokenRepository(ctx.session).add(RefreshToken(
        id=claims.token_id, user_id=user_id, family_id=family_id,
        expires_at=claims.expires_at))
    return TokenPair(access_token=access, refresh_token=refresh_token,
                     expires_in=int(access_lifetime.total_seconds()))
