"""The household world: deterministic generation, solvable goals, the text interface, the
success check and partial credit, and disjoint task splits."""

import copy
import random

import pytest

from problems.household.catalog import OPENABLE, TASK_KINDS
from problems.household.env import NOTHING, HouseholdEnv
from problems.household.language import goal_conditions
from problems.household.solver import plan, solve
from problems.household.tasks import suite, task
from problems.household.world import generate


def test_the_same_seed_gives_the_same_house_and_goal():
    a, b = HouseholdEnv.from_seed(42), HouseholdEnv.from_seed(42)
    assert a.intro() == b.intro() and a.world.items.keys() == b.world.items.keys()
    assert [i.location for i in a.world.items.values()] == [
        i.location for i in b.world.items.values()
    ]
    assert HouseholdEnv.from_seed(43).intro() != a.intro()


@pytest.mark.parametrize("seed", range(0, 600, 7))
def test_every_task_is_unsolved_at_first_and_the_oracle_solves_it(seed):
    kind = TASK_KINDS[seed % len(TASK_KINDS)]
    env = HouseholdEnv.from_seed(seed, kind)
    assert not env.goal_reached() and env.score() == 0.0
    world = env.world
    for name, receptacle in world.receptacles.items():
        assert receptacle.is_open == (receptacle.type not in OPENABLE)
        for item in receptacle.contents:
            assert world.items[item].location == name
    solved = solve(seed, kind)
    assert solved.goal_reached() and solved.score() == 1.0
    assert solved.steps == len(plan(generate(seed, kind)))


def test_goals_read_as_their_kind():
    texts = {kind: generate(7, kind).goal.text for kind in TASK_KINDS}
    assert texts["examine"].startswith("look at ") and texts["examine"].endswith(
        "under the desklamp"
    )
    assert texts["two"].startswith("put two ")
    assert texts["clean"].startswith("put a clean ") and texts["heat"].startswith("put a hot ")
    assert texts["cool"].startswith("put a cool ")


def first_of(env, rtype):
    return env.world.of_type(rtype)[0].name


def test_closed_receptacles_hide_their_contents_until_opened():
    env = next(
        e for s in range(50) if (e := HouseholdEnv.from_seed(s)).world.of_type("fridge")[0].contents
    )
    fridge = first_of(env, "fridge")
    item = env.world.receptacles[fridge].contents[0]
    assert env.step(f"go to {fridge}") == f"You arrive at {fridge}. The {fridge} is closed."
    assert env.step(f"take {item} from {fridge}") == NOTHING
    assert item in env.step(f"open {fridge}")
    assert env.step(f"take {item} from {fridge}") == f"You pick up the {item} from the {fridge}."
    assert env.step(f"take {item} from {fridge}") == NOTHING  # hands are full
    assert env.step("inventory") == f"You are carrying: a {item}."
    assert env.steps == 6


def test_treatments_need_their_appliance_and_set_the_state():
    env = HouseholdEnv.from_seed(1, "clean")  # put a clean X in Y
    goal = env.world.goal
    item = next(i for i in env.world.items.values() if i.type == goal.obj)
    for action in plan(env.world)[: plan(env.world).index(f"go to {first_of(env, 'sinkbasin')}")]:
        env.step(action)
    assert env.step(f"clean {item.name} with {env.location}") == NOTHING  # not at the sink
    sink = first_of(env, "sinkbasin")
    env.step(f"go to {sink}")
    assert env.step(f"heat {item.name} with {sink}") == NOTHING
    assert env.step(f"clean {item.name} with {sink}").startswith("You clean")
    assert item.clean and env.treated
    assert env.step(f"examine {item.name}") == f"This is a normal {item.name}. It is clean."


def test_the_success_check_wants_the_treated_object_in_the_target():
    env = HouseholdEnv.from_seed(2, "heat")
    goal = env.world.goal
    item = next(i for i in env.world.items.values() if i.type == goal.obj)
    target = first_of(env, goal.target)
    where = item.location
    for action in (
        f"go to {where}",
        f"open {where}",
        f"take {item.name} from {where}",
        f"go to {target}",
        f"open {target}",
    ):
        env.step(action)
    assert env.score() == pytest.approx(0.5 * 1 / 3)  # found it: one of three subgoals
    env.step(f"put {item.name} in/on {target}")
    assert not env.goal_reached()  # not hot
    assert (
        env.count_placed(goal.obj, goal.target) == 1
        and env.count_placed(goal.obj, goal.target, "hot") == 0
    )


def test_every_admissible_action_does_something():
    rng = random.Random(0)
    for seed in range(12):
        env = HouseholdEnv.from_seed(seed)
        for _ in range(25):
            actions = env.admissible()
            for action in actions:
                probe = copy.deepcopy(env)
                assert probe.step(action) != NOTHING, (seed, action)
            env.step(rng.choice(actions))


def test_unknown_or_malformed_actions_do_nothing_but_cost_a_step():
    env = HouseholdEnv.from_seed(3)
    for action in ("dance", "go to the moon", "open", "take mug 1", "use desklamp 7", ""):
        assert env.step(action) == NOTHING
    assert env.steps == 6


@pytest.mark.parametrize(
    ("goal", "bindings", "conditions"),
    [
        (
            "put a mug in cabinet",
            {"obj": "mug", "target": "cabinet"},
            ["holding {obj}", "placed {obj} {target}"],
        ),
        (
            "put a clean mug on countertop",
            {"obj": "mug", "target": "countertop"},
            ["holding {obj}", "clean {obj}", "placed {obj} {target}"],
        ),
        (
            "put a cool apple in cabinet",
            {"obj": "apple", "target": "cabinet"},
            ["holding {obj}", "cool {obj}", "placed {obj} {target}"],
        ),
        (
            "put two pen on desk",
            {"obj": "pen", "target": "desk"},
            ["holding {obj}", "placed {obj} {target}", "placed {obj} {target}"],
        ),
        ("look at book under the desklamp", {"obj": "book"}, ["holding {obj}", "examined {obj}"]),
    ],
)
def test_goals_become_subgoals(goal, bindings, conditions):
    assert goal_conditions(goal) == (bindings, conditions)


def test_goal_text_that_is_not_a_household_goal_is_rejected():
    with pytest.raises(ValueError, match="not a household goal"):
        goal_conditions("make coffee")


def test_suites_rotate_kinds_and_keep_splits_apart():
    tasks = suite(n_train=12, n_heldout=6)
    assert [t["kind"] for t in tasks["train"][:6]] == list(TASK_KINDS)
    assert {t["seed"] for t in tasks["train"]}.isdisjoint(t["seed"] for t in tasks["heldout"])
    assert tasks["train"][0] == task(0, "train") and tasks["train"][0]["id"] == "train-0"
    with pytest.raises(ValueError, match="overlap"):
        suite(n_train=10, n_heldout=10, train_start=0, heldout_start=5)
