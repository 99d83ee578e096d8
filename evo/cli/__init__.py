"""The ``evo`` console script.

Problem packages add subcommands (such as ``evo battle``) under the ``evo.commands``
entry-point group as ``name = "module:function"``, where ``function(argv) -> int``.
They are dispatched before the main CLI is imported, so they start fast.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.metadata import PackageNotFoundError, distribution

CORE_COMMANDS = {"run", "resume", "export", "plot", "problems", "--help", "-h"}


def plugin_command(name: str) -> str | None:
    """``module:function`` registered for subcommand ``name``, if any."""
    try:
        eps = distribution("evo").entry_points
    except PackageNotFoundError:
        return None
    return next((ep.value for ep in eps if ep.group == "evo.commands" and ep.name == name), None)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``evo`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in CORE_COMMANDS:
        target = plugin_command(argv[0])
        if target is not None:
            module, _, function = target.partition(":")
            sys.exit(getattr(import_module(module), function)(argv[1:]))
    from evo.cli.app import app

    app(args=argv, prog_name="evo")
