"""Operations: liveness, readiness, Prometheus metrics, offline API docs, the start page."""
