"""Core War as an evo problem: a genome is Redcode source, fitness is battle score.

A candidate is assembled (failure: ``invalid``, with the assembler's message) and
battled against the opponent set on the numba MARS. The score is pMARS's (3 per win,
1 per tie) divided by 3 per round, so 1.0 means it won every round; ``alive_share``
scoring plays one melee with all opponents instead and counts each round's survival
share (the Digital Red Queen paper's measure). Every candidate meets the same
placements, so scores are comparable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from evo.problem import Problem
from evo.records import Evaluation, Objective, Status
from problems.corewar import opponents as opp
from problems.corewar.assembler import AssemblyError, assemble
from problems.corewar.disassembler import disassemble
from problems.corewar.operators import crossover_code, mutate_code
from problems.corewar.redcode import Settings, Warrior

SECONDARY = {"length": Objective("length", "min"), "survival": Objective("survival", "max")}


@lru_cache(maxsize=4096)
def _assembled(genome: str, settings: Settings) -> Warrior:
    """Assembly is most of a match's cost, and ELO play meets the same genomes again
    and again; the cached code is read-only so no caller can change it."""
    warrior = assemble(genome, settings)
    warrior.code.setflags(write=False)
    return warrior


class CoreWar(Problem):
    """Evolve Redcode warriors against a set of opponents.

    Args:
        opponents: entries ``seed:NAME`` (built-in imp, dwarf, paper, scanner), paths of
            ``.red`` files, or Redcode source text.
        opponents_dir: a directory of ``.red`` files to add (e.g. a hill).
        opponents_sample: use only this many of the directory's warriors (fixed sample).
        rounds: rounds per opponent.
        scoring: ``pmars`` (1-v-1 points) or ``alive_share`` (one melee with everyone).
        secondary: extra objectives for Pareto runs: ``length``, ``survival``.
        placement_seed: seeds the placements every candidate is tested on.
        coresize, cycles, processes, maxlength, mindistance: pMARS settings.
        seeds_from: the built-in warriors the initial population is grown from.
        initial: more genomes for the initial population (e.g. carried over by Red Queen).
        mutation_edits: maximum number of edits one mutation applies.
    """

    name = "corewar"
    description = "Core War: evolve Redcode warriors against opponents on a pMARS-exact MARS"

    def __init__(
        self,
        opponents: Sequence[str] = ("seed:dwarf", "seed:imp", "seed:paper", "seed:scanner"),
        opponents_dir: str | None = None,
        opponents_sample: int | None = None,
        rounds: int = 10,
        scoring: Literal["pmars", "alive_share"] = "pmars",
        secondary: Sequence[str] = (),
        placement_seed: int = 1,
        coresize: int = 8000,
        cycles: int = 80000,
        processes: int = 8000,
        maxlength: int = 100,
        mindistance: int = 100,
        seeds_from: Sequence[str] = opp.SEEDS,
        initial: Sequence[str] = (),
        mutation_edits: int = 3,
    ) -> None:
        if rounds < 1:
            raise ValueError("rounds must be at least 1")
        if scoring not in ("pmars", "alive_share"):
            raise ValueError(f"scoring must be 'pmars' or 'alive_share', not {scoring!r}")
        unknown = [s for s in secondary if s not in SECONDARY]
        if unknown:
            raise ValueError(f"unknown secondary objectives {unknown} (known: {list(SECONDARY)})")
        self.settings = Settings(
            coresize=coresize,
            cycles=cycles,
            processes=processes,
            maxlength=maxlength,
            mindistance=mindistance,
            rounds=rounds,
        )
        self.params = {
            "opponents": list(opponents),
            "opponents_dir": opponents_dir,
            "opponents_sample": opponents_sample,
            "placement_seed": placement_seed,
        }
        self.scoring = scoring
        self.placement_seed = placement_seed
        self.seeds_from = list(initial) + [opp.seed_source(name) for name in seeds_from]
        self.mutation_edits = mutation_edits
        self.objectives = (Objective("score"),) + tuple(SECONDARY[s] for s in secondary)
        self._entries = self._opponent_entries()
        self._opponents: list[opp.Opponent] | None = None

    # opponents are read now (a missing file is a config error before anything runs) and
    # assembled once per process: by check_setup when registry.create builds the problem,
    # else on first use (pickling drops them, so a worker assembles its own)
    def _opponent_entries(self) -> list[tuple[str, str]]:
        entries = [opp.resolve(e) for e in self.params["opponents"]]
        if self.params["opponents_dir"]:
            entries += opp.from_directory(
                self.params["opponents_dir"],
                self.params["opponents_sample"],
                self.placement_seed,
            )
        if not entries:
            raise ValueError("no opponents: give opponents or opponents_dir")
        return entries

    @property
    def opponent_set(self) -> list[opp.Opponent]:
        """The assembled opponents."""
        if self._opponents is None:
            self._opponents = opp.load(self._entries, self.settings)
        return self._opponents

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_opponents": None}

    # Problem ---------------------------------------------------------------
    def check_setup(self) -> None:
        """Every opponent must assemble."""
        self.opponent_set  # noqa: B018 (assembles, raising on a broken opponent)

    def describe(self) -> str:
        labels = ", ".join(o.label for o in self.opponent_set[:12])
        more = len(self.opponent_set) - 12
        return (
            f"Write a Redcode (ICWS'94, pMARS dialect) warrior of at most "
            f"{self.settings.maxlength} instructions for a core of {self.settings.coresize} cells "
            f"that beats these opponents over {self.settings.rounds} rounds each: {labels}"
            + (f" and {more} more" if more > 0 else "")
            + "."
        )

    def prompt_context(self) -> dict[str, str]:
        cheatsheet = (Path(__file__).parent / "prompts" / "cheatsheet.md").read_text()
        return {"language": "redcode", "cheatsheet": cheatsheet}

    def check_genome(self, genome: Any) -> str | None:
        if not isinstance(genome, str):
            return "a warrior must be Redcode text"
        try:
            self.assemble(genome)
        except AssemblyError as exc:
            return f"does not assemble: {exc}"
        return None

    def seeds(self, rng: np.random.Generator, n: int) -> list[str]:
        sources = []
        for source in self.seeds_from:
            try:
                sources.append(self.canonical(assemble(source, self.settings)))
            except AssemblyError:
                continue  # a carried-over genome that no longer fits the settings
        return [sources[i % len(sources)] for i in range(n)]

    def canonical(self, warrior: Warrior) -> str:
        """Genome text: disassembly without a name (the file name is added on export)."""
        plain = Warrior(
            code=warrior.code, start=warrior.start, name="evolved", author="evo", pin=warrior.pin
        )
        return disassemble(plain, self.settings.coresize)

    def assemble(self, genome: str) -> Warrior:
        """Assemble a genome under this problem's settings (raises ``AssemblyError``)."""
        return _assembled(genome, self.settings)

    def evaluate(self, genome: str) -> Evaluation:
        try:
            warrior = self.assemble(genome)
        except AssemblyError as exc:
            return Evaluation.failure(Status.INVALID, f"does not assemble: {exc}")
        if self.scoring == "alive_share":
            return self._melee(warrior)
        return self._duels(warrior)

    def _duels(self, warrior: Warrior) -> Evaluation:
        from problems.corewar.battle import run_pairs

        rivals = self.opponent_set
        warriors = [warrior] + [o.warrior for o in rivals]
        pairs = [(0, j) for j in range(1, len(warriors))]
        result = run_pairs(warriors, pairs, self.settings, self._seed(), observe=True)
        rounds = self.settings.rounds
        wins, losses, ties = result.wins, result.losses, result.ties
        per_opponent = (3 * wins + ties) / (3 * rounds)
        total_rounds = rounds * len(rivals)
        survival = float(result.alive[:, :, 0].mean())
        objectives = {
            "score": float(per_opponent.mean()),
            "length": float(len(warrior)),
            "survival": survival,
        }
        tallies = zip(rivals, wins, ties, losses, strict=True)
        feedback = "; ".join(f"vs {o.label}: {w}W {t}T {lo}L" for o, w, t, lo in tallies)
        return Evaluation(
            objectives={o.name: objectives[o.name] for o in self.objectives},
            instance_scores={o.label: float(s) for o, s in zip(rivals, per_opponent, strict=True)},
            descriptors=self._descriptors(result.observations[:, :, 0, :])
            | {
                "win_rate": float(wins.sum() / total_rounds),
                "tie_rate": float(ties.sum() / total_rounds),
                "loss_rate": float(losses.sum() / total_rounds),
            },
            feedback=feedback,
        )

    def _melee(self, warrior: Warrior) -> Evaluation:
        from problems.corewar.battle import battle

        rivals = self.opponent_set
        settings = Settings(**{**self.settings.__dict__, "warriors": len(rivals) + 1})
        result = battle(
            [warrior] + [o.warrior for o in rivals], settings, self._seed(), observe=True
        )
        share = result.alive_share()
        objectives = {
            "score": float(share[0]),
            "length": float(len(warrior)),
            "survival": float(result.alive[:, 0].mean()),
        }
        return Evaluation(
            objectives={o.name: objectives[o.name] for o in self.objectives},
            descriptors=self._descriptors(result.observations[:, 0, :]),
            feedback=f"alive share {share[0]:.3f} in a {len(rivals) + 1}-warrior melee",
        )

    def _descriptors(self, observations: np.ndarray) -> dict[str, float]:
        """Behaviour: processes spawned (log2 of the mean peak), share of the core written,
        and share of rounds survived."""
        flat = observations.reshape(-1, observations.shape[-1])
        return {
            "processes": float(math.log2(max(1.0, flat[:, 1].mean()))),
            "coverage": float(flat[:, 2].mean() / self.settings.coresize),
            "alive": float(np.mean(flat[:, 3] < 0)),
        }

    def _seed(self) -> int:
        return self.placement_seed % (self.settings.coresize - 2 * self.settings.mindistance)

    def mutate(self, genome: str, rng: np.random.Generator) -> str:
        warrior = self.assemble(genome)
        code, start = warrior.code, warrior.start
        for _ in range(int(rng.integers(1, self.mutation_edits + 1))):
            code, start = mutate_code(
                code, start, rng, self.settings.coresize, self.settings.maxlength
            )
        return self.canonical(Warrior(code=code, start=start))

    def crossover(self, a: str, b: str, rng: np.random.Generator) -> str:
        first, second = self.assemble(a), self.assemble(b)
        code, start = crossover_code(
            first.code, first.start, second.code, rng, self.settings.maxlength
        )
        return self.canonical(Warrior(code=code, start=start))

    def match(self, a: str, b: str) -> float:
        """Score of ``a`` against ``b``: (wins + ties / 2) / rounds; a warrior that does not
        assemble loses."""
        from problems.corewar.battle import run_pairs

        try:
            first = self.assemble(a)
        except AssemblyError:
            return 0.0
        try:
            second = self.assemble(b)
        except AssemblyError:
            return 1.0
        result = run_pairs([first, second], [(0, 1)], self.settings, self._seed())
        return float((result.wins[0] + 0.5 * result.ties[0]) / self.settings.rounds)

    def opponents(self) -> list[str]:
        return [o.source for o in self.opponent_set]

    def render(self, genome: str, info: dict[str, Any]) -> tuple[str, str]:
        """A ``.red`` file named after the round (or candidate) with its lineage."""
        title = f"round {info['round']} champion" if "round" in info else "evolved"
        header = [
            ";redcode-94",
            f";name {title} {info.get('champion', '')}".rstrip(),
            ";author evo",
        ]
        header += [f";strategy {k} = {v:.4g}" for k, v in info.get("objectives", {}).items()]
        lineage = info.get("lineage", [])
        if lineage:
            steps = " <- ".join(
                f"{x['id'][:8]}({x['operator']}@{x['generation']})" for x in lineage[:12]
            )
            header.append(f";lineage {steps}{' <- ...' if len(lineage) > 12 else ''}")
        body = [
            line
            for line in genome.splitlines()
            if not line.startswith((";name", ";author", ";redcode"))
        ]
        return ".red", "\n".join(header + body) + "\n"

    def finish(self, run_dir: Path, population: Sequence[Any], store: Any) -> list[str]:
        """Write the best warriors of the final population to ``run_dir/champions``."""
        valid = [m for m in population if m.evaluation.ok][:5]
        if not valid:
            return []
        out = Path(run_dir) / "champions"
        out.mkdir(exist_ok=True)
        written = []
        for rank, member in enumerate(valid, start=1):
            info = {"champion": member.id, "objectives": dict(member.evaluation.objectives)}
            _, text = self.render(member.candidate.genome, info)
            path = out / f"rank{rank}-{member.id[:8]}.red"
            path.write_text(text)
            written.append(path.name)
        store.set_meta("champions", written)
        best = valid[0].evaluation
        return [f"champions: {out} ({len(written)} warriors); best vs opponents: {best.feedback}"]
