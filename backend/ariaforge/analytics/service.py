"""Project analytics from the rows the other domains keep: a handful of aggregate queries,
nothing stored of its own besides the live-editing visits (collab/visits.py).

- renders: succeeded export and preview jobs, job start to end (`jobs.started_at` ..
  `finished_at`; a retried job counts its last attempt);
- revisions: the score's revision counter less its creation; versions: history rows;
  per person and per day: the versions they authored (close edits coalesce into one);
- collaboration hours: collab_visits, each from its start to its end (or, still open or
  left by a process that died, its last heartbeat); one person's overlapping visits
  (two replicas) are merged first, then people are added up (person-hours);
- exports: exports whose files were produced, by format;
- compositions: AI sessions that delivered a version; AI operations: sessions requested.
Days are UTC days; a visit counts on the day it started.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.analytics.schemas import (
    Contributor,
    DayStats,
    ExportStats,
    ProjectAnalytics,
    RenderStats,
)
from ariaforge.composer.operations import Operation
from ariaforge.exports.service import EXPORT_JOB, PREVIEW_JOB
from ariaforge.membership.access import authorize
from ariaforge.models import User

RENDER_KINDS: Final = [EXPORT_JOB, PREVIEW_JOB]
TOP_CONTRIBUTORS: Final = 10
HOURS: Final = 3600.0

_RENDERS = """
SELECT started_at, finished_at FROM jobs
WHERE project_id = :project AND kind = ANY(:kinds) AND status = 'succeeded'
  AND started_at IS NOT NULL AND finished_at IS NOT NULL
"""

_TOTALS = text(f"""
WITH renders AS ({_RENDERS})
SELECT
  (SELECT count(*) FROM renders) AS renders,
  (SELECT coalesce(sum(extract(epoch FROM finished_at - started_at)), 0) FROM renders)
    AS render_seconds,
  (SELECT extract(epoch FROM finished_at - started_at) FROM renders
   ORDER BY finished_at DESC LIMIT 1) AS last_seconds,
  (SELECT max(finished_at) FROM renders) AS last_at,
  (SELECT revision FROM project_scores WHERE project_id = :project) AS revision,
  (SELECT count(*) FROM score_versions WHERE project_id = :project) AS versions,
  (SELECT count(*) FROM composition_sessions
   WHERE project_id = :project AND result_version IS NOT NULL) AS compositions,
  (SELECT count(*) FROM collab_visits WHERE project_id = :project) AS live_sessions
""")  # noqa: S608 (constants only)

_BY_KIND = text("""
SELECT 'export' AS what, coalesce(options ->> 'format', '') AS kind, count(*) AS n
FROM exports WHERE project_id = :project AND finished_at IS NOT NULL GROUP BY 2
UNION ALL
SELECT 'operation', operation, count(*) FROM composition_sessions
WHERE project_id = :project GROUP BY 2
""")

# Day by day since :since (UTC).
_SERIES = text(f"""
SELECT 'revisions' AS metric, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
FROM score_versions
WHERE project_id = :project AND reason <> 'created' AND created_at >= :since GROUP BY 2
UNION ALL
SELECT 'exports', (finished_at AT TIME ZONE 'UTC')::date, count(*) FROM exports
WHERE project_id = :project AND finished_at >= :since GROUP BY 2
UNION ALL
SELECT 'compositions', (created_at AT TIME ZONE 'UTC')::date, count(*)
FROM composition_sessions
WHERE project_id = :project AND result_version IS NOT NULL AND created_at >= :since
GROUP BY 2
UNION ALL
SELECT 'renders', (finished_at AT TIME ZONE 'UTC')::date, count(*)
FROM ({_RENDERS}) AS renders WHERE finished_at >= :since GROUP BY 2
""")  # noqa: S608 (constants only)

# One person's visits that overlap (or touch) are merged into islands, then each island's
# length is summed per person and UTC day of its start.
_VISIT_HOURS = text("""
WITH visits AS (
  SELECT user_id, started_at AS s,
         greatest(coalesce(ended_at, last_seen_at), started_at) AS e
  FROM collab_visits WHERE project_id = :project
), ordered AS (
  SELECT user_id, s, e,
         max(e) OVER (PARTITION BY user_id ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
  FROM visits
), numbered AS (
  SELECT user_id, s, e,
         sum(CASE WHEN reached IS NULL OR s > reached THEN 1 ELSE 0 END)
           OVER (PARTITION BY user_id ORDER BY s, e) AS island
  FROM ordered
), islands AS (
  SELECT user_id, min(s) AS s, max(e) AS e FROM numbered GROUP BY user_id, island
)
SELECT user_id, (s AT TIME ZONE 'UTC')::date AS day, sum(extract(epoch FROM e - s)) AS seconds
FROM islands GROUP BY 1, 2
""")

_CONTRIBUTIONS = text("""
WITH counts AS (
  SELECT author_id AS user_id, count(*) AS revisions, 0 AS ai_operations
  FROM score_versions WHERE project_id = :project AND reason <> 'created' GROUP BY 1
  UNION ALL
  SELECT created_by, 0, count(*) FROM composition_sessions
  WHERE project_id = :project GROUP BY 1
)
SELECT counts.user_id, users.display_name AS name,
       sum(revisions) AS revisions, sum(ai_operations) AS ai_operations
FROM counts LEFT JOIN users ON users.id = counts.user_id
GROUP BY counts.user_id, users.display_name
""")


async def project_analytics(session: AsyncSession, user: User, project_id: uuid.UUID,
                            days: int) -> ProjectAnalytics:
    """Every member (viewers too) may see them; others get 404."""
    await authorize(session, project_id, user)
    today = datetime.now(UTC).date()
    first_day = today - timedelta(days=days - 1)
    since = datetime.combine(first_day, time.min, tzinfo=UTC)
    params: dict[str, Any] = {"project": project_id, "kinds": RENDER_KINDS}
    totals = (await session.execute(_TOTALS, params)).mappings().one()
    exports_by_format: dict[str, int] = {}
    operations = {operation.value: 0 for operation in Operation}
    for row in (await session.execute(_BY_KIND, params)).mappings():
        target = exports_by_format if row["what"] == "export" else operations
        target[row["kind"]] = int(row["n"])
    per_day: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in (await session.execute(_SERIES, {**params, "since": since})).mappings():
        per_day[row["day"]][row["metric"]] = int(row["n"])
    hours_by_user: dict[uuid.UUID | None, float] = defaultdict(float)
    for row in (await session.execute(_VISIT_HOURS, params)).mappings():
        hours = float(row["seconds"]) / HOURS
        hours_by_user[row["user_id"]] += hours
        if row["day"] >= first_day:
            per_day[row["day"]]["collaboration_hours"] += hours
    contributors = await _contributors(session, params, hours_by_user)
    return ProjectAnalytics(
        project_id=project_id,
        render=RenderStats(
            count=int(totals["renders"]), total_seconds=float(totals["render_seconds"]),
            last_seconds=(None if totals["last_seconds"] is None
                          else float(totals["last_seconds"])),
            last_at=totals["last_at"]),
        revisions=max(int(totals["revision"] or 1) - 1, 0),
        versions=int(totals["versions"]),
        collaboration_hours=sum(hours_by_user.values()),
        live_sessions=int(totals["live_sessions"]),
        exports=ExportStats(count=sum(exports_by_format.values()), by_format=exports_by_format),
        compositions=int(totals["compositions"]),
        ai_operations=operations,
        contributors=contributors,
        series=[_day(first_day + timedelta(days=offset), per_day)
                for offset in range(days)])


def _day(day: date, per_day: dict[date, dict[str, float]]) -> DayStats:
    values = per_day.get(day, {})
    return DayStats(date=day, revisions=int(values.get("revisions", 0)),
                    exports=int(values.get("exports", 0)),
                    compositions=int(values.get("compositions", 0)),
                    renders=int(values.get("renders", 0)),
                    collaboration_hours=float(values.get("collaboration_hours", 0.0)))


async def _contributors(session: AsyncSession, params: dict[str, Any],
                        hours_by_user: dict[uuid.UUID | None, float]) -> list[Contributor]:
    found: dict[uuid.UUID | None, Contributor] = {}
    for row in (await session.execute(_CONTRIBUTIONS, params)).mappings():
        found[row["user_id"]] = Contributor(
            user_id=row["user_id"], name=row["name"] or "",
            revisions=int(row["revisions"]), ai_operations=int(row["ai_operations"]),
            collaboration_hours=hours_by_user.get(row["user_id"], 0.0))
    missing = [key for key in hours_by_user if key not in found and key is not None]
    names: dict[uuid.UUID, str] = {}
    if missing:
        names = {user.id: user.display_name for user in await session.scalars(
            select(User).where(User.id.in_(missing)))}
    for key, hours in hours_by_user.items():
        if key not in found:
            found[key] = Contributor(user_id=key, name=names.get(key, "") if key else "",
                                     revisions=0, ai_operations=0, collaboration_hours=hours)
    ranked = sorted(found.values(), key=lambda c: (
        -(c.revisions + c.ai_operations), -c.collaboration_hours, c.name,
        str(c.user_id or "")))
    return ranked[:TOP_CONTRIBUTORS]
