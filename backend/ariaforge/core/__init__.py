"""Infrastructure shared by every domain: database, Redis, errors, logging, metrics, security."""
