"""Background jobs: a Redis Streams queue and the worker loop that consumes it."""
