"""ELO selection on a non-transitive game: ratings must order strategies by true strength."""

import itertools

import numpy as np
from scipy.stats import kendalltau

from evo.config import load_config
from evo.engine import Engine
from evo.store import Store
from problems.rps import NASH, PAYOFF, WeightedRPS

from support import REPO


def test_the_game_is_non_transitive_and_nash_is_unexploitable():
    rps = WeightedRPS()
    rock, paper, scissors = rps.opponents()
    assert rps.match(paper, rock) > 0.5 and rps.match(scissors, paper) > 0.5
    assert rps.match(rock, scissors) > 0.5
    assert rps.evaluate(NASH.tolist()).objectives["exploitability"] < 1e-12
    assert np.allclose(PAYOFF, -PAYOFF.T)


def test_final_elo_order_matches_true_expected_score_against_the_population(tmp_path):
    config = load_config(REPO / "experiments" / "rps_elo.yaml")
    problem = WeightedRPS()
    engine = Engine(problem, config, Store.in_dir(tmp_path, create=True))
    engine.run()
    members = engine.members()
    genomes = {m.id: m.candidate.genome for m in members}
    true_score = {
        a: np.mean([problem.match(genomes[a], genomes[b]) for b in genomes if b != a])
        for a in genomes
    }
    rows = engine.store.db.execute(
        "SELECT candidate_id, rating FROM ratings WHERE generation = ?", (engine.generation - 1,)
    ).fetchall()
    rating = {cid: r for cid, r in rows if cid in genomes}
    assert len(rating) == len(members) == config.population.size
    ids = sorted(genomes)
    tau = kendalltau([rating[i] for i in ids], [true_score[i] for i in ids]).statistic
    assert tau > 0.95, tau
    for a, b in itertools.combinations(ids, 2):
        if abs(true_score[a] - true_score[b]) > 1e-3:
            assert (rating[a] > rating[b]) == (true_score[a] > true_score[b])
    # the population moved toward the equilibrium
    first = engine.store.db.execute("SELECT stats FROM generations WHERE generation = 0")
    assert (
        engine.store.last_generation()["stats"]["objectives"]["exploitability"]["median"]
        < (__import__("json").loads(first.fetchone()[0])["objectives"]["exploitability"]["median"])
    )
