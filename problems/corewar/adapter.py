"""Core War as an evo problem: a genome is Redcode source, fitness is battle score.

A candidate is assembled (failure: ``invalid``, with the assembler's message) and
battled against the opponent set on the numba MARS (a ``Gauntlet``). The score is
pMARS's (3 per win, 1 per tie) divided by 3 per round, so 1.0 means it won every round;
``alive_share`` scoring plays one melee with all opponents instead and counts each
round's survival share (the Digital Red Queen paper's measure). Each opponent is met at
placements of its own, drawn as pMARS draws them; every candidate meets the same ones, so
scores compare. With a screen, a candidate first plays a few opponents for a few rounds
and only plays them all when it reaches the screen's threshold (a cascade).
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
from problems.corewar import champions
from problems.corewar import opponents as opp
from problems.corewar.assembler import AssemblyError, assemble
from problems.corewar.disassembler import disassemble
from problems.corewar.gauntlet import Gauntlet, Outcome
from problems.corewar.hill import Part
from problems.corewar.operators import crossover_code, mutate_code
from problems.corewar.redcode import Settings, Warrior
from problems.corewar.strategy.design import Design, random_design
from problems.corewar.strategy.operators import OPERATORS

FEEDBACK_OPPONENTS = 16
"""Opponents named in feedback (the worst-played ones) and kept as instance scores."""

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
        opponents_split: only the ``train`` or the ``heldout`` part of the directory
            (``problems.corewar.hill``: a fixed split by file name).
        opponents_sample: use only this many of the directory's warriors (fixed sample).
        rounds: rounds per opponent.
        screen_opponents: play this many opponents first (0: no screen) ...
        screen_rounds: ... for this many rounds each, ...
        screen_threshold: ... and all of them only when that scores at least this.
        scoring: ``pmars`` (1-v-1 points) or ``alive_share`` (one melee with everyone).
        secondary: extra objectives for Pareto runs: ``length``, ``survival``.
        placement_seed: seeds the placements every candidate is tested on.
        coresize, cycles, processes, maxlength, mindistance: pMARS settings.
        seeds_from: the built-in warriors the initial population is grown from.
        initial: more genomes for the initial population (e.g. carried over by Red Queen).
        template_seeds: random template warriors (``strategy``) added to the initial
            population.
        mutation_edits: maximum number of edits one mutation applies.
    """

    name = "corewar"
    description = "Core War: evolve Redcode warriors against opponents on a pMARS-exact MARS"

    def __init__(
        self,
        opponents: Sequence[str] = ("seed:dwarf", "seed:imp", "seed:paper", "seed:scanner"),
        opponents_dir: str | None = None,
        opponents_split: Part | None = None,
        opponents_sample: int | None = None,
        rounds: int = 10,
        screen_opponents: int = 0,
        screen_rounds: int = 2,
        screen_threshold: float = 0.0,
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
        template_seeds: int = 0,
        mutation_edits: int = 3,
    ) -> None:
        if rounds < 1 or screen_rounds < 1:
            raise ValueError("rounds and screen_rounds must be at least 1")
        if screen_opponents < 0 or template_seeds < 0:
            raise ValueError("screen_opponents and template_seeds must not be negative")
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
            "opponents_split": opponents_split,
            "opponents_sample": opponents_sample,
            "placement_seed": placement_seed,
        }
        self.scoring = scoring
        self.placement_seed = placement_seed
        self.initial = list(initial)
        self.seeds_from = [opp.seed_source(name) for name in seeds_from]
        self.template_seeds = template_seeds
        self.screen = (screen_opponents, screen_rounds, screen_threshold)
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
                self.params["opponents_split"],
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

    @property
    def gauntlet(self) -> Gauntlet:
        """The opponents with their placements, as every candidate meets them."""
        return Gauntlet.of(self.opponent_set, self.settings, self.placement_seed)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_opponents": None}

    # Problem ---------------------------------------------------------------
    def check_setup(self) -> None:
        """Every opponent must assemble."""
        self.opponent_set  # noqa: B018 (assembles, raising on a broken opponent)

    def prepare(self) -> None:
        """Compile the battle kernels (about a minute once per machine, then cached)."""
        warrior = self.opponent_set[0].warrior
        if self.scoring == "alive_share":
            self._melee(warrior)
        else:
            self.gauntlet.subset(1, 1).play([warrior], observe=True)

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
        """The ``initial`` genomes as they are, the built-in seeds (disassembled, with their
        name as family), then ``template_seeds`` random template warriors."""
        sources = []
        for genome in self.initial:
            try:
                self.assemble(genome)
                sources.append(genome)
            except AssemblyError:
                continue  # a carried-over genome that no longer fits the settings
        for source in self.seeds_from:
            warrior = assemble(source, self.settings)
            text = self.canonical(warrior)
            sources.append(
                text.replace(";author evo\n", f";author evo\n{champions.FAMILY}{warrior.name}\n", 1)
            )
        templates = [
            self.render_design(random_design(rng, self.settings.coresize, self.settings.maxlength))
            for _ in range(self.template_seeds)
        ]
        genomes = sources + templates
        return [genomes[i % len(genomes)] for i in range(max(n, len(templates)))]

    def canonical(self, warrior: Warrior, parent: str | None = None) -> str:
        """Genome text: disassembly without a name (the file name is added on export);
        the family of ``parent`` (its ``;strategy`` line) is kept, marked as edited."""
        family = champions.family(parent) if parent else None
        plain = Warrior(
            code=warrior.code,
            start=warrior.start,
            name="evolved",
            author="evo",
            strategy=champions.edited(family) if family else "",
            pin=warrior.pin,
        )
        return disassemble(plain, self.settings.coresize)

    def render_design(self, design: Design) -> str:
        """Genome text of a template warrior: its source with labels and ``;design``."""
        return design.source(self.settings.coresize)

    def operators(self) -> dict[str, Any]:
        return dict(OPERATORS)

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
        gauntlet = self.gauntlet
        count, rounds, threshold = self.screen
        if 0 < count < len(gauntlet.opponents):
            screen = gauntlet.subset(count, rounds)
            outcome = screen.play([warrior], observe=True)[0]
            if outcome.score < threshold:
                return self._scored(warrior, screen, outcome, stage=1)
        return self._scored(warrior, gauntlet, gauntlet.play([warrior], observe=True)[0], 2)

    def _scored(
        self, warrior: Warrior, gauntlet: Gauntlet, outcome: Outcome, stage: int
    ) -> Evaluation:
        rivals = gauntlet.opponents
        objectives = {
            "score": outcome.score,
            "length": float(len(warrior)),
            "survival": float(np.mean(outcome.observations[:, :, 3] < 0)),
        }
        total = outcome.wins.sum() + outcome.ties.sum() + outcome.losses.sum()
        per_opponent = outcome.per_opponent
        worst = np.argsort(per_opponent, kind="stable")[:FEEDBACK_OPPONENTS]
        tallies = (
            f"vs {rivals[k].label}: {outcome.wins[k]}W {outcome.ties[k]}T {outcome.losses[k]}L"
            for k in sorted(worst)
        )
        head = (
            f"screened out (stage 1: {len(rivals)} opponents x {gauntlet.settings.rounds} rounds, "
            f"threshold {self.screen[2]:g}); "
            if stage == 1
            else ""
        )
        more = len(rivals) - len(worst)
        feedback = head + "; ".join(tallies) + (f"; and {more} more opponents" if more > 0 else "")
        return Evaluation(
            objectives={o.name: objectives[o.name] for o in self.objectives},
            instance_scores=(
                {o.label: float(v) for o, v in zip(rivals, per_opponent, strict=True)}
                if len(rivals) <= FEEDBACK_OPPONENTS
                else {}
            ),
            descriptors=self._descriptors(outcome.observations)
            | {
                "win_rate": float(outcome.wins.sum() / total),
                "tie_rate": float(outcome.ties.sum() / total),
                "loss_rate": float(outcome.losses.sum() / total),
                "score_se": outcome.standard_error,
                "stage": float(stage),
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
        return self.canonical(Warrior(code=code, start=start), genome)

    def crossover(self, a: str, b: str, rng: np.random.Generator) -> str:
        first, second = self.assemble(a), self.assemble(b)
        code, start = crossover_code(
            first.code, first.start, second.code, rng, self.settings.maxlength
        )
        return self.canonical(Warrior(code=code, start=start), a)

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

    def polish(self, genome: str) -> str:
        """The genome with the lines that never run and never matter removed (``shrink``,
        judged on this problem's opponents); unchanged when nothing can go."""
        from problems.corewar.shrink import shrink

        try:
            warrior = self.assemble(genome)
        except AssemblyError:
            return genome
        shrunk = shrink(warrior, self.gauntlet)
        if not shrunk.removed:
            return genome
        text = self.canonical(shrunk.warrior, genome).replace(champions.EDITED, "")
        note = f";strategy shrunk: {len(shrunk.removed)} lines that never ran and never mattered"
        return text.replace(";author evo\n", f";author evo\n{note}\n", 1)

    def label(self, genome: str) -> str | None:
        """The genome's strategy family (a seed's name for the built-in seeds)."""
        return champions.family(genome) if isinstance(genome, str) else None

    def render(self, genome: str, info: dict[str, Any]) -> tuple[str, str]:
        """A ``.red`` file with the champion's family, lineage and scores."""
        return ".red", champions.render(genome, info)

    def finish(self, run_dir: Path, population: Sequence[Any], store: Any) -> list[str]:
        """Crown and write the champion (``champions.crown``)."""
        return champions.crown(self, Path(run_dir), population, store)

    @classmethod
    def figures(cls, store: Any, out_dir: Path) -> list[Path]:
        """``heldout.png`` for runs trained on a hill's training part."""
        from problems.corewar.figures import heldout_figure

        return heldout_figure(store, out_dir)
