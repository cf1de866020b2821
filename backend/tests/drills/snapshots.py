"""What a restore must reproduce, read straight from the servers: every table's rows
(count and a checksum of each row, in primary-key order), every sequence, every stored
object's SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

import boto3
import psycopg
from psycopg import sql

from ariaforge.core.dsn import libpq_url

_TABLES = """
SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.relname
"""
_PRIMARY_KEY = """
SELECT a.attname FROM pg_index i
JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = %s AND i.indisprimary ORDER BY k.position
"""
_SEQUENCES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY 1
"""


def database_snapshot(database_url: str) -> dict[str, Any]:
    """{table: (rows, checksum of the rows in primary-key order)} and the sequences."""
    snapshot: dict[str, Any] = {}
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        for oid, table in conn.execute(_TABLES).fetchall():
            keys = [row[0] for row in conn.execute(_PRIMARY_KEY, (oid,)).fetchall()]
            order = (sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(k)) for k in keys)
                     if keys else sql.SQL("t::text"))
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {}), ''))"
                " FROM {} AS t").format(order, sql.Identifier(table))
            row = conn.execute(query).fetchone()
            assert row is not None
            snapshot[table] = (row[0], row[1], bool(keys))
        for (sequence,) in conn.execute(_SEQUENCES).fetchall():
            row = conn.execute(sql.SQL("SELECT last_value, is_called FROM {}").format(
                sql.Identifier(sequence))).fetchone()
            snapshot[f"sequence {sequence}"] = row
    return snapshot


def user_tables(database_url: str) -> list[str]:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        return [str(row[1]) for row in conn.execute(_TABLES).fetchall()]


def objects_snapshot(endpoint: str, bucket: str, prefix: str) -> dict[str, tuple[int, str]]:
    """{key under prefix: (size, sha256)} of every object in the bucket."""
    client = boto3.client("s3", endpoint_url=endpoint)
    found: dict[str, tuple[int, str]] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                   Prefix=f"{prefix}/"):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"][len(prefix) + 1:]] = (len(body), hashlib.sha256(body).hexdigest())
    return found
