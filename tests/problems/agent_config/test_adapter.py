"""The agent-config adapter: the cascade, per-task scores, schema violations, broken
skills and agent crashes recorded with their reason, a user's own agent and task suite,
and a held-out split that evaluation never touches."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from evo import Status, registry
from evo.errors import ConfigError
from evo.genomes.operators import HINTS_ARTIFACT
from problems.agent_config import AgentConfigProblem
from problems.household.language import library

HERE = Path(__file__).parent
TUNED = {"max_steps": 60, "open_containers": True, "plan_depth": 2,
         "search_order": ["countertop", "cabinet", "fridge", "drawer", "diningtable", "shelf", "sidetable",
                          "desk", "stoveburner", "coffeemachine", "sofa", "bed", "dresser", "armchair"]}  # fmt: skip


@pytest.fixture(scope="module")
def household():
    return AgentConfigProblem(task_params={"n_train": 24, "n_heldout": 12})


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """A directory holding a user's agent module, as `evo run` would find it."""
    shutil.copy(HERE / "user_agent.py", tmp_path / "my_agent.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def user_problem(**params):
    base = {"run_agent": "my_agent:run_agent", "schema": "my_agent:Guess", "tasks": "my_agent:tasks",
            "skill_grammar": None, "cost": "tokens", "cascade_threshold": None}  # fmt: skip
    return AgentConfigProblem(**(base | params))


def test_a_weak_agent_stops_after_the_minibatch(household):
    evaluation = household.evaluate(household.seed_genome)
    assert evaluation.ok and evaluation.descriptors["stage"] == 1.0
    assert list(evaluation.instance_scores) == [f"train-{i}" for i in range(6)]
    assert "minibatch of 6 tasks only" in evaluation.feedback
    assert evaluation.objectives["success"] < 0.1 and set(evaluation.objectives) == {
        "success",
        "steps",
    }
    # conditions no skill achieves, for skill_add to aim at (the seed only finds things)
    assert set(evaluation.artifacts[HINTS_ARTIFACT].splitlines()) == {
        "cool {obj}",
        "placed {obj} {target}",
    }


def test_a_good_agent_is_scored_on_the_whole_training_suite(household):
    genome = {"config": household.config_space.normalize(TUNED), "skills": library("handwritten")}
    evaluation = household.evaluate(genome)
    assert evaluation.ok and evaluation.descriptors["stage"] == 2.0
    assert len(evaluation.instance_scores) == 24 and all(
        k.startswith("train-") for k in evaluation.instance_scores
    )
    assert evaluation.descriptors["solved"] > 0.9 and evaluation.descriptors["library_size"] == 6
    assert evaluation.objectives["steps"] == pytest.approx(evaluation.descriptors["steps"])
    assert evaluation.feedback.startswith("solved ")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda g: g | {"config": g["config"] | {"max_steps": 500}},
            "config violates the schema: field 'max_steps': Input should be less than or equal to 80",
        ),
        (
            lambda g: g | {"config": g["config"] | {"search_order": ["attic"]}},
            "config violates the schema: field 'search_order.0'",
        ),
        (
            lambda g: (
                g
                | {"skills": [{"name": "x", "body": ["teleport {obj}"], "check": "holding {obj}"}]}
            ),
            "broken skill library: skill 1 ('x'): body step 1: unknown action 'teleport'",
        ),
        (lambda g: g | {"prompt": "hi"}, "unknown genome part 'prompt'"),
        (lambda g: ["not", "a", "mapping"], "a genome must be a mapping, not list"),
    ],
)
def test_unusable_genomes_are_invalid_with_the_reason(household, change, reason):
    evaluation = household.evaluate(change(household.seed_genome))
    assert evaluation.status is Status.INVALID and reason in evaluation.feedback
    assert household.check_genome(change(household.seed_genome)) == evaluation.feedback


def test_a_users_agent_and_suite_plug_in(user_dir):
    problem = user_problem()
    assert [o.name for o in problem.objectives] == ["success", "tokens"]
    assert problem.seed_genome == {"config": {"guess": 5, "effort": 1.0}}
    evaluation = problem.evaluate({"config": {"guess": 7, "effort": 2.0}})
    assert evaluation.instance_scores == {f"t{i}": 1.0 if i % 2 == 0 else 0.9 for i in range(6)}
    assert evaluation.objectives == {"success": pytest.approx(0.95), "tokens": 21.0}
    child = problem.mutate(problem.seed_genome, np.random.default_rng(0))
    assert set(child) == {"config"} and problem.check_genome(child) is None


def test_agent_crashes_are_recorded_and_the_other_tasks_still_count(user_dir):
    problem = user_problem(task_params={"boom": True})
    evaluation = problem.evaluate({"config": {"guess": 7, "effort": 1.0}})
    assert (
        evaluation.ok
        and evaluation.instance_scores["t1"] == 0.0
        and evaluation.instance_scores["t2"] == 1.0
    )
    assert (
        "the agent crashed on 1 task(s), e.g. t1: RuntimeError: agent exploded on t1"
        in evaluation.feedback
    )
    assert (
        "RuntimeError" in evaluation.artifacts["crashes"]
        and evaluation.descriptors["crashes"] == 1.0
    )


def test_an_agent_that_always_crashes_is_an_error(user_dir):
    (user_dir / "all_boom.json").write_text(
        json.dumps({"train": [{"id": "a", "boom": True}], "heldout": []})
    )
    evaluation = user_problem(tasks="all_boom.json").evaluate(
        {"config": {"guess": 1, "effort": 1.0}}
    )
    assert evaluation.status is Status.ERROR
    assert (
        evaluation.feedback
        == "the agent crashed on every task (1), e.g. a: RuntimeError: agent exploded on a"
    )


def test_malformed_outcomes_are_crashes_with_the_reason(user_dir):
    (user_dir / "bad.json").write_text(
        json.dumps({"train": [{"id": "a", "bad": True}, {"id": "b", "answer": 1}]})
    )
    evaluation = user_problem(tasks="bad.json").evaluate({"config": {"guess": 1, "effort": 1.0}})
    assert "a: ValueError: outcome score 2.0 is outside [0, 1]" in evaluation.feedback


def test_evaluation_never_sees_held_out_tasks_and_finish_measures_them(user_dir, tmp_path):
    import my_agent

    seen = []
    original = my_agent.run_agent

    def spy(config, task, **kw):
        seen.append(task["id"])
        return original(config, task, **kw)

    problem = user_problem()
    problem.run_agent = spy
    genome = {"config": {"guess": 8, "effort": 1.0}}
    evaluation = problem.evaluate(genome)
    assert seen and not any(t.startswith("h") for t in seen)

    from evo.records import Candidate
    from evo.selection.base import Member
    from evo.store import Store

    store = Store.in_dir(tmp_path / "run", create=True)
    lines = problem.finish(tmp_path / "run", [Member(Candidate.new(genome), evaluation)], store)
    assert {"h0", "h1"} <= set(seen)
    held = store.meta("heldout")
    assert held["best"]["success"] == pytest.approx(0.8) and held["tasks"] == 2
    assert lines[0].startswith("held-out (2 unseen tasks): best agent solves 50%")
    assert json.loads((tmp_path / "run" / "best_agent.json").read_text()) == genome


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cost": "money"}, "cost must be one of steps, tokens, dollars, not 'money'"),
        ({"tasks": "missing.yaml"}, "tasks: cannot read missing.yaml"),
        ({"tasks": "my_agent:nothing"}, "tasks: 'my_agent' has no attribute 'nothing'"),
        ({"run_agent": "no_such_module:run"}, "run_agent: cannot import 'no_such_module'"),
        ({"schema": "my_agent:run_agent"}, "schema: <function run_agent"),
        (
            {"seed_config": {"guess": 99}},
            "seed_config: field 'guess': Input should be less than or equal to 20",
        ),
        ({"task_params": {"n": 0}}, "tasks: the 'train' split is empty"),
    ],
)
def test_bad_parameters_are_config_errors(user_dir, params, message):
    base = {
        "run_agent": "my_agent:run_agent",
        "schema": "my_agent:Guess",
        "tasks": "my_agent:tasks",
        "skill_grammar": None,
    }
    with pytest.raises(
        ConfigError, match="problem.params: AgentConfigProblem rejected the parameters"
    ) as info:
        registry.create("agent_config", base | params)
    assert message in str(info.value)


def test_broken_seed_skills_are_refused():
    with pytest.raises(ValueError, match=r"seed_skills: broken skill library: skill 1 \('x'\)"):
        AgentConfigProblem(
            seed_skills=[{"name": "x", "body": [], "check": "holding {obj}"}],
            task_params={"n_train": 6, "n_heldout": 0},
        )
    with pytest.raises(ValueError, match="no skill library 'expert'"):
        AgentConfigProblem(seed_skills="expert", task_params={"n_train": 6, "n_heldout": 0})


def test_a_task_in_both_splits_is_refused(user_dir):
    task = {"id": "x", "answer": 3}
    (user_dir / "leak.json").write_text(
        json.dumps({"train": [task], "heldout": [task | {"id": "y"}]})
    )
    with pytest.raises(ValueError, match="a task appears in both 'train' and 'heldout'"):
        user_problem(tasks="leak.json")


def test_a_model_agent_without_its_key_is_refused_before_the_run(user_dir, monkeypatch):
    monkeypatch.delenv("EVO_TEST_MISSING_KEY", raising=False)
    with pytest.raises(ValueError, match=r"needs an API key in \$EVO_TEST_MISSING_KEY"):
        user_problem(agent_params={"api_key_env": "EVO_TEST_MISSING_KEY"})
    user_problem(
        agent_params={"api_key_env": "EVO_TEST_MISSING_KEY", "api_base": "http://127.0.0.1:9/v1"}
    )
