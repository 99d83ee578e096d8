"""The held-out measure: warriors against the held-out part of a hill, never used for
selection (``hill``: a fixed split by file name)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from problems.corewar import hill
from problems.corewar.assembler import assemble
from problems.corewar.gauntlet import Gauntlet, Outcome
from problems.corewar.opponents import Opponent
from problems.corewar.redcode import Settings, Warrior

ROUNDS = 20
"""Rounds against each held-out warrior."""
SEED = 20_261_202
"""Placement seed of the held-out measure (fixed, and unlike any training seed)."""


@dataclass(frozen=True)
class HeldOut:
    """The held-out part of a hill as a gauntlet."""

    gauntlet: Gauntlet
    directory: Path

    @classmethod
    def of(
        cls,
        directory: str | Path,
        settings: Settings | None = None,
        rounds: int = ROUNDS,
        seed: int = SEED,
        exclude: Sequence[str] = (),
    ) -> HeldOut:
        """The held-out warriors of ``directory`` (minus the file names in ``exclude``),
        ``rounds`` rounds each."""
        path = Path(directory).expanduser()
        files = [
            f
            for f in hill.select(sorted(path.glob("*.red")), "heldout")
            if f.name not in set(exclude)
        ]
        if not files:
            raise ValueError(f"{directory}: no held-out .red files")
        settings = Settings(**{**(settings or Settings()).__dict__, "rounds": rounds})
        opponents = [
            Opponent(f.stem, "", assemble(f.read_text(encoding="latin-1"), settings)) for f in files
        ]
        return cls(Gauntlet.of(opponents, settings, seed), path)

    def play(self, warriors: Sequence[Warrior]) -> list[Outcome]:
        """Each warrior's results against every held-out warrior."""
        return self.gauntlet.play(list(warriors))

    def describe(self) -> str:
        """E.g. ``437 held-out warriors of 94nop x 20 rounds``."""
        return (
            f"{len(self.gauntlet.opponents)} held-out warriors of {self.directory.name} x "
            f"{self.gauntlet.settings.rounds} rounds"
        )
