"""A project's score: whole-score and track/note editing, versions, import/export, validation."""
