"""Gauntlets: every opponent at placements of its own, scores with a standard error."""

import numpy as np
import pytest

from problems.corewar.assembler import assemble
from problems.corewar.battle import battle
from problems.corewar.gauntlet import Gauntlet, placement_seed
from problems.corewar.opponents import Opponent, seed_source
from problems.corewar.redcode import Settings

NAMES = ("imp", "dwarf", "paper", "scanner")


@pytest.fixture(scope="module")
def gauntlet():
    settings = Settings(rounds=6)
    opponents = [Opponent(n, "", assemble(seed_source(n), settings)) for n in NAMES]
    return Gauntlet.of(opponents, settings, seed=5)


def test_each_opponent_is_met_at_its_own_placements_as_a_single_battle_would(gauntlet):
    settings = gauntlet.settings
    dwarf = assemble(seed_source("dwarf"), settings)
    outcome = gauntlet.play([dwarf], observe=True)[0]
    assert len(set(gauntlet.seeds)) == len(NAMES)
    for k, opponent in enumerate(gauntlet.opponents):
        seed = placement_seed(5, k, settings)
        counts = battle([dwarf, opponent.warrior], settings, seed).counts()
        assert (outcome.wins[k], outcome.losses[k], outcome.ties[k]) == (
            counts[0, 0],
            counts[1, 0],
            counts[0, 1],
        )
    assert outcome.observations.shape == (len(NAMES), 6, 4)


def test_score_and_standard_error_are_over_opponents(gauntlet):
    warriors = [assemble(seed_source(n), gauntlet.settings) for n in NAMES]
    outcomes = gauntlet.play(warriors)
    for outcome in outcomes:
        per = (3 * outcome.wins + outcome.ties) / 18
        assert outcome.score == pytest.approx(per.mean())
        assert outcome.standard_error == pytest.approx(per.std(ddof=1) / 2)
    # a warrior against itself ties or splits evenly
    assert outcomes[0].per_opponent[0] == pytest.approx(1 / 3)


def test_a_subset_keeps_each_opponents_placements_and_plays_fewer_rounds(gauntlet):
    small = gauntlet.subset(2, 3)
    assert [o.label for o in small.opponents] == ["imp", "paper"]
    assert small.seeds == (gauntlet.seeds[0], gauntlet.seeds[2])
    assert small.settings.rounds == 3
    dwarf = assemble(seed_source("dwarf"), gauntlet.settings)
    outcome = small.play([dwarf])[0]
    assert np.all(outcome.wins + outcome.ties + outcome.losses == 3)
