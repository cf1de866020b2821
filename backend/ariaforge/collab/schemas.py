from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ariaforge.models import ProjectRole


class CollabTicketOut(BaseModel):
    ticket: str = Field(description="Single use; pass it as `?ticket=` when opening the "
                                    "WebSocket at `path`. Never log or store it.")
    expires_at: datetime = Field(description="After this the WebSocket refuses it (4001).")
    role: ProjectRole = Field(description="Your role: viewers may read, not change.")
    path: str = Field(description="The WebSocket path of the live document.",
                      examples=["/api/v1/projects/7c1f…/collab"])
