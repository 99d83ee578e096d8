"""The ``Problem`` extension point: what a user's adapter fills in."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from evo.records import Evaluation, Genome, Objective, Status

if TYPE_CHECKING:
    from evo.selection.base import Member
    from evo.store import Store


class Problem:
    """Base class of problem adapters.

    Required: ``objectives``, ``seeds`` and ``evaluate``. Everything else is an
    optional hook whose default does nothing or declares the feature absent.

    Attributes:
        name: short registered name (also the ``evo problems`` listing).
        description: one line for ``evo problems`` and the default ``describe()``.
        objectives: the objectives ``evaluate`` reports, with their directions.
        hypervolume_reference: reference point for hypervolume, in objective units.
        optimal_hypervolume: hypervolume of the true front at that point, when known.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    objectives: Sequence[Objective] = ()
    hypervolume_reference: Sequence[float] | None = None
    optimal_hypervolume: float | None = None

    def check_setup(self) -> None:
        """Check, before a run starts, what is too costly to check in ``__init__`` (e.g.
        that reference files load); raise ``ValueError`` naming the problem. Optional."""

    def prepare(self) -> None:
        """Do one-time work that the first evaluation would otherwise pay under its
        deadline (e.g. compiling kernels into a cache). Called once before a run
        evaluates anything, with no deadline. Optional."""

    def seeds(self, rng: np.random.Generator, n: int) -> list[Genome]:
        """Return ``n`` initial genomes (fewer is allowed: the engine mutates them to fill)."""
        raise NotImplementedError

    def evaluate(self, genome: Genome) -> Evaluation | Mapping[str, float]:
        """Evaluate one genome: an ``Evaluation`` or a mapping of objective values."""
        raise NotImplementedError

    def mutate(self, genome: Genome, rng: np.random.Generator) -> Genome:
        """Classical mutation. Optional."""
        raise NotImplementedError

    def crossover(self, a: Genome, b: Genome, rng: np.random.Generator) -> Genome:
        """Classical crossover of two parents. Optional."""
        raise NotImplementedError

    def operators(self) -> Mapping[str, Callable[[], Any]]:
        """Operators of this problem's own, by the name a config gives them in
        ``variation.operators`` (e.g. strategy-aware edits): each a factory of an
        ``evo.variation.Operator``. Optional."""
        return {}

    def match(self, a: Genome, b: Genome) -> float:
        """Play ``a`` against ``b``; the score of ``a`` in [0, 1]. Optional (enables ELO)."""
        raise NotImplementedError

    def opponents(self) -> list[Genome]:
        """Fixed reference opponents every new candidate plays in ELO mode."""
        return []

    def describe(self) -> str:
        """Task text for prompts."""
        return self.description

    def prompt_context(self) -> dict[str, str]:
        """What model prompts should know: ``language`` of the genome text and an
        optional ``cheatsheet`` (e.g. an instruction-set summary)."""
        return {"language": "text", "cheatsheet": ""}

    def check_genome(self, genome: Genome) -> str | None:
        """Why a proposed genome is unusable (it does not parse, say), or None. Model
        answers that fail this are rejected and recorded, never evaluated."""
        return None

    def finish(self, run_dir: Path, population: Sequence[Member], store: Store) -> list[str]:
        """Called once when a run ends, with the final population best first.

        Use it to write artifacts into ``run_dir`` (e.g. champions) or to re-verify the
        best candidate; record results with ``store.set_meta``. A problem that chooses
        the run's champion itself records it as meta ``champion``: ``{"id": candidate
        id, "genome": its final form}`` (the Red Queen driver crowns it). Returns lines
        for the run's closing summary.
        """
        return []

    def label(self, genome: Genome) -> str | None:
        """A short name for a genome in reports and plots (e.g. its strategy family), or
        None. Optional."""
        return None

    def polish(self, genome: Genome) -> Genome:
        """The final form of a champion, e.g. with the parts that do nothing removed; it
        should score about as well. Called once per champion. Optional."""
        return genome

    def render(self, genome: Genome, info: Mapping[str, Any]) -> tuple[str, str]:
        """A genome as a file: ``(suffix, text)``; ``info`` (id, lineage, scores) may be
        written into it as a header. Used for champions."""
        import json

        return ".json", json.dumps({"info": dict(info), "genome": genome}, indent=2)

    @classmethod
    def figures(cls, store: Store, out_dir: Path) -> list[Path]:
        """Problem-specific figures for ``evo plot``, written into ``out_dir``.

        A class method, so plotting needs no problem instance. Returns the files written.
        """
        return []


def implements(problem: Problem, hook: str) -> bool:
    """Whether ``problem`` overrides the optional ``hook`` of ``Problem``."""
    base = getattr(Problem, hook, None)
    own = getattr(type(problem), hook, None)
    return own is not None and own is not base


def coerce_evaluation(result: Any, objectives: Sequence[Objective]) -> Evaluation:
    """Turn what ``evaluate`` returned into a checked ``Evaluation``.

    A mapping becomes an ok evaluation. An ok evaluation must report every declared
    objective as a finite number; otherwise it is recorded as invalid with the reason.
    """
    if isinstance(result, Mapping):
        result = Evaluation(objectives=dict(result))
    if not isinstance(result, Evaluation):
        return Evaluation.failure(
            Status.ERROR, f"evaluate returned {type(result).__name__}, not an Evaluation or dict"
        )
    if not result.ok:
        return result
    values: dict[str, float] = {}
    for objective in objectives:
        if objective.name not in result.objectives:
            return result.with_fields(
                status=Status.INVALID,
                objectives={},
                feedback=f"objective {objective.name!r} missing from the result",
            )
        try:
            value = float(result.objectives[objective.name])
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            return result.with_fields(
                status=Status.INVALID,
                objectives={},
                feedback=f"objective {objective.name!r} is not a finite number: "
                f"{result.objectives[objective.name]!r}",
            )
        values[objective.name] = value
    return result.with_fields(objectives=values)
