"""Queue infrastructure: a Redis Streams queue of job ids, job state in PostgreSQL, and
the worker loop that runs registered handlers. It knows no domain: each domain's job
code lives in `<domain>/tasks.py` and the worker's entry point registers it."""
