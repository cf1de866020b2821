"""The web app (Next.js static export) served by the API itself: one origin, no CORS."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ariaforge.config import ConfigurationError, Settings
from ariaforge.web.static import StaticSite, serve_static_site

# Where `make frontend` builds the export in a source checkout (an installed wheel has
# no such folder, so the default then serves no web app).
REPO_EXPORT = Path(__file__).resolve().parents[3] / "frontend" / "out"


def web_root(settings: Settings) -> Path | None:
    """The export folder to serve, or None. A WEB_DIR set explicitly must be usable."""
    if settings.web_dir is None:
        return REPO_EXPORT if (REPO_EXPORT / "index.html").is_file() else None
    if not settings.web_dir.strip():
        return None
    root = Path(settings.web_dir).expanduser()
    if not (root / "index.html").is_file():
        raise ConfigurationError(
            f"WEB_DIR={settings.web_dir} holds no index.html; build the web app with "
            "`make frontend` or set WEB_DIR to an empty value to serve none")
    return root


def install_web_app(app: FastAPI, settings: Settings) -> bool:
    """Serve the export for paths no route matched; False when there is none to serve."""
    root = web_root(settings)
    if root is None:
        return False
    router = app.router
    router.default = serve_static_site(StaticSite(root), router.default)
    return True
