"""Per-connection limits and the close codes of the collaboration socket."""

from __future__ import annotations

import time
from typing import Final

# Close codes (docs/collaboration.md). 4xxx are ours; the 1xxx ones are RFC 6455's.
GOING_AWAY: Final = 1001  # server shutdown or restart
MESSAGE_TOO_BIG: Final = 1009
TRY_AGAIN_LATER: Final = 1013  # a backing service (PostgreSQL, Redis) is unavailable
TICKET_REFUSED: Final = 4001  # missing, invalid, expired, used, or for another project
NOT_ALLOWED: Final = 4003  # no longer a member
PROJECT_NOT_FOUND: Final = 4004
ROOM_FULL: Final = 4013
TOO_MANY_MESSAGES: Final = 4029
MALFORMED: Final = 4400
# The stored score breaks one of today's limits (stored before them): it cannot go live
# until an earlier version is restored or a corrected score PUT, as every read path says.
SCORE_UNUSABLE: Final = 4422
INTERNAL_ERROR: Final = 1011

# An awareness state (presence: who, selection, playhead) is small; more is refused.
MAX_AWARENESS_STATE_BYTES: Final = 4096
# Messages waiting to be written to one socket; a client that falls further behind is
# closed (1013) rather than letting the server's memory grow without bound.
MAX_OUTBOX: Final = 10_000


class TokenBucket:
    """`rate` messages a second on average, bursts of up to `burst`."""

    __slots__ = ("burst", "rate", "tokens", "updated")

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
