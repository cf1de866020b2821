"""Every job kind the product has, registered by importing the modules that define them."""

from __future__ import annotations

from ariaforge.queue.registry import HANDLERS, Handler


def all_handlers() -> dict[str, Handler]:
    # Imported here, not at module level: the export handler pulls in the audio stack,
    # which the API process does not need to load for most requests.
    import ariaforge.exports.tasks  # registers export.render and preview.render
    import ariaforge.sessions.tasks  # noqa: F401 - registers compose.run

    return HANDLERS
