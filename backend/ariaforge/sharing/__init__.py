"""Share links: a read-only listen-and-view page of one project for anyone holding the
link's token, without an account (ADR 0027)."""
