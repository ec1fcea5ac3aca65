"""Niaga: OPOP registry and inter-provincial trade missions."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("niaga")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
