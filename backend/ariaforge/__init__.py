"""AriaForge: open, self-hostable AI music composition."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ariaforge")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
