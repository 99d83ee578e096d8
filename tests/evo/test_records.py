import math

import pytest

from evo.problem import coerce_evaluation
from evo.records import Candidate, Evaluation, Match, Objective, Status, genome_id


def test_genome_id_is_a_content_hash_independent_of_key_order():
    assert genome_id({"a": 1, "b": [1, 2]}) == genome_id({"b": [1, 2], "a": 1})
    assert genome_id("mov 0, 1") != genome_id("mov 0, 2")
    assert Candidate.new([1, 2]).id == genome_id([1, 2])


def test_match_outcome_must_lie_in_unit_interval():
    Match("a", "b", 0.5)
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(ValueError):
            Match("a", "b", bad)


def test_objective_direction_is_checked():
    with pytest.raises(ValueError):
        Objective("x", "up")  # type: ignore[arg-type]


OBJECTIVES = (Objective("f", "min"), Objective("g"))


def test_coerce_accepts_mapping_and_converts_to_float():
    e = coerce_evaluation({"f": 1, "g": 2.5}, OBJECTIVES)
    assert e.status is Status.OK and e.objectives == {"f": 1.0, "g": 2.5}


@pytest.mark.parametrize(
    "result, reason",
    [
        ({"f": 1.0}, "objective 'g' missing"),
        ({"f": math.nan, "g": 1}, "not a finite number"),
        ({"f": math.inf, "g": 1}, "not a finite number"),
        ({"f": "x", "g": 1}, "not a finite number"),
    ],
)
def test_coerce_turns_unusable_values_into_invalid(result, reason):
    e = coerce_evaluation(result, OBJECTIVES)
    assert e.status is Status.INVALID and reason in e.feedback and not e.objectives


def test_coerce_keeps_failures_and_rejects_other_types():
    failure = Evaluation.failure(Status.TIMEOUT, "slow")
    assert coerce_evaluation(failure, OBJECTIVES) is failure
    assert coerce_evaluation(42, OBJECTIVES).status is Status.ERROR
