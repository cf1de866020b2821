"""Account use cases. Services never commit: the request edge does."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from anyio import to_thread
from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.auth import devices, passwords, revocation, tokens
from ariaforge.auth.repository import RefreshTokenRepository, UserRepository
from ariaforge.auth.schemas import LoginRequest, RegisterRequest, TokenPair
from ariaforge.auth.tokens import TokenClaims, TokenType
from ariaforge.config import Settings
from ariaforge.core import ratelimit
from ariaforge.core.errors import AuthenticationFailed, Conflict, ValidationFailed
from ariaforge.core.ratelimit import Bucket
from ariaforge.models import RefreshToken, User

logger = logging.getLogger(__name__)

REGISTRATION_WINDOW_SECONDS = 3600


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


@dataclass(frozen=True)
class LoginResult:
    tokens: TokenPair
    device_token: str
    device_cookie: str  # the cookie that carries `device_token` for browsers


async def register(ctx: AuthContext, request: RegisterRequest) -> User:
    email = request.email.lower()
    # Up to ~30 ms of pure Python for a hostile 128-character password: off the event loop.
    problems = await to_thread.run_sync(passwords.policy_violations, request.password, email,
                                        request.display_name or "")
    if problems:
        raise ValidationFailed("password does not meet the policy",
                               [{"loc": ["body", "password"], "msg": f"password {p}",
                                 "type": "password_policy"} for p in problems])
    # Every attempt that gets as far as the e-mail counts, taken or not: "already exists"
    # tells whether an e-mail has an account (ADR 0020), so each answer must cost a slot.
    await ratelimit.reserve(ctx.redis, [Bucket(
        ratelimit.limit_key("register-ip", ratelimit.address_subject(ctx.client_ip)),
        ctx.settings.registration_attempts_per_ip, "sign-ups from this address")],
        REGISTRATION_WINDOW_SECONDS)
    users = UserRepository(ctx.session)
    existing = await users.by_email(email)
    if existing is not None:
        # No mail server to tell the owner; the operator's log shows it (no e-mail in it).
        logger.info("sign-up refused: the e-mail has an account",
                    extra={"user_id": str(existing.id)})
        raise Conflict("an account with this email already exists")
    user = User(email=email, display_name=request.display_name or email.split("@")[0],
                password_hash=await passwords.hash_password(request.password, ctx.settings))
    try:
        await users.add(user)
    except IntegrityError:  # a concurrent registration with the same email won
        raise Conflict("an account with this email already exists") from None
    return user


async def login(ctx: AuthContext, request: LoginRequest,
                cookies: Mapping[str, str]) -> LoginResult:
    """Check the password, at most the limits' worth of times per window however many
    requests arrive at once: a slot is reserved before Argon2 runs and handed back only
    when the password was right.

    A client that logged in to this account before (a device token, ADR 0020) is limited
    on its own; every other client is limited per address and per account.
    """
    email = request.email.lower()
    user = await UserRepository(ctx.session).by_email(email)
    device = None
    if user is not None:
        device = devices.recognise(ctx.secret_key, user.id, request.device_token,
                                   cookies.get(devices.cookie_name(ctx.secret_key, user.id)))
    buckets = _login_buckets(ctx, email, device)
    await ratelimit.reserve(ctx.redis, buckets, ctx.settings.login_window_seconds)
    valid = await passwords.verify_password(user.password_hash if user else None,
                                            request.password, ctx.settings)
    if user is None or not valid or not user.is_active:
        raise AuthenticationFailed("wrong email or password")  # the slots stay taken
    if device is None:
        await ratelimit.release(ctx.redis, buckets)
    else:
        await ratelimit.reset(ctx.redis, buckets[0].key)  # the owner's typos are forgiven
    pair = await _issue_pair(ctx, user.id, family_id=uuid.uuid4())
    pair.device_token = devices.issue(ctx.secret_key, user.id, device)
    return LoginResult(tokens=pair, device_token=pair.device_token,
                       device_cookie=devices.cookie_name(ctx.secret_key, user.id))


def _login_buckets(ctx: AuthContext, email: str, device: uuid.UUID | None) -> list[Bucket]:
    settings = ctx.settings
    if device is not None:
        return [Bucket(ratelimit.limit_key("login-device", str(device)),
                       settings.login_attempts_per_account, "failed logins from this device")]
    address = ratelimit.address_subject(ctx.client_ip)
    return [Bucket(ratelimit.limit_key("login-ip", address), settings.login_attempts_per_ip,
                   "failed logins from this address"),
            # Keyed by the e-mail whether or not it has an account, so a 429 reveals nothing.
            Bucket(ratelimit.limit_key("login-account", email),
                   settings.login_attempts_per_account, "failed logins for this account")]


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
