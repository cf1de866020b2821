"""Argon2id hashing (run off the event loop) and the password policy."""

from __future__ import annotations

import re

from anyio import to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ariaforge.auth import strength

MIN_LENGTH = 10
# Argon2 cost grows with input; a cap stops a megabyte "password" from being a DoS.
MAX_LENGTH = 128
MIN_DISTINCT_CHARACTERS = 5
ADVICE = ("avoid common words, names, years, keyboard patterns and look-alike swaps such as "
          "@ for a; three or four unrelated words make a strong password")

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the account does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-timing")


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


async def hash_password(password: str) -> str:
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def _verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await to_thread.run_sync(_verify)
