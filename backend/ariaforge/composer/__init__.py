"""The AI composer: from a free-text brief to a score. `brief` reads the request."""
