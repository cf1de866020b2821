"""The base of every request body: an unknown field is a client's mistake, answered 422,
never silently dropped (a misspelt `tempo` must not look like a no-op)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
