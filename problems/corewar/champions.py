"""Champions: chosen again on fresh placements, shrunk, and written with their story.

A run's best warrior by its evaluation score is partly the luckiest one, so the few best
are played again on the same (training) opponents at other placements and the best of
that replay is the champion. The champion is then shrunk (``shrink``) and written as a
``.red`` file whose ``;strategy`` lines name its family and its lineage. A run trained
on the ``train`` part of a hill also measures its champion, and the dwarf, on the
held-out part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from problems.corewar.gauntlet import Gauntlet
from problems.corewar.redcode import Settings, Warrior

if TYPE_CHECKING:
    from evo.records import Evaluation
    from evo.selection.base import Member
    from evo.store import Store

CONTENDERS = 5
"""Best members of the final population that are replayed to choose the champion."""

FAMILY = ";strategy family: "
EDITED = " (edited)"


def family(genome: str) -> str | None:
    """The strategy family a genome names (``;strategy family: ...`` or a template's
    ``;strategy`` line), without the edited mark."""
    for line in genome.splitlines():
        if _names_family(line):
            text = line[len(FAMILY) :] if line.startswith(FAMILY) else line[len(";strategy ") :]
            return text.removesuffix(EDITED).strip() or None
    return None


def _names_family(line: str) -> bool:
    return line.startswith(FAMILY) or (line.startswith(";strategy ") and ":" not in line)


def edited(name: str) -> str:
    """The ``;strategy`` text of a warrior of family ``name`` changed instruction by
    instruction (no longer what its template renders)."""
    return f"family: {name}{EDITED}"


def lineage_text(lineage: Sequence[Mapping[str, Any]]) -> str:
    """The operators from the seed to the champion, oldest first, runs counted, by Red
    Queen round where the entries name one:
    ``round 0: seed@0 > template > tune x3 | round 1: swap > mutation x2 (9 steps, from 1a2b3c4d)``.
    """
    if not lineage:
        return "seed"
    steps = list(reversed(lineage))
    origin = steps[0]
    groups = []
    for round_, in_round in groupby(steps, key=lambda x: x.get("round")):
        parts = []
        for operator, run in groupby(str(x["operator"]) for x in in_round):
            count = len(list(run))
            parts.append(operator + (f" x{count}" if count > 1 else ""))
        if not groups:
            parts[0] = parts[0].replace(
                str(origin["operator"]), f"{origin['operator']}@{origin['generation']}", 1
            )
        groups.append((f"round {round_}: " if round_ is not None else "") + " > ".join(parts))
    return f"{' | '.join(groups)} ({len(steps)} steps, from {str(origin['id'])[:8]})"


def render(genome: str, info: Mapping[str, Any]) -> str:
    """A champion's ``.red`` file: name, family, lineage, scores, then the code."""
    title = f"round {info['round']} champion" if "round" in info else "evolved"
    name = family(genome) or "free-form"
    header = [
        ";redcode-94",
        f";name {title} {str(info.get('champion', ''))[:12]}".rstrip(),
        ";author evo",
        f";strategy {name}; lineage: {lineage_text(info.get('lineage', []))}",
    ]
    header += [f";strategy {k} = {v:.4g}" for k, v in info.get("objectives", {}).items()]
    body = [
        line
        for line in genome.splitlines()
        if not line.startswith((";name", ";author", ";redcode")) and not _names_family(line)
    ]
    return "\n".join(header + body) + "\n"


@dataclass(frozen=True)
class Replayed:
    """A candidate genome and its score on the replay placements."""

    genome: str
    score: float
    standard_error: float


def replay(
    genomes: Sequence[str], warriors: Sequence[Warrior], gauntlet: Gauntlet, seed: int
) -> list[Replayed]:
    """Scores of ``warriors`` on ``gauntlet``'s opponents at other placements (from
    ``seed``) and at least 4 rounds each, best first."""
    settings = Settings(
        **{**gauntlet.settings.__dict__, "rounds": max(4, gauntlet.settings.rounds)}
    )
    fresh = Gauntlet.of(gauntlet.opponents, settings, seed)
    outcomes = fresh.play(list(warriors))
    ranked = sorted(zip(genomes, outcomes, strict=True), key=lambda x: -x[1].score)
    return [Replayed(g, o.score, o.standard_error) for g, o in ranked]


class Crowning(Protocol):
    """What crowning needs of the Core War problem."""

    params: dict[str, Any]
    settings: Settings
    scoring: str
    placement_seed: int

    @property
    def gauntlet(self) -> Gauntlet: ...

    def assemble(self, genome: str) -> Warrior: ...

    def evaluate(self, genome: str) -> Evaluation: ...

    def polish(self, genome: str) -> str: ...


def crown(
    problem: Crowning, run_dir: Path, population: Sequence[Member], store: Store
) -> list[str]:
    """Choose, polish and write the champion of a finished run; returns summary lines.

    Writes ``champions/champion.red`` and the contenders as ``champions/rank*.red``, and
    records ``champion`` (and ``heldout`` when measured) in the store's meta."""
    valid = [m for m in population if m.evaluation.ok][:CONTENDERS]
    if not valid:
        return []
    if problem.scoring == "pmars":
        genomes = [m.candidate.genome for m in valid]
        warriors = [problem.assemble(g) for g in genomes]
        ranked = replay(genomes, warriors, problem.gauntlet, problem.placement_seed + 1)
        valid = [valid[genomes.index(r.genome)] for r in ranked]
    out = run_dir / "champions"
    out.mkdir(exist_ok=True)
    written = []
    for rank, member in enumerate(valid, start=1):
        info = {
            "champion": member.id,
            "objectives": dict(member.evaluation.objectives),
            "lineage": store.lineage(member.id),
        }
        path = out / f"rank{rank}-{member.id[:8]}.red"
        path.write_text(render(member.candidate.genome, info))
        written.append(path.name)
    best = valid[0]
    polished = problem.polish(best.candidate.genome)
    evaluation = problem.evaluate(polished)
    info = {
        "champion": best.id,
        "objectives": dict(evaluation.objectives),
        "lineage": store.lineage(best.id),
    }
    (out / "champion.red").write_text(render(polished, info))
    store.set_meta("champions", written)
    store.set_meta("champion", {"id": best.id, "genome": polished, **info})
    score = evaluation.objectives.get("score", 0.0)
    lines = [
        f"champion: {out / 'champion.red'} ({family(polished) or 'free-form'}, "
        f"{len(problem.assemble(polished))} lines, score {score:.3f} after replay and "
        f"shrinking); {len(written)} contenders in {out}"
    ]
    return lines + _heldout_report(problem, polished, store)


CHECKPOINTS = 8
"""Points of a run at which its best-so-far warrior is measured on the held-out part."""


def _heldout_report(problem: Crowning, genome: str, store: Store) -> list[str]:
    """When the run trained on the ``train`` part of a hill: the champion, the run's
    best-so-far warrior at ``CHECKPOINTS`` points (the first being the best seed) and the
    dwarf, measured on the held-out part and recorded as meta ``heldout``."""
    from problems.corewar.heldout import HeldOut
    from problems.corewar.opponents import seed_source

    directory = problem.params["opponents_dir"]
    if problem.params["opponents_split"] != "train" or not directory:
        return []
    heldout = HeldOut.of(directory, problem.settings)
    checkpoints = best_so_far(store, CHECKPOINTS)
    genomes = [genome, seed_source("dwarf")] + [g for _, g in checkpoints]
    outcomes = heldout.play([problem.assemble(g) for g in genomes])
    measured = [{"score": o.score, "se": o.standard_error} for o in outcomes]
    curve = [
        {"evaluations": count, **result}
        for (count, _), result in zip(checkpoints, measured[2:], strict=True)
    ]
    store.set_meta(
        "heldout",
        {
            "measure": heldout.describe(),
            "champion": measured[0],
            "dwarf": measured[1],
            "curve": curve,
        },
    )
    champion, dwarf, seed = measured[0], measured[1], measured[2]
    return [
        f"held-out ({heldout.describe()}, never used for selection): champion "
        f"{champion['score']:.3f} +- {champion['se']:.3f}; best seed {seed['score']:.3f}; "
        f"the dwarf {dwarf['score']:.3f} (plots/heldout.png)"
    ]


def best_so_far(store: Store, points: int) -> list[tuple[int, str]]:
    """``(evaluations, genome)`` of the best-scoring warrior evaluated so far, at the end
    of the seeds and at ``points - 1`` evenly spaced counts of evaluations after them."""
    import polars as pl

    from evo.export import evaluations

    frame = evaluations(store).filter(pl.col("status") == "ok").sort("seq")
    genomes = store.candidates()
    seeds = sum(1 for c in genomes.values() if c.operator == "seed")
    total = frame.height
    spaced = np.linspace(seeds, total, points).astype(int)[1:].tolist()
    counts = sorted({min(total, seeds), *spaced})
    out = []
    for count in counts:
        best = frame.head(max(count, 1)).sort("score", descending=True).row(0, named=True)
        out.append((count, genomes[best["candidate_id"]].genome))
    return out
