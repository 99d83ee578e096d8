"""Battles on the numba MARS: one pMARS-style battle, or many pairs at once across cores.

Rounds of one battle run in order when a warrior uses P-space (results carry over
between rounds), on the kernel compiled ahead of time (``sequential``, ``compiled``), and
in parallel otherwise; batches of pairs run in parallel, one pair per thread. Placement
and first mover follow pMARS exactly (``placement.schedule``). Rounds in order need numba
itself only when the compiled kernel cannot be built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from problems.corewar.layout import OBSERVATIONS, core_typecode, pack
from problems.corewar.placement import schedule
from problems.corewar.redcode import LDP, OP, STP, Settings, Warrior
from problems.corewar.scoring import pmars_score, tally
from problems.corewar.sequential import play_in_order, pspace_rows


@dataclass(frozen=True)
class Loaded:
    """Warriors packed into flat arrays for the kernels."""

    instr: np.ndarray
    a: np.ndarray
    b: np.ndarray
    offsets: np.ndarray
    lengths: np.ndarray
    starts: np.ndarray
    pins: list[int | None]

    @classmethod
    def of(cls, warriors: Sequence[Warrior]) -> Loaded:
        instr, a, b, offsets, lengths = pack(w.code.tolist() for w in warriors)
        return cls(
            instr=np.array(instr, dtype=np.int32),
            a=np.array(a, dtype=np.int32),
            b=np.array(b, dtype=np.int32),
            offsets=np.array(offsets, dtype=np.int64),
            lengths=np.array(lengths, dtype=np.int64),
            starts=np.array([w.start for w in warriors], dtype=np.int64),
            pins=[w.pin for w in warriors],
        )


def placements(
    count: int, settings: Settings, rounds: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(rounds, count)`` and first movers ``(rounds,)`` for a battle."""
    plan = schedule(count, settings, rounds, seed)
    positions = np.array([p for p, _ in plan], dtype=np.int64).reshape(rounds, count)
    return positions, np.array([s for _, s in plan], dtype=np.int64)


@dataclass(frozen=True)
class BattleResult:
    """Outcome of one battle among ``n`` warriors.

    Attributes:
        alive: ``(rounds, n)`` survivors at the end of each round.
        death_order: ``(rounds, n)`` warrior indices in order of death, -1 padded.
        observations: ``(rounds, n, 4)``: executed, peak processes, cells written, died at.
    """

    alive: np.ndarray
    death_order: np.ndarray
    observations: np.ndarray

    def counts(self) -> np.ndarray:
        """pMARS's per-warrior tallies: ``[i, s-1]`` rounds survived with ``s`` survivors,
        ``[i, n + k - 1]`` deaths while ``n - k + 1`` were alive (k = 1, 2, ...)."""
        return np.array(tally(self.alive.tolist(), self.death_order.tolist()), dtype=np.int64)

    def scores(self) -> list[int]:
        """pMARS's score of each warrior."""
        n = self.alive.shape[1]
        return [pmars_score(list(row), n) for row in self.counts()]

    def alive_share(self) -> np.ndarray:
        """Digital Red Queen melee score: each round splits 1 among its survivors."""
        survivors = self.alive.sum(axis=1, keepdims=True)
        share = np.where(survivors > 0, self.alive / np.maximum(survivors, 1), 0.0)
        return share.mean(axis=0)


def battle(
    warriors: Sequence[Warrior],
    settings: Settings,
    seed: int,
    *,
    observe: bool = False,
    parallel: bool | None = None,
) -> BattleResult:
    """Play ``settings.rounds`` rounds among ``warriors``, placed as pMARS would from
    ``seed`` (``F - mindistance`` reproduces ``pmars -F F``).

    ``parallel`` spreads the rounds over cores; by default it does when no warrior uses
    P-space. Rounds with P-space always run in order, on one core.
    """
    uses_pspace = any(bool(np.isin(w.code[:, OP], (LDP, STP)).any()) for w in warriors)
    if uses_pspace or parallel is False:
        played = play_in_order(
            [w.code.tolist() for w in warriors],
            [w.start for w in warriors],
            [w.pin for w in warriors],
            settings,
            seed,
            observe=observe,
        )
        shape = (played.rounds, played.n)
        return BattleResult(
            np.frombuffer(played.alive, dtype=np.bool_).reshape(shape),
            np.frombuffer(played.order, dtype=np.int64).reshape(shape),
            np.frombuffer(played.observations, dtype=np.int64).reshape(*shape, OBSERVATIONS),
        )
    from numba import get_num_threads

    from problems.corewar.rounds import independent_rounds

    loaded = Loaded.of(warriors)
    positions, starters = placements(len(warriors), settings, settings.rounds, seed)
    alive, order, observations = independent_rounds(
        loaded.instr,
        loaded.a,
        loaded.b,
        loaded.offsets,
        loaded.lengths,
        loaded.starts,
        positions,
        starters,
        settings.coresize,
        settings.cycles,
        settings.processes,
        settings.pspace,
        np.array(pspace_rows(loaded.pins), dtype=np.int64),
        observe,
        get_num_threads(),
        np.dtype(core_typecode(settings.coresize)),
    )
    return BattleResult(alive, order, observations)


@dataclass(frozen=True)
class PairResults:
    """Outcomes of many two-warrior battles.

    Attributes:
        alive: ``(pairs, rounds, 2)`` survivors of each round.
        observations: ``(pairs, rounds, 2, 4)`` per-round observations.
    """

    alive: np.ndarray
    observations: np.ndarray

    @property
    def wins(self) -> np.ndarray:
        """Rounds won by the first warrior of each pair."""
        return (self.alive[:, :, 0] & ~self.alive[:, :, 1]).sum(axis=1)

    @property
    def losses(self) -> np.ndarray:
        """Rounds won by the second warrior."""
        return (~self.alive[:, :, 0] & self.alive[:, :, 1]).sum(axis=1)

    @property
    def ties(self) -> np.ndarray:
        """Rounds neither warrior won."""
        return self.alive.shape[1] - self.wins - self.losses


def run_pairs(
    warriors: Sequence[Warrior],
    pairs: Sequence[tuple[int, int]],
    settings: Settings,
    seed: int | Sequence[int],
    *,
    observe: bool = False,
) -> PairResults:
    """Battle every ``(i, j)`` in ``pairs`` for ``settings.rounds`` rounds (in parallel).

    Placements are drawn as pMARS draws them: from ``seed`` for every pair, or from
    ``seed[k]`` for pair ``k`` (one seed per pair), as ``pmars -F`` with that seed would.
    """
    from numba import get_num_threads

    from problems.corewar.rounds import pair_battles

    loaded = Loaded.of(warriors)
    seeds = [seed] if isinstance(seed, int) else list(seed)
    if len(seeds) not in (1, len(pairs)):
        raise ValueError(f"{len(seeds)} placement seeds for {len(pairs)} pairs")
    layouts = [placements(2, settings, settings.rounds, s) for s in seeds]
    positions = np.stack([p for p, _ in layouts])
    starters = np.stack([s for _, s in layouts])
    alive, observations = pair_battles(
        loaded.instr,
        loaded.a,
        loaded.b,
        loaded.offsets,
        loaded.lengths,
        loaded.starts,
        np.asarray(pairs, dtype=np.int64).reshape(-1, 2),
        np.array(pspace_rows(loaded.pins), dtype=np.int64),
        positions,
        starters,
        settings.coresize,
        settings.cycles,
        settings.processes,
        settings.pspace,
        observe,
        get_num_threads(),
        np.dtype(core_typecode(settings.coresize)),
    )
    return PairResults(alive, observations)
