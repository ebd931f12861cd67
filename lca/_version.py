"""The installed version of ``lca``, for results and reports (no other import of the package)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lca")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
