"""Errors that stand for a user's mistake; the CLI prints them as one line, no traceback."""

from __future__ import annotations


class EvoError(Exception):
    """Base of errors caused by input (config, files, usage) rather than by a bug."""


class ConfigError(EvoError):
    """An experiment config is invalid; the message names the file, line and key path."""


class ProblemNotFound(EvoError):
    """A problem name or ``module:Class`` path does not resolve."""


class RunDirError(EvoError):
    """A run directory is missing, not a run, or already in use."""


class OrderError(EvoError):
    """The ask/tell protocol was used out of order."""
