"""Argon2id hashing (run off the event loop) and the password policy.

New hashes use the cost in the settings (`PASSWORD_HASH_TIME_COST`/`_MEMORY_KIB`). A hash
records the cost it was made with and is verified at that cost, so hashes made before a
change keep working; they are not re-hashed at login, and keep their old cost until the
password itself changes.
"""

from __future__ import annotations

import asyncio
import base64
import re
import weakref
from functools import lru_cache

from anyio import CapacityLimiter, to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ariaforge.auth import strength
from ariaforge.config import Settings

MIN_LENGTH = 10
# Argon2 cost grows with input; a cap stops a megabyte "password" from being a DoS.
MAX_LENGTH = 128
MIN_DISTINCT_CHARACTERS = 5
ADVICE = ("avoid common words, names, years, keyboard patterns and look-alike swaps such as "
          "@ for a; three or four unrelated words make a strong password")



def policy_violations(password: str, email: str = "", display_name: str = "") -> list[str]:
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        return [*problems, f"must be at most {MAX_LENGTH} characters"]  # not worth estimating
    if "\x00" in password:
        problems.append("must not contain NUL characters")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(f"must use at least {MIN_DISTINCT_CHARACTERS} different characters")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 3 and local_part in password.lower():
        problems.append("must not contain your email name")
    estimate = strength.estimate(password, _personal_words(email, display_name))
    if estimate.weak:
        problems.append(_weakness(estimate))
    return problems


def _personal_words(email: str, display_name: str) -> list[str]:
    """Words an attacker who targets this person tries first: e-mail parts, name, app."""
    local_part, _, domain = email.lower().partition("@")
    pieces = re.split(r"[^0-9a-z]+", f"{local_part} {domain} {display_name.lower()}")
    return [local_part, *pieces, "ariaforge"]


def _weakness(estimate: strength.Estimate) -> str:
    kinds = list(dict.fromkeys(piece.kind for piece in estimate.pieces))
    found = f" (it is built from {', '.join(kinds)})" if kinds else ""
    return f"is too easy to guess{found}: {ADVICE}"


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hasher(settings: Settings) -> PasswordHasher:
    """Argon2id at the configured cost (parallelism, lengths: the library's defaults)."""
    return _hasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


@lru_cache(maxsize=4)
def _dummy(time_cost: int, memory_kib: int) -> str:
    parameters = _hasher(time_cost, memory_kib)
    return (f"$argon2id$v=19$m={memory_kib},t={time_cost},p={parameters.parallelism}"
            f"${_b64(bytes(parameters.salt_len))}${_b64(bytes(parameters.hash_len))}")


def dummy_hash(settings: Settings) -> str:
    """Verified against when the account does not exist, so that both paths cost the same
    time. Only its cost matters, which it encodes like any hash: written out, not
    computed (that would cost a whole hash when the process starts)."""
    return _dummy(settings.password_hash_time_cost, settings.password_hash_memory_kib)


# One limiter per event loop (anyio binds a limiter to the loop that first uses it).
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary())


def _hash_slots(settings: Settings) -> CapacityLimiter:
    """Caps the hashes running at once, so memory stays PASSWORD_HASHES_AT_ONCE times the
    hash's memory cost whatever the burst; the rest wait their turn."""
    loop = asyncio.get_running_loop()
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = CapacityLimiter(settings.password_hashes_at_once)
    limiter.total_tokens = settings.password_hashes_at_once
    return limiter


async def hash_password(password: str, settings: Settings) -> str:
    return await to_thread.run_sync(hasher(settings).hash, password,
                                    limiter=_hash_slots(settings))


async def verify_password(password_hash: str | None, password: str, settings: Settings) -> bool:
    """Whether `password` matches; at the cost recorded in the hash, whatever the settings."""
    argon2 = hasher(settings)

    def _verify() -> bool:
        try:
            argon2.verify(password_hash or dummy_hash(settings), password)
        except (VerificationError, InvalidHashError):
            return False
        return bool(password_hash)

    return await to_thread.run_sync(_verify, limiter=_hash_slots(settings))
