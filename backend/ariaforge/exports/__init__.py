"""Mix settings, audio exports (as background jobs) and previews of a project's score."""
