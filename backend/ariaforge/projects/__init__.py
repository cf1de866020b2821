"""Projects and their members (owner, editor, viewer)."""
