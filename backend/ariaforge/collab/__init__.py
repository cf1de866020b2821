"""Live co-editing: a project's score as a Yjs document, shared over the y-websocket
protocol (docs/collaboration.md, ADR 0024)."""
