"""Typed config genomes: a pydantic model declares the fields, deap varies them.

A ``ConfigSpace`` reads a user's pydantic model (bounded floats and ints, enums and
literals, booleans, free text such as prompts, and lists of those) and offers what
evolution needs: defaults, random samples, validation with a readable reason, mutation
(bounded polynomial or Gaussian for numbers, resampling for categories, flips for
booleans, edits for lists) and uniform crossover. Variation never leaves the schema;
text fields are left to model-guided operators, which are validated by ``check``.
"""

from __future__ import annotations

import math
import random
import typing
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import numpy as np
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from deap import tools
from pydantic import BaseModel, ValidationError

Kind = Literal["float", "int", "bool", "choice", "text"]
DEFAULT_MAX_LIST = 8


class SchemaError(ValueError):
    """The pydantic model uses a field type a ``ConfigSpace`` cannot vary."""


@dataclass(frozen=True)
class Gene:
    """The kind and range of one value: a scalar field or the items of a list field."""

    kind: Kind
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()

    def sample(self, rng: np.random.Generator) -> Any:
        """A random value (text genes cannot be sampled)."""
        if self.kind == "bool":
            return bool(rng.integers(2))
        if self.kind == "choice":
            return self.choices[int(rng.integers(len(self.choices)))]
        if self.kind == "text":
            raise SchemaError("text fields have no random values; give them defaults")
        low = self.low if self.low is not None else -1.0
        high = self.high if self.high is not None else low + 2.0
        if self.kind == "int":
            return int(rng.integers(int(low), int(high) + 1))
        return _rounded(float(rng.uniform(low, high)), self)


@dataclass(frozen=True)
class FieldSpec:
    """One field of the schema: its gene, and list bounds when it holds a list."""

    name: str
    gene: Gene
    is_list: bool = False
    min_len: int = 0
    max_len: int = DEFAULT_MAX_LIST
    unique: bool = False
    frozen: bool = False

    @property
    def variable(self) -> bool:
        """Whether classical operators may change this field."""
        return not self.frozen and (self.is_list or self.gene.kind != "text")


def _bounds(metadata: Sequence[Any]) -> tuple[float | None, float | None]:
    low = high = None
    for item in metadata:
        if isinstance(item, Ge):
            low = float(item.ge)
        elif isinstance(item, Gt):
            low = math.nextafter(float(item.gt), math.inf)
        elif isinstance(item, Le):
            high = float(item.le)
        elif isinstance(item, Lt):
            high = math.nextafter(float(item.lt), -math.inf)
    return low, high


def _gene(annotation: Any, metadata: Sequence[Any], extra: Mapping[str, Any], where: str) -> Gene:
    if typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        inner = [m for x in more for m in getattr(x, "metadata", [x])]
        return _gene(base, list(metadata) + inner, extra, where)
    if extra.get("choices"):
        return Gene("choice", choices=tuple(extra["choices"]))
    if annotation is bool:
        return Gene("bool")
    if annotation in (int, float):
        low, high = _bounds(metadata)
        kind: Kind = "int" if annotation is int else "float"
        if kind == "int":
            low = math.ceil(low) if low is not None else None
            high = math.floor(high) if high is not None else None
        return Gene(kind, low, high)
    if typing.get_origin(annotation) is Literal:
        return Gene("choice", choices=typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Gene("choice", choices=tuple(member.value for member in annotation))
    if annotation is str:
        return Gene("text")
    raise SchemaError(f"{where}: unsupported field type {annotation!r}")


def _field_spec(name: str, info: Any, frozen: bool, where: str) -> FieldSpec:
    annotation = info.annotation
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (Any,)
        gene = _gene(item, [], extra, f"{where} items")
        min_len = next((m.min_length for m in info.metadata if isinstance(m, MinLen)), 0)
        max_len = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        unique = bool(extra.get("unique"))
        if max_len is None:
            max_len = len(gene.choices) if unique and gene.choices else DEFAULT_MAX_LIST
        return FieldSpec(name, gene, True, min_len, max_len, unique, frozen)
    return FieldSpec(name, _gene(annotation, info.metadata, extra, where), frozen=frozen)


@contextmanager
def seeded_random(rng: np.random.Generator) -> Iterator[None]:
    """Seed Python's ``random`` (which deap uses) from ``rng``, restoring it afterwards."""
    state = random.getstate()
    random.seed(int(rng.integers(2**63)))
    try:
        yield
    finally:
        random.setstate(state)


def _clip(value: float, gene: Gene) -> float:
    if gene.low is not None:
        value = max(value, gene.low)
    if gene.high is not None:
        value = min(value, gene.high)
    return value


def _rounded(value: float, gene: Gene) -> float:
    """``value`` to 6 decimals, unless rounding would cross an (exclusive) bound."""
    value = _clip(value, gene)
    rounded = round(value, 6)
    return rounded if _clip(rounded, gene) == rounded else value


class ConfigSpace:
    """The evolvable space of configs declared by a pydantic model.

    Args:
        model: the pydantic model (bounds through ``Field(ge=, le=)``; a list field with
            ``json_schema_extra={"unique": True}`` never repeats an item; a text field
            with ``json_schema_extra={"choices": [...]}`` is treated as a category).
        frozen: field names classical operators never change.
        numeric: ``polynomial`` (bounded, deap's ``mutPolynomialBounded``) or
            ``gaussian`` (deap's ``mutGaussian``, clipped to the bounds).
        eta: crowding degree of the polynomial mutation.
        sigma: Gaussian step as a fraction of the field's range (or of 1 + |value|).
    """

    def __init__(
        self,
        model: type[BaseModel],
        *,
        frozen: Sequence[str] = (),
        numeric: Literal["polynomial", "gaussian"] = "polynomial",
        eta: float = 20.0,
        sigma: float = 0.1,
    ) -> None:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise SchemaError(f"{model!r} is not a pydantic model class")
        unknown = set(frozen) - set(model.model_fields)
        if unknown:
            raise SchemaError(f"frozen fields not in {model.__name__}: {sorted(unknown)}")
        self.model = model
        self.numeric = numeric
        self.eta = eta
        self.sigma = sigma
        self.fields = [
            _field_spec(name, info, name in frozen, f"{model.__name__}.{name}")
            for name, info in model.model_fields.items()
        ]

    # reading ------------------------------------------------------------------
    def text_fields(self) -> list[str]:
        """Names of free-text fields that are not frozen (model-guided operators edit them)."""
        return [
            f.name for f in self.fields if f.gene.kind == "text" and not f.is_list and not f.frozen
        ]

    def parse(self, data: Any) -> BaseModel:
        """The validated model instance; raises ``ValueError`` with a readable reason."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a config must be a mapping of fields, not {type(data).__name__}")
        unknown = sorted(set(data) - set(self.model.model_fields))
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r} (fields: {', '.join(self.names())})")
        try:
            instance = self.model.model_validate(dict(data))
        except ValidationError as exc:
            raise ValueError(_violation_text(exc)) from None
        for spec in self.fields:
            value = getattr(instance, spec.name)
            if spec.unique and len({_plain(v) for v in value}) != len(value):
                raise ValueError(f"field {spec.name!r}: items must not repeat (got {value!r})")
        return instance

    def check(self, data: Any) -> str | None:
        """Why ``data`` violates the schema, or None."""
        try:
            self.parse(data)
        except ValueError as exc:
            return str(exc)
        return None

    def normalize(self, data: Any) -> dict[str, Any]:
        """``data`` validated and dumped as JSON data (defaults filled in)."""
        return self.parse(data).model_dump(mode="json")

    def names(self) -> list[str]:
        """Field names in declaration order."""
        return [f.name for f in self.fields]

    def describe(self) -> str:
        """One line per field (kind, range, choices), for prompts and documentation."""
        lines = []
        for f in self.fields:
            gene = f.gene
            if gene.kind == "choice":
                what = "one of " + ", ".join(map(str, gene.choices))
            elif gene.kind in ("int", "float"):
                what = f"{gene.kind} in [{gene.low}, {gene.high}]"
            else:
                what = gene.kind
            if f.is_list:
                unique = ", unique" if f.unique else ""
                what = f"list ({f.min_len}-{f.max_len} items{unique}) of {what}"
            note = " (fixed)" if f.frozen else ""
            description = self.model.model_fields[f.name].description
            lines.append(f"- {f.name}: {what}{note}" + (f" — {description}" if description else ""))
        return "\n".join(lines)

    # making -------------------------------------------------------------------
    def default(self) -> dict[str, Any]:
        """The model's defaults (every field needs one)."""
        try:
            return self.model().model_dump(mode="json")
        except ValidationError as exc:
            raise SchemaError(f"{self.model.__name__} has fields without defaults: {exc}") from None

    def sample(self, rng: np.random.Generator, base: Mapping[str, Any] | None = None) -> dict:
        """A random valid config; text and frozen fields come from ``base`` (or defaults)."""
        config = dict(base) if base is not None else self.default()
        for f in self.fields:
            if not f.variable or (f.gene.kind == "text"):
                continue
            if f.is_list:
                config[f.name] = self._sample_list(f, rng)
            else:
                config[f.name] = f.gene.sample(rng)
        return self.normalize(config)

    def _sample_list(self, f: FieldSpec, rng: np.random.Generator) -> list[Any]:
        limit = min(f.max_len, len(f.gene.choices)) if f.unique else f.max_len
        size = int(rng.integers(f.min_len, limit + 1))
        if f.unique:
            picks = rng.permutation(len(f.gene.choices))[:size]
            return [f.gene.choices[int(i)] for i in picks]
        return [f.gene.sample(rng) for _ in range(size)]

    # variation ----------------------------------------------------------------
    def mutate(self, config: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
        """Change each variable field with probability 1/n (at least one field changes)."""
        config = self.normalize(config)
        variable = [f for f in self.fields if f.variable]
        if not variable:
            return config
        chosen = [f for f in variable if rng.random() < 1.0 / len(variable)]
        if not chosen:
            chosen = [variable[int(rng.integers(len(variable)))]]
        for f in chosen:
            if f.is_list:
                config[f.name] = self._mutate_list(f, list(config[f.name]), rng)
            else:
                config[f.name] = self._mutate_value(f.gene, config[f.name], rng)
        return self.normalize(config)

    def _mutate_value(self, gene: Gene, value: Any, rng: np.random.Generator) -> Any:
        if gene.kind == "bool":
            return not value
        if gene.kind == "choice":
            others = [c for c in gene.choices if c != value] or list(gene.choices)
            return others[int(rng.integers(len(others)))]
        if gene.kind == "text":
            return value
        new = self._numeric_step(gene, float(value), rng)
        if gene.kind == "int":
            moved = int(round(new))
            if moved == value:  # rounding undid the step: move by one within bounds
                up = gene.high is None or value + 1 <= gene.high
                down = gene.low is None or value - 1 >= gene.low
                moved = value + (
                    1 if up and (not down or rng.random() < 0.5) else -1 if down else 0
                )
            return int(_clip(moved, gene))
        return _rounded(new, gene)

    def _numeric_step(self, gene: Gene, value: float, rng: np.random.Generator) -> float:
        bounded = gene.low is not None and gene.high is not None and gene.low < gene.high
        individual = [value]
        with seeded_random(rng):
            if self.numeric == "polynomial" and bounded:
                tools.mutPolynomialBounded(individual, self.eta, gene.low, gene.high, 1.0)
            else:
                span = (gene.high - gene.low) if bounded else 1.0 + abs(value)  # type: ignore[operator]
                tools.mutGaussian(individual, 0.0, self.sigma * span, 1.0)
        return _clip(float(individual[0]), gene)

    def _mutate_list(self, f: FieldSpec, items: list[Any], rng: np.random.Generator) -> list:
        gene = f.gene
        unused = [c for c in gene.choices if c not in items] if f.unique else list(gene.choices)
        can_make = gene.kind != "text" and (not f.unique or unused)
        moves = []
        if items and gene.kind != "text" and (not f.unique or unused):
            moves.append("change")
        if len(items) < f.max_len and can_make:
            moves.append("insert")
        if len(items) > f.min_len:
            moves.append("delete")
        if len(items) >= 2:
            moves.append("swap")
        if not moves:
            return items
        move = moves[int(rng.integers(len(moves)))]
        i = int(rng.integers(len(items))) if items else 0
        if move == "change":
            if f.unique:
                items[i] = unused[int(rng.integers(len(unused)))]
            else:
                items[i] = self._mutate_value(gene, items[i], rng)
        elif move == "insert":
            value = unused[int(rng.integers(len(unused)))] if f.unique else gene.sample(rng)
            items.insert(int(rng.integers(len(items) + 1)), value)
        elif move == "delete":
            del items[i]
        else:
            j = (i + 1 + int(rng.integers(len(items) - 1))) % len(items)
            items[i], items[j] = items[j], items[i]
        return items

    def crossover(
        self, a: Mapping[str, Any], b: Mapping[str, Any], rng: np.random.Generator
    ) -> dict[str, Any]:
        """Uniform crossover (deap's ``cxUniform``): each field from either parent."""
        a, b = self.normalize(a), self.normalize(b)
        names = [f.name for f in self.fields if not f.frozen]
        left, right = [a[n] for n in names], [b[n] for n in names]
        with seeded_random(rng):
            tools.cxUniform(left, right, 0.5)
        return self.normalize(a | dict(zip(names, left, strict=True)))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _violation_text(exc: ValidationError) -> str:
    """The first few pydantic errors as ``field 'x': message (got value)``."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "(config)"
        text = f"field {where!r}: {error['msg']}"
        if "input" in error and not isinstance(error["input"], dict):
            text += f" (got {error['input']!r})"
        parts.append(text)
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
