"""Read experiment YAML, apply ``--set`` overrides, and report errors with file, line and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from evo.config.models import ExperimentConfig
from evo.errors import ConfigError


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b=c`` into a key path and a YAML-typed value."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip() or any(not part for part in key.strip().split(".")):
        raise ConfigError(f"--set {text!r}: expected KEY.PATH=VALUE")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"--set {text!r}: value is not valid YAML: {exc}") from None
    return key.strip().split("."), value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return ``data`` with each ``a.b=c`` override set (intermediate mappings created)."""
    for text in overrides:
        path, value = parse_override(text)
        node = data
        for depth, key in enumerate(path[:-1]):
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                where = ".".join(path[: depth + 1])
                raise ConfigError(f"--set {text!r}: {where} is not a mapping")
            node = child
        node[path[-1]] = value
    return data


def _line_of(root: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest node of ``path`` found in a composed YAML tree."""
    node, line = root, None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(key)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _describe(error: dict[str, Any]) -> str:
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {error['input']!r})"
    return message


def validate(
    data: Any,
    source: str,
    root: yaml.Node | None = None,
    overridden: list[list[str]] | None = None,
) -> ExperimentConfig:
    """Validate config data; errors name the source (file and line, or ``--set``) and key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a YAML mapping of sections")
    try:
        return ExperimentConfig.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not str(p).startswith("function-after"))
            key = ".".join(str(p) for p in loc) or "(top level)"
            line = _line_of(root, loc)
            keys = [str(p) for p in loc]
            if any(keys[: len(path)] == path for path in overridden or []):
                where = f"{source} (--set)"
            else:
                where = f"{source}:{line}" if line else source
            lines.append(f"{where}: {key}: {_describe(error)}")
        raise ConfigError("\n".join(lines)) from None


def load_config(path: str | Path, overrides: list[str] | None = None) -> ExperimentConfig:
    """Load and validate an experiment file, with ``--set`` overrides applied."""
    path = Path(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        data = {}
    if overrides:
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the config must be a YAML mapping of sections")
        data = apply_overrides(data, overrides)
    overridden = [parse_override(text)[0] for text in overrides or []]
    return validate(data, str(path), root, overridden)


def dump_config(config: ExperimentConfig) -> str:
    """The config as YAML text (the snapshot written into a run)."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False)
