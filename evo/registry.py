"""Find problem adapters by registered short name or by ``module:Class`` path.

Problems register under the ``evo.problems`` entry-point group (see
``pyproject.toml``), so a user's package can add its own without touching evo.
"""

from __future__ import annotations

import importlib
import inspect
import sysconfig
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from evo.errors import ConfigError, ProblemNotFound
from evo.problem import Problem

GROUP = "evo.problems"


@lru_cache(maxsize=1)
def registered() -> dict[str, str]:
    """Registered problem names mapped to their ``module:Class`` paths."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


def resolve(spec: str) -> type[Problem]:
    """The problem class named by ``spec`` (a registered name or ``module:Class``)."""
    path = registered().get(spec, spec)
    if ":" not in path:
        known = ", ".join(sorted(registered())) or "none"
        raise ProblemNotFound(
            f"unknown problem {spec!r}: not a registered name ({known}) nor a module:Class path"
        )
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        raise ProblemNotFound(
            f"problem {spec!r}: {exc.filename}:{exc.lineno}: syntax error: {exc.msg}"
        ) from None
    except ModuleNotFoundError as exc:
        hint = "" if exc.name != module_name else " (run evo from the directory that holds it)"
        raise ProblemNotFound(
            f"problem {spec!r}: cannot import module {module_name!r}: {exc}{hint}"
        ) from None
    except Exception as exc:  # the user's module raised while it was imported
        raise ProblemNotFound(
            f"problem {spec!r}: importing {module_name!r} raised {type(exc).__name__}: {exc}"
            f" ({raised_at(exc)})"
        ) from None
    cls = getattr(module, attr, None)
    where = getattr(module, "__file__", None) or module_name
    if cls is None:
        names = [
            n
            for n, v in vars(module).items()
            if inspect.isclass(v) and issubclass(v, Problem) and v is not Problem
        ]
        known = f"; its problems: {', '.join(names)}" if names else ""
        raise ProblemNotFound(f"problem {spec!r}: {where} has no {attr!r}{known}")
    if not (inspect.isclass(cls) and issubclass(cls, Problem)):
        kind = "a class" if inspect.isclass(cls) else f"a {type(cls).__name__}"
        raise ProblemNotFound(
            f"problem {spec!r}: {attr} in {where} is {kind}, not a subclass of evo.Problem"
        )
    return cls


def raised_at(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of ``exc`` in the user's code (not in the
    standard library, installed packages or importlib)."""
    library = {sysconfig.get_path("stdlib"), sysconfig.get_path("purelib")}
    place = "unknown place"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith("<") and not any(name.startswith(lib) for lib in library):
            place = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


def check_params(cls: type[Problem], params: dict[str, Any], where: str = "problem.params") -> None:
    """Reject parameters the problem's constructor does not accept, naming the key."""
    signature = inspect.signature(cls.__init__)
    accepted = [name for name in signature.parameters if name != "self"]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    for key in params:
        if not takes_any and key not in accepted:
            choices = ", ".join(accepted) or "none"
            raise ConfigError(f"{where}.{key}: unknown parameter of {cls.__name__} ({choices})")


def create(
    spec: str, params: dict[str, Any] | None = None, where: str = "problem.params"
) -> Problem:
    """Instantiate the problem ``spec`` with ``params``; bad parameters are config errors
    naming ``where`` they came from."""
    cls = resolve(spec)
    params = dict(params or {})
    check_params(cls, params, where)
    try:
        problem = cls(**params)
        problem.check_setup()
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {cls.__name__} rejected the parameters: {exc}") from None
    return problem


def describe_all() -> list[tuple[str, str]]:
    """``(name, one-line description)`` of every registered problem, sorted by name."""
    rows = []
    for name in sorted(registered()):
        try:
            rows.append((name, resolve(name).description or ""))
        except ProblemNotFound as exc:
            rows.append((name, f"(unavailable: {exc})"))
    return rows
