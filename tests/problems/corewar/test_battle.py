"""Battles against pMARS's recorded outcomes, and the batch API."""

import json

import numpy as np
import pytest

from problems.corewar.assembler import assemble
from problems.corewar.battle import battle, run_pairs
from problems.corewar.mars_reference import Mars
from problems.corewar.placement import rng, schedule
from problems.corewar.redcode import Settings

from support import REPO, SHARED

COREWAR = SHARED / "corewar"
SEEDS = REPO / "problems" / "corewar" / "seeds"


def golden(name):
    return [json.loads(line) for line in (COREWAR / name).read_text().splitlines()]


def load(path, settings):
    return assemble((COREWAR / path).read_text(encoding="latin-1"), settings)


@pytest.mark.parametrize("name", ["pmars-golden-94nop.jsonl", "pmars-golden-examples.jsonl"])
def test_every_recorded_pmars_outcome_is_reproduced(name):
    lines = golden(name)
    wrong = []
    for g in lines:
        settings = Settings(rounds=g["rounds"])
        warriors = [load(g["w1"], settings), load(g["w2"], settings)]
        counts = battle(warriors, settings, g["F"] - settings.mindistance).counts()
        got = (counts[0, 0], counts[1, 0], counts[0, 1])
        if got != (g["w1_wins"], g["w2_wins"], g["ties"]):
            wrong.append((g, got))
    assert not wrong
    assert len(lines) in (500, 40)


def test_reference_simulator_reproduces_a_recorded_outcome():
    g = next(x for x in golden("pmars-golden-examples.jsonl") if "pspace" in x["w2"])
    settings = Settings(rounds=g["rounds"])
    mars = Mars([load(g["w1"], settings), load(g["w2"], settings)], settings)
    wins, ties = [0, 0], 0
    for positions, starter in schedule(2, settings, g["rounds"], g["F"] - settings.mindistance):
        alive = mars.round(positions, starter).alive
        if all(alive):
            ties += 1
        else:
            wins[alive.index(True)] += 1
    assert (wins[0], wins[1], ties) == (g["w1_wins"], g["w2_wins"], g["ties"])


def test_validate_survives_80000_cycles_alone():
    settings = Settings(rounds=1, warriors=1)
    result = battle([load("warriors/examples/validate.red", settings)], settings, 0, observe=True)
    assert result.alive[0, 0]
    assert result.observations[0, 0, 0] == 80_000  # every cycle executed, no death


def test_rng_is_park_miller():
    assert rng(1) == 16807 and rng(2147483646) == 2147466840
    assert schedule(2, Settings(), 1, 6942)[0] == ([0, 7042], 0)


def test_batch_pairs_agree_with_single_battles_and_scale_over_rounds():
    settings = Settings(rounds=12)
    warriors = [
        assemble((SEEDS / f"{n}.red").read_text(), settings)
        for n in ("imp", "dwarf", "paper", "scanner")
    ]
    pairs = [(i, j) for i in range(4) for j in range(4) if i != j]
    batch = run_pairs(warriors, pairs, settings, seed=1234, observe=True)
    for k, (i, j) in enumerate(pairs):
        single = battle([warriors[i], warriors[j]], settings, 1234)
        counts = single.counts()
        assert (batch.wins[k], batch.losses[k], batch.ties[k]) == (
            counts[0, 0],
            counts[1, 0],
            counts[0, 1],
        )
    assert (batch.wins + batch.losses + batch.ties == 12).all()
    executed = batch.observations[..., 0]
    assert (executed > 0).all() and (batch.observations[..., 1] >= 1).all()
    # the paper replicator spawns processes; the imp writes one new cell per instruction
    paper_vs_imp = pairs.index((2, 0))
    assert batch.observations[paper_vs_imp, :, 0, 1].max() > 1
    assert (batch.observations[paper_vs_imp, :, 1, 1] == 1).all()
    imp = batch.observations[paper_vs_imp, :, 1]
    assert (imp[:, 2] == np.minimum(imp[:, 0], 8000)).all()


def test_batch_pairs_take_one_placement_seed_per_pair():
    settings = Settings(rounds=6)
    warriors = [
        assemble((SEEDS / f"{n}.red").read_text(), settings)
        for n in ("imp", "dwarf", "paper", "scanner")
    ]
    pairs = [(1, 0), (1, 2), (1, 3), (3, 2)]
    seeds = [11, 4000, 77, 7700]
    batch = run_pairs(warriors, pairs, settings, seeds)
    for k, ((i, j), seed) in enumerate(zip(pairs, seeds, strict=True)):
        counts = battle([warriors[i], warriors[j]], settings, seed).counts()
        assert (batch.wins[k], batch.losses[k], batch.ties[k]) == (
            counts[0, 0],
            counts[1, 0],
            counts[0, 1],
        )
    with pytest.raises(ValueError, match="2 placement seeds for 4 pairs"):
        run_pairs(warriors, pairs, settings, [1, 2])


def test_melee_scores_and_alive_share():
    settings = Settings(rounds=20, warriors=4)
    warriors = [
        assemble((SEEDS / f"{n}.red").read_text(), settings)
        for n in ("imp", "dwarf", "paper", "scanner")
    ]
    result = battle(warriors, settings, 77)
    counts = result.counts()
    assert (counts[:, :4].sum(axis=1) + counts[:, 4:].sum(axis=1) == 20).all()
    share = result.alive_share()
    assert share.sum() == pytest.approx(1.0) and (share >= 0).all()
    assert result.scores() == [
        sum(int(c) * ((16 - 1) // s) for s, c in enumerate(row[:4], 1)) for row in counts
    ]


def test_parallel_and_sequential_rounds_agree():
    settings = Settings(rounds=30)
    warriors = [assemble((SEEDS / f"{n}.red").read_text(), settings) for n in ("dwarf", "paper")]
    a = battle(warriors, settings, 555, parallel=True, observe=True)
    b = battle(warriors, settings, 555, parallel=False, observe=True)
    assert np.array_equal(a.alive, b.alive) and np.array_equal(a.observations, b.observations)
