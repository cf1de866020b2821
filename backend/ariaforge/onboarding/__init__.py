"""First impressions: what a new account starts with (a demo project composing)."""
