"""Circle packing (AlphaEvolve's benchmark): 26 circles in the unit square."""

from __future__ import annotations

from pathlib import Path

from problems.program.adapter import ProgramProblem

INITIAL = Path(__file__).with_name("initial_program.py")


class CirclePacking(ProgramProblem):
    """Evolve a program that packs 26 circles; maximise the validated sum of radii."""

    name = "circle_packing"
    description = "26 circles in the unit square, maximise the sum of radii (programs, sandboxed)"

    def __init__(
        self,
        initial_program: str = str(INITIAL),
        cascade_threshold: float | None = 1.0,
        mutation_edits: int = 2,
    ) -> None:
        super().__init__(
            "problems.circle_packing.evaluator:CirclePackingEvaluator",
            initial_program,
            cascade_threshold,
            mutation_edits,
        )
