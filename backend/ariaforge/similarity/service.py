"""Originality check, search by phrase and find similar: a query's windows
(`music.similarity`) against the stored ones the caller may see, the nearest candidates
from the HNSW index re-ranked by note alignment, the best match kept per source.

Deciding: only melody windows of at least 4 bars (or a whole phrase) decide `is_safe`;
2-bar figures and harmony are reported but common enough not to be copying."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import NotFound
from ariaforge.membership.access import authorize
from ariaforge.models import User
from ariaforge.music.score import Score
from ariaforge.music.similarity import (
    Window,
    align,
    align_harmony,
    phrase_window,
    recommend,
    score_windows,
)
from ariaforge.music.similarity.reference import load_reference, reference_version
from ariaforge.scores import service as scores
from ariaforge.scores.repository import ScoreRepository
from ariaforge.similarity import repository as repo
from ariaforge.similarity.schemas import (
    Bars,
    CheckResult,
    Match,
    NoteOut,
    Query,
    Recommendation,
    ReferenceStatus,
    ReferenceSummary,
    Scope,
    SimilarityStatus,
    SimilarProject,
    SimilarProjects,
    Source,
)

# Nearest stored windows per query window, before re-ranking (several windows of one
# source are often among them: only the nearest of each source counts).
# Alignment costs 4-12 ms a pair (music.similarity.align), so only the nearest few
# sources of each query window are aligned, and at most MAX_RERANKED pairs in all.
CANDIDATES_PER_WINDOW = 24
SOURCES_PER_WINDOW = 6  # (source, window size) pairs aligned per query window
# A search of one phrase looks further: it costs one index scan.
PHRASE_CANDIDATES = 96
MAX_RERANKED = 300
DECIDING_BARS = 4
MAX_RECOMMENDATIONS = 10


@dataclass(frozen=True)
class Scored:
    """A candidate after re-ranking."""

    window: Window
    candidate: repo.Candidate
    score: float
    transposition: int

    @property
    def deciding(self) -> bool:
        return deciding(self.window)

    @property
    def source_key(self) -> tuple[str, str]:
        c = self.candidate
        return (("reference", c.reference_tune_id) if c.reference_tune_id is not None
                else ("project", str(c.project_id)))


def deciding(window: Window) -> bool:
    return window.kind == "melody" and (window.bars == 0 or window.bars >= DECIDING_BARS)


# --- the reference corpus's state -------------------------------------------------------------

@lru_cache(maxsize=8)
def expected_tunes(limit: int | None) -> int:
    """How many tunes a complete ingest stores under REFERENCE_CORPUS_LIMIT `limit`."""
    if limit == 0:
        return 0
    return len(load_reference(limit))


@lru_cache(maxsize=1)
def shipped_version() -> str:
    return reference_version()


async def reference_status(session: AsyncSession, limit: int | None, *,
                           windows: bool = False) -> ReferenceStatus:
    tunes, stored, versions = await repo.reference_counts(session, windows=windows)
    expected = await to_thread.run_sync(expected_tunes, limit)
    version = versions[0] if len(versions) == 1 else None
    ready = tunes == expected and (tunes == 0 or version == shipped_version())
    return ReferenceStatus(tunes=tunes, windows=stored, version=version, ready=ready)


async def status(session: AsyncSession, limit: int | None, threshold: float) -> SimilarityStatus:
    return SimilarityStatus(reference=await reference_status(session, limit, windows=True),
                            threshold=threshold,
                            indexed_versions=await repo.indexed_versions(session))


# --- queries ----------------------------------------------------------------------------------

async def check_project(session: AsyncSession, user: User, project_id: uuid.UUID,
                        version: int | None, scope: Scope, limit: int, threshold: float,
                        corpus_limit: int | None) -> CheckResult:
    score, version_number = await _score_of(session, user, project_id, version)
    windows = await to_thread.run_sync(score_windows, score)
    query = Query(kind="version" if version is not None else "project",
                  project_id=project_id, version=version_number,
                  notes=sum(len(t.notes) for t in score.tracks))
    return await check_windows(session, user, windows, query, scope, limit, threshold,
                               corpus_limit, exclude=project_id, score=score)


async def check_score(session: AsyncSession, user: User, score: Score, filename: str,
                      scope: Scope, limit: int, threshold: float,
                      corpus_limit: int | None) -> CheckResult:
    windows = await to_thread.run_sync(score_windows, score)
    query = Query(kind="file", filename=filename, notes=sum(len(t.notes) for t in score.tracks))
    return await check_windows(session, user, windows, query, scope, limit, threshold,
                               corpus_limit, score=score)


async def search_phrase(session: AsyncSession, user: User,
                        notes: Sequence[tuple[int, int, int]], scope: Scope, limit: int,
                        threshold: float, corpus_limit: int | None, *,
                        kind: str = "phrase", filename: str | None = None,
                        windows: list[Window] | None = None) -> CheckResult:
    if windows is None:
        window = phrase_window(sorted(notes, key=lambda n: (n[1], -n[0])))
        windows = [window] if window is not None else []
    # A phrase with no motion to compare (one repeated note) has no window: it matches
    # nothing, which is the answer rather than an error.
    query = Query(kind=kind, filename=filename, notes=len(notes))
    return await check_windows(session, user, windows, query, scope, limit, threshold,
                               corpus_limit)


async def check_windows(session: AsyncSession, user: User, windows: list[Window], query: Query,
                        scope: Scope, limit: int, threshold: float, corpus_limit: int | None,
                        *, exclude: uuid.UUID | None = None,
                        score: Score | None = None) -> CheckResult:
    scored = await ranked(session, user, windows, scope, exclude)
    best = max((s.score for s in scored if s.deciding), default=0.0)
    matches = await _matches(session, best_per_source(scored)[:limit])
    reference = await reference_status(session, corpus_limit)
    return CheckResult(
        is_safe=best < threshold, threshold=threshold, score=round(best, 4), query=query,
        matches=matches, recommendations=recommendations(scored, threshold, score),
        reference=ReferenceSummary(tunes=reference.tunes, ready=reference.ready))


async def similar_projects(session: AsyncSession, user: User, project_id: uuid.UUID,
                           limit: int) -> SimilarProjects:
    score, _ = await _score_of(session, user, project_id, None)
    windows = await to_thread.run_sync(score_windows, score)
    scored = await ranked(session, user, windows, Scope.PROJECTS, project_id)
    by_project: dict[uuid.UUID, list[Scored]] = {}
    for item in sorted(scored, key=lambda s: -s.score):
        if item.candidate.project_id is not None:
            by_project.setdefault(item.candidate.project_id, []).append(item)
    order = sorted(by_project.items(), key=lambda kv: -kv[1][0].score)[:limit]
    names = await repo.project_names(session, [p for p, _ in order])
    items = []
    for project, found in order:
        seen: set[tuple[str | None, int, int]] = set()
        top: list[Scored] = []
        for item in found:  # the best few, each from a different place of the query
            place = (item.window.track_id, item.window.start_bar, item.window.bars)
            if place not in seen:
                seen.add(place)
                top.append(item)
            if len(top) == 3:
                break
        items.append(SimilarProject(
            project_id=project, name=names.get(project, ""), score=round(found[0].score, 4),
            version=found[0].candidate.version_number, matches=await _matches(session, top)))
    return SimilarProjects(items=items)


async def ranked(session: AsyncSession, user: User | None, windows: list[Window], scope: Scope,
                 exclude: uuid.UUID | None = None, *,
                 k: int | None = None) -> list[Scored]:
    """Every candidate the caller may see, re-ranked by alignment (highest first)."""
    projects: list[uuid.UUID] = []
    if scope is not Scope.REFERENCE and user is not None:
        projects = await repo.readable_projects(session, user.id, exclude)
    candidates = await repo.nearest(
        session, [repo.QueryWindow(w.kind, w.bars, w.embedding) for w in windows],
        reference=scope is not Scope.PROJECTS, projects=projects,
        k=k or (PHRASE_CANDIDATES if len(windows) <= 2 else CANDIDATES_PER_WINDOW))
    return await to_thread.run_sync(rerank, windows, candidates)


def rerank(windows: Sequence[Window], candidates: Sequence[repo.Candidate]) -> list[Scored]:
    nearest: dict[tuple[int, str, int], repo.Candidate] = {}
    for c in candidates:  # the nearest window of each source, per query window
        # Per window size too: a phrase is often nearest to a short window of a source
        # but contained whole only in its longer one, which alignment then finds.
        key = (c.query, c.reference_tune_id or str(c.project_id), c.bars)
        if key not in nearest or c.distance < nearest[key].distance:
            nearest[key] = c
    per_window: dict[int, list[repo.Candidate]] = {}
    for c in sorted(nearest.values(), key=lambda c: c.distance):
        per_window.setdefault(c.query, []).append(c)
    # Few query windows (a phrase): each may have more of its candidates aligned.
    cap = min(60, max(SOURCES_PER_WINDOW, MAX_RERANKED // max(1, len(windows))))
    chosen = sorted((c for found in per_window.values() for c in found[:cap]),
                    key=lambda c: c.distance)[:MAX_RERANKED]
    out = []
    for c in chosen:
        window = windows[c.query]
        if window.kind == "melody":
            match_notes = [(int(n[0]), int(n[1]), int(n[2])) for n in c.notes]
            alignment = align(window.notes, match_notes)
            out.append(Scored(window, c, float(alignment.score), alignment.transposition))
        else:
            labels = [str(n[3]) for n in c.notes if len(n) > 3]
            out.append(Scored(window, c, float(align_harmony(window, labels)), 0))
    out.sort(key=lambda s: (-s.score, -s.window.bars))
    return out


def best_per_source(scored: Sequence[Scored]) -> list[Scored]:
    """The highest-scoring match of each source (a tune, a project), best first; a
    deciding match wins a tie."""
    best: dict[tuple[str, str], Scored] = {}
    for item in scored:
        key = item.source_key
        if key not in best or (item.score, item.deciding) > (best[key].score,
                                                            best[key].deciding):
            best[key] = item
    return sorted(best.values(), key=lambda s: (-s.score, not s.deciding))


def recommendations(scored: Sequence[Scored], threshold: float,
                    score: Score | None) -> list[Recommendation]:
    """The bars of each line that decide `is_safe` against it, merged where they overlap
    (`music.similarity.recommend`)."""
    flagged = [(s.window, s.score) for s in scored if s.deciding and s.score >= threshold]
    out = [Recommendation(
        start_bar=r.start_bar, bars=r.bars, track_id=r.track_id,
        section=_section(score, r.start_bar),
        message=(f"bars {r.start_bar}-{r.start_bar + r.bars - 1} of "
                 f"{r.track_name or 'the melody'} follow an existing melody closely "
                 f"({round(100 * r.score)}%); vary them"))
        for r in recommend(flagged)]
    return out[:MAX_RECOMMENDATIONS]


def _section(score: Score | None, bar: int) -> str | None:
    if score is None:
        return None
    return next((s.name for s in score.sections if s.start_bar <= bar < s.end_bar), None)


async def _matches(session: AsyncSession, items: Sequence[Scored]) -> list[Match]:
    tunes = await repo.reference_titles(
        session, [s.candidate.reference_tune_id for s in items
                  if s.candidate.reference_tune_id is not None])
    names = await repo.project_names(
        session, [s.candidate.project_id for s in items if s.candidate.project_id is not None])
    return [_match(s, tunes, names) for s in items]


def _match(item: Scored, tunes: dict[str, tuple[str, str]],
           names: dict[uuid.UUID, str]) -> Match:
    c, w = item.candidate, item.window
    if c.reference_tune_id is not None:
        title, licence = tunes.get(c.reference_tune_id, ("", ""))
        source = Source(type="reference", id=c.reference_tune_id, title=title,
                        licence=licence or None)
    else:
        source = Source(type="project", id=str(c.project_id),
                        title=names.get(c.project_id, "") if c.project_id else "",
                        project_id=c.project_id, version=c.version_number)
    return Match(
        score=round(min(1.0, max(0.0, item.score)), 4), kind=w.kind,
        source=source,
        query_bars=Bars(start_bar=w.start_bar, bars=w.bars, track_id=w.track_id,
                        track_name=w.track_name),
        match_bars=Bars(start_bar=c.start_bar, bars=c.bars, track_id=c.track_id,
                        track_name=c.track_name),
        query_notes=[NoteOut(pitch=p, start=s, duration=d) for p, s, d in w.notes],
        match_notes=[NoteOut(pitch=int(n[0]), start=int(n[1]), duration=int(n[2]))
                     for n in c.notes],
        labels=list(w.labels) if w.kind == "harmony" else [],
        transposition=item.transposition)


async def _score_of(session: AsyncSession, user: User, project_id: uuid.UUID,
                    version: int | None) -> tuple[Score, int | None]:
    if version is None:
        loaded = await scores.get_score(session, user, project_id)
        return loaded.score, loaded.row.revision
    await authorize(session, project_id, user)
    found = await ScoreRepository(session).version(project_id, version)
    if found is None:
        raise NotFound("no such version of this project")
    return scores.stored_score(found[0].data, f"version {version}"), version


# --- the composer's guard ---------------------------------------------------------------------

@dataclass(frozen=True)
class Originality:
    is_safe: bool
    score: float
    reference_tunes: int

    def as_json(self, attempts: int) -> dict[str, Any]:
        return {"is_safe": self.is_safe, "score": round(self.score, 4), "attempts": attempts,
                "reference_tunes": self.reference_tunes}


async def reference_originality(session: AsyncSession, score: Score,
                                threshold: float) -> Originality:
    """How close the score's melody comes to the reference corpus: its deciding melody
    windows, all in one search statement."""
    windows = [w for w in await to_thread.run_sync(score_windows, score) if deciding(w)]
    scored = await ranked(session, None, windows, Scope.REFERENCE, k=8)
    best = max((s.score for s in scored), default=0.0)
    tunes, _, _ = await repo.reference_counts(session, windows=False)
    return Originality(is_safe=best < threshold, score=best, reference_tunes=tunes)
