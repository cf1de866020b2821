"""Argon2id hashing (run off the event loop) and the minimum password policy."""

from __future__ import annotations

from anyio import to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
# Argon2 cost grows with input; a cap stops a megabyte "password" from being a DoS.
MAX_LENGTH = 128
MIN_DISTINCT_CHARACTERS = 5
_COMMON = frozenset({
    "password", "password1", "password12", "password123", "password1234", "1234567890",
    "12345678910", "qwertyuiop", "iloveyou12", "letmein123", "welcome123", "admin12345",
    "abcdefghij", "0123456789", "qwerty1234", "passw0rd12", "changeme12", "ariaforge1",
    "ariaforge123",
})

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the account does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-timing")


def policy_violations(password: str, email: str = "") -> list[str]:
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append(f"must use at least {MIN_DISTINCT_CHARACTERS} different characters")
    if password.lower() in _COMMON:
        problems.append("is too common")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 3 and local_part in password.lower():
        problems.append("must not contain your email name")
    if "\x00" in password:
        problems.append("must not contain NUL characters")
    return problems


async def hash_password(password: str) -> str:
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def _verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await to_thread.run_sync(_verify)
