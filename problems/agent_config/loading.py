"""Resolve the adapter's parameters: ``module:attribute`` specs, task suites, seed skills."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def load_object(spec: str, what: str) -> Any:
    """The object named ``module:attribute`` (modules are found from the current directory
    too); ``ValueError`` naming ``what`` when it cannot be loaded."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"{what}: expected module:attribute, got {spec!r}")
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"{what}: cannot import {module_name!r}: {exc}") from None
    if not hasattr(module, attribute):
        raise ValueError(f"{what}: {module_name!r} has no attribute {attribute!r}")
    return getattr(module, attribute)


def load_function(spec: str, what: str) -> Callable[..., Any]:
    """A callable named ``module:function``."""
    function = load_object(spec, what)
    if not callable(function):
        raise ValueError(f"{what}: {spec!r} is not callable")
    return function


def _read_data(path: Path, what: str) -> Any:
    try:
        text = path.read_text()
    except OSError as exc:
        raise ValueError(f"{what}: cannot read {path}: {exc}") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{what}: {path} is not valid {path.suffix[1:].upper()}: {exc}") from None


def load_suite(spec: str, params: dict[str, Any]) -> dict[str, list[Any]]:
    """A task suite ``{"train": [...], "heldout": [...]}`` from ``module:function``
    (called with ``params``) or from a JSON/YAML file."""
    if spec.endswith((".json", ".yaml", ".yml")):
        if params:
            raise ValueError("task_params: only a module:function task suite takes parameters")
        suite = _read_data(Path(spec), "tasks")
    else:
        function = load_function(spec, "tasks")
        try:
            inspect.signature(function).bind(**params)
        except TypeError as exc:
            raise ValueError(f"task_params: {exc}") from None
        suite = function(**params)
    if not isinstance(suite, dict) or not isinstance(suite.get("train"), list):
        raise ValueError("tasks: the suite must be a mapping with a 'train' list (and 'heldout')")
    unknown = sorted(set(suite) - {"train", "heldout"})
    if unknown:
        raise ValueError(f"tasks: unknown split {unknown[0]!r} (splits: train, heldout)")
    if not suite["train"]:
        raise ValueError("tasks: the 'train' split is empty")
    heldout = suite.get("heldout", [])
    if not isinstance(heldout, list):
        raise ValueError("tasks: 'heldout' must be a list")
    train_ids = [task_id(t, i, "train") for i, t in enumerate(suite["train"])]
    heldout_ids = [task_id(t, i, "heldout") for i, t in enumerate(heldout)]
    for name, ids in (("train", train_ids), ("heldout", heldout_ids)):
        if len(set(ids)) != len(ids):
            raise ValueError(f"tasks: task ids repeat in the {name!r} split")
    shared = set(map(_key, suite["train"])) & set(map(_key, heldout))
    if shared:
        raise ValueError("tasks: a task appears in both 'train' and 'heldout'")
    return {"train": list(suite["train"]), "heldout": list(heldout)}


def _key(task: Any) -> str:
    if isinstance(task, dict):
        task = {k: v for k, v in task.items() if k != "id"}
    return json.dumps(task, sort_keys=True, default=str)


def task_id(task: Any, index: int, split: str) -> str:
    """A task's ``id`` field, or ``<split>-<index>``."""
    if isinstance(task, dict) and "id" in task:
        return str(task["id"])
    return f"{split}-{index}"


def load_skills(spec: str | list[Any], grammar_spec: str) -> list[Any]:
    """Seed skills: an inline list, ``empty``, a JSON/YAML file, ``module:attribute``, or a
    library name known to the grammar's module (its ``library(name)`` function)."""
    if isinstance(spec, list):
        return spec
    if spec == "empty":
        return []
    if spec.endswith((".json", ".yaml", ".yml")):
        skills = _read_data(Path(spec), "seed_skills")
    elif ":" in spec:
        skills = load_object(spec, "seed_skills")
        skills = skills() if callable(skills) else skills
    else:
        module = importlib.import_module(grammar_spec.partition(":")[0])
        named = getattr(module, "library", None)
        if named is None:
            raise ValueError(
                f"seed_skills: {spec!r} is not a file and {module.__name__} names no libraries"
            )
        skills = named(spec)
    if not isinstance(skills, list):
        raise ValueError(f"seed_skills: {spec!r} is not a list of skills")
    return skills
