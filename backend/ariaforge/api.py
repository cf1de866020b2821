"""Where the versioned API lives. Routers carry the full prefix themselves so that the
route template seen by metrics and logs is the real path (`/api/v1/projects/{project_id}`)."""

API_PREFIX = "/api/v1"
