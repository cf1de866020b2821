from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["DemoProjectOut"]


class DemoProjectOut(BaseModel):
    created: bool = Field(description="true when this call made the demo project")
    reason: Literal["created", "has-projects", "turned-off"] = Field(
        description="created; has-projects: the account already has a project (the demo "
                    "is for a first sign-in only); turned-off: DEMO_PROJECT=0")
    project_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = Field(
        default=None, description="the composition session writing the demo's music")
