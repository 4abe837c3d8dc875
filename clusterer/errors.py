"""Errors the library raises; the CLI turns them into one-line messages."""


class ClustererError(Exception):
    """Base class for every error this library raises on purpose."""


class InputError(ClustererError):
    """An input could not be read (raised only in strict mode; otherwise it is skipped)."""


class EmptyCorpusError(ClustererError):
    """Nothing usable was read from the inputs."""


class ConfigError(ClustererError, ValueError):
    """A setting is out of range or inconsistent."""
