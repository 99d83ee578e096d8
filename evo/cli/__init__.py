"""The ``evo`` console script.

Subcommands that must start fast (such as ``evo battle``) are dispatched before the main
CLI is imported: this distribution's own are listed in ``BUILTIN_COMMANDS``; other
packages add theirs under the ``evo.commands`` entry-point group as
``name = "module:function"``, where ``function(argv) -> int``.
"""

from __future__ import annotations

import os
import sys

CORE_COMMANDS = {"run", "resume", "export", "plot", "problems", "--help", "-h"}
BUILTIN_COMMANDS = {
    "battle": (
        "problems.corewar.cli:battle_main",
        "Battle Redcode warriors and print what pmars -b prints (evo battle -h for options).",
    ),
}
"""Fast subcommands of this distribution: name -> (``module:function``, one-line help)."""


def plugin_commands() -> dict[str, tuple[str, str]]:
    """Every fast subcommand: the built-in ones and those of installed packages."""
    from importlib.metadata import entry_points

    installed = entry_points(group="evo.commands")
    return {ep.name: (ep.value, f"From {ep.value}.") for ep in installed} | BUILTIN_COMMANDS


def plugin_command(name: str) -> str | None:
    """``module:function`` registered for subcommand ``name``, if any (built-in commands
    are found without reading installed packages' metadata)."""
    if name in BUILTIN_COMMANDS:
        return BUILTIN_COMMANDS[name][0]
    return plugin_commands().get(name, (None,))[0]


def fast_command(argv: list[str]) -> tuple[str, list[str]] | None:
    """``(module:function, its arguments)`` when ``argv`` names a fast subcommand."""
    if argv and argv[0] not in CORE_COMMANDS:
        target = plugin_command(argv[0])
        if target is not None:
            return target, argv[1:]
    return None


def run_fast(target: str, args: list[str]) -> int:
    """Run fast subcommand ``module:function`` on ``args``; its exit status."""
    from importlib import import_module

    module, _, function = target.partition(":")
    try:
        return getattr(import_module(module), function)(args)
    except BrokenPipeError:  # the reader went away, as after `evo battle ... | head -1`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's recipe
        return 1


def main(argv: list[str] | None = None) -> None:
    """Run ``evo`` with ``argv`` (default ``sys.argv[1:]``); exits with its status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    fast = fast_command(argv)
    if fast is not None:
        sys.exit(run_fast(*fast))
    from evo.cli.app import app

    app(args=argv, prog_name="evo")


def console() -> None:
    """The ``evo`` console script: ``main``, except that a built-in fast subcommand ends
    the process without the interpreter's teardown (numpy's alone costs about 10 ms);
    those commands close what they open."""
    argv = sys.argv[1:]
    if not argv or argv[0] not in BUILTIN_COMMANDS:
        main()
        return
    status = run_fast(BUILTIN_COMMANDS[argv[0]][0], argv[1:])
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        status = status or 1
    os._exit(status)
