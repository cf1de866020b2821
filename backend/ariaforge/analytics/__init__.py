"""Project analytics: renders, revisions, collaboration hours, exports, compositions and AI
operations, from the rows the other domains already keep."""
