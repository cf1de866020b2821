"""The transformer's input and output layout, with no imports, so that training (in its own
environment), export and the bench agree on it. features.py checks it against the app's
token definitions (`ariaforge.composer.model.tokens`)."""

from __future__ import annotations

MAX_INTERVAL = 12
VOCAB = 2 * MAX_INTERVAL + 1  # interval tokens -12..+12 (token = step + 12)
START_TOKEN = VOCAB  # "no previous interval"
# Column order of a feature row and the number of values each takes (embedding sizes).
COLUMNS = ("previous", "strength", "previous_pc", "chord_degree", "chord_quality", "family")
SIZES = (VOCAB + 1, 3, 12, 12, 4, 4)
QUALITIES = ("maj", "min", "dim", "aug")
FAMILIES = ("maj", "min", "dor", "mix")
CONTEXT = 64  # positions the model sees; inference keeps the most recent ones
