"""Share tokens: 256 random bits, kept only as their SHA-256 (a database dump or backup
opens no page), compared by hash lookup so an unknown token and a revoked one look alike."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()
