"""Where the versioned API lives. Routers carry the full prefix themselves so that the
route template seen by metrics and logs is the real path (`/api/v1/projects/{project_id}`).

Here rather than in `ariaforge.api`, which includes every router: a router importing its
prefix from there would import the module that imports it.
"""

API_PREFIX = "/api/v1"
