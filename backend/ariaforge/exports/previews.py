"""Previews in the API process: where a preview is stored, and waiting for the job that
renders it. The rendering itself is the `preview.render` job (tasks.py), in a worker."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.audio.options import MixSettings, RenderOptions
from ariaforge.config import Settings
from ariaforge.core.errors import ValidationFailed
from ariaforge.core.storage import Storage
from ariaforge.exports.repository import PreviewRepository
from ariaforge.models import JobStatus
from ariaforge.music.score import ID_PATTERN, MAX_TRACKS, Score
from ariaforge.queue import events

PREVIEW_OPTIONS = RenderOptions(format="mp3", quality="medium", sample_rate=44100)
# How often a waiting request looks for the finished file besides the job's events
# (an event can be missed; the file is what counts).
CHECK_EVERY_S = 1.0


def sound_of(settings: Settings) -> str:
    """What besides the score and the mix shapes a preview. The API and its workers must
    agree on it; a job carries the API's, and a worker that differs fails it, by name."""
    return json.dumps({"options": PREVIEW_OPTIONS.model_dump(mode="json"),
                       "max_seconds": settings.preview_max_seconds,
                       "soundfont": str(settings.soundfont_path or "")}, sort_keys=True)


# A listener's own mute/solo (query `mute=a,b&solo=c`): at most every track id once.
LISTENER_IDS_MAX_CHARS = MAX_TRACKS * (64 + 1)
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class ListenerMix:
    """What one listener hears: the track ids they muted and soloed, replacing the score's
    flags for their preview only (None: the score's own flags). Mute and solo are a
    listener's state, not the song's, so two people in one project hear what each chose."""

    mute: frozenset[str] | None = None
    solo: frozenset[str] | None = None

    @property
    def overrides(self) -> bool:
        return self.mute is not None or self.solo is not None

    def to_payload(self) -> str:
        """Canonical text for a job's payload ("" without overrides): equal mixes, equal
        text, so a listener's newer preview supersedes only that listener's older one."""
        if not self.overrides:
            return ""
        return json.dumps({name: None if ids is None else sorted(ids) for name, ids in
                           (("mute", self.mute), ("solo", self.solo))}, sort_keys=True)

    @classmethod
    def from_payload(cls, text: Any) -> ListenerMix:
        """The mix a job was asked for; anything unreadable means no overrides."""
        try:
            data = json.loads(text) if isinstance(text, str) and text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}

        def ids(value: Any) -> frozenset[str] | None:
            return frozenset(str(v) for v in value) if isinstance(value, list) else None

        return cls(mute=ids(data.get("mute")), solo=ids(data.get("solo")))


def listener_mix(mute: str | None, solo: str | None) -> ListenerMix:
    """The query's comma-separated ids; an empty value means "none" (not "the score's")."""
    return ListenerMix(mute=_ids(mute, "mute"), solo=_ids(solo, "solo"))


def _ids(raw: str | None, name: str) -> frozenset[str] | None:
    if raw is None:
        return None
    ids = [part.strip() for part in raw.split(",")] if raw.strip() else []
    bad = [i for i in ids if not _ID.fullmatch(i)]
    if bad:
        message = f"{name} must be track ids separated by commas"
        raise ValidationFailed(message, [{"loc": ["query", name], "msg": message,
                                          "type": "track_ids", "input": bad[0][:64]}])
    return frozenset(ids)


def for_listener(score: Score, listener: ListenerMix, *, strict: bool = True) -> Score:
    """The score with the listener's mute/solo in place of its own. `strict`: an id that
    is not a track of this score is a 422 (the API); otherwise it is ignored (a worker
    rendering after a track was deleted renders what the request would now get)."""
    if not listener.overrides:
        return score
    known = {track.id for track in score.tracks}
    if strict:
        for name, ids in (("mute", listener.mute), ("solo", listener.solo)):
            unknown = sorted((ids or frozenset()) - known)
            if unknown:
                message = f"{name} names tracks this score does not have: {', '.join(unknown)}"
                raise ValidationFailed(message, [{"loc": ["query", name], "msg": message,
                                                  "type": "unknown_track",
                                                  "input": unknown[:MAX_TRACKS]}])
    tracks = [track.model_copy(update={
        "mute": track.mute if listener.mute is None else track.id in listener.mute,
        "solo": track.solo if listener.solo is None else track.id in listener.solo})
        for track in score.tracks]
    return score.model_copy(update={"tracks": tracks})


def preview_key(project_id: uuid.UUID, score: Score, mix: MixSettings,
                settings: Settings) -> str:
    """Content-addressed: the same score, mix and sound produce the same key (a
    listener's mute/solo is part of the score passed here, so each mix has its own)."""
    material = json.dumps({"score": score.model_dump(mode="json"),
                           "mix": mix.model_dump(mode="json"),
                           "sound": sound_of(settings)}, sort_keys=True)
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return f"previews/{project_id}/{digest}.mp3"


@dataclass(frozen=True)
class Waited:
    """How a wait for a preview ended: `stored` (the file is there to serve), or not,
    with the job's final status when it finished without storing it."""

    stored: bool
    failed: str | None = None


async def wait_for_preview(storage: Storage, redis: Redis,
                           sessionmaker: async_sessionmaker[AsyncSession], job_id: uuid.UUID,
                           key: str, wait_s: float) -> Waited:
    """Until the file at `key` exists, the job ends without it, or `wait_s` runs out.
    The deadline is checked between steps, never by cancelling one: a database query
    cut off mid-flight would cost its pooled connection."""
    deadline = asyncio.get_running_loop().time() + wait_s
    async with events.subscription(redis, job_id) as job_events:
        while True:
            if await storage.size(key) is not None:
                return Waited(stored=True)
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return Waited(stored=False)
            event = await job_events.next(min(CHECK_EVERY_S, left))
            if job_events.finished or (event is None and await _finished(
                    sessionmaker, job_id)):
                if await storage.size(key) is not None:
                    return Waited(stored=True)
                status = (event or {}).get("status") or await _status(sessionmaker, job_id)
                # Succeeded without this file: the score changed while it waited.
                return Waited(stored=False, failed=None if status == JobStatus.SUCCEEDED.value
                              else str(status))


async def _status(sessionmaker: async_sessionmaker[AsyncSession],
                  job_id: uuid.UUID) -> str | None:
    async with sessionmaker() as session:
        job = await PreviewRepository(session).job(job_id)
        return job.status if job else None


async def _finished(sessionmaker: async_sessionmaker[AsyncSession], job_id: uuid.UUID) -> bool:
    """The job row's word when no event came: events can be missed, the row cannot."""
    status = await _status(sessionmaker, job_id)
    return status is None or status not in (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


async def permanent_failure(sessionmaker: async_sessionmaker[AsyncSession],
                            job_id: uuid.UUID) -> str | None:
    """Why the job failed, when trying again cannot help: it failed before using up its
    attempts, which only a permanent error does (a transient one is retried)."""
    async with sessionmaker() as session:
        job = await PreviewRepository(session).job(job_id)
    if job is None or job.status != JobStatus.FAILED.value or job.attempts >= job.max_attempts:
        return None
    return (job.error or "the render failed")[:300]
