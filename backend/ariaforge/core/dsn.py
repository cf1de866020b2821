"""Database URLs as libpq reads them: shared by LangGraph's saver and the migration check,
without loading either's libraries."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def libpq_url(url: str) -> str:
    """`DATABASE_URL` as libpq reads it: SQLAlchemy's `+driver` suffix removed."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "postgres":
        scheme = "postgresql"
    # asyncpg spells libpq's `sslmode` as `ssl` (see core.db.async_database_url).
    query = [("sslmode" if key == "ssl" else key, value) for key, value in parse_qsl(parts.query)]
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
