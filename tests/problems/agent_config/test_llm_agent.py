"""The model-driven agent end to end: `evo run experiments/agent_prompt.yaml` against the
scripted chat-completions server on 127.0.0.1, with the agent's turns, the operators'
rewrites, schema violations, broken skills and model failures."""

import itertools
import json
import re
import sqlite3

import pytest

from evo.testing.llm_server import Reply, ScriptedServer
from problems.agent_config.llm_agent import parse_action, run_agent
from problems.household.solver import plan
from problems.household.tasks import suite
from problems.household.world import generate

from support import REPO

TASKS = suite(n_train=6, n_heldout=3)
PLANS = {
    generate(t["seed"], t["kind"]).goal.text: plan(generate(t["seed"], t["kind"]))
    for part in TASKS.values()
    for t in part
}


def agent_turn(request):
    """Play the oracle's plan for the task in the conversation; one task kind always
    gets an action that does not apply, and one kind makes the server fail."""
    messages = request["messages"]
    goal = re.search(r"Your task is to: (.*)\.", messages[1]["content"]).group(1)
    if goal.startswith("look at"):
        return Reply(status=500)  # a model failure: this task crashes
    done = sum(m["role"] == "assistant" for m in messages)
    steps = PLANS[goal]
    if "cool" in goal:
        return Reply("ACTION: dance with the fridge", completion_tokens=6)
    return Reply(f"ACTION: {steps[done] if done < len(steps) else 'look'}", completion_tokens=6)


COUNTS = {"fields": itertools.count(), "skills": itertools.count()}


def operator_turn(request):
    """The operators' requests: good rewrites, and every third answer a schema
    violation or a broken skill."""
    prompt = request["messages"][-1]["content"]
    if "free-text fields" in prompt:
        if next(COUNTS["fields"]) % 3 == 0:
            return Reply('```json\n{"temperature": 9.5}\n```')
        return Reply(
            '```json\n{"system_prompt": "Act in the house. Open closed things first. Answer with one action."}\n```'
        )
    if "skill library" in prompt:
        if next(COUNTS["skills"]) % 3 == 0:
            return Reply(
                '```json\n[{"name": "x", "body": ["teleport {obj}"], "check": "holding {obj}"}]\n```'
            )
        skill = {
            "name": "fetch",
            "description": "get the object",
            "body": "search every receptacle, open closed ones, take the object",
            "check": "holding {obj}",
        }
        return Reply("```json\n" + json.dumps([skill]) + "\n```")
    return Reply("- open closed receptacles first")


def respond(request):
    if any(
        "Admissible actions" in m["content"] for m in request["messages"] if m["role"] == "user"
    ):
        return agent_turn(request)
    return operator_turn(request)


def test_parse_action_strips_decoration():
    assert parse_action("ACTION: go to cabinet 1.\nbecause...") == "go to cabinet 1"
    assert parse_action("\n`> take mug 1 from countertop 2`") == "take mug 1 from countertop 2"
    assert parse_action("   ") == ""


def test_the_agent_loop_counts_tokens_and_solves_with_a_good_model():
    task = next(t for t in TASKS["train"] if t["kind"] == "place")
    with ScriptedServer(respond) as server:
        config = {"model": "openai/scripted", "max_steps": 15, "skills": []}
        outcome = run_agent(config, task, api_base=server.url, timeout=10, retries=0)
        assert outcome.solved and outcome.score == 1.0
        assert outcome.tokens == outcome.steps * (120 + 6)
        system = server.requests[0]["messages"][0]["content"]
        assert "You may use these actions: go, open" in system
        with pytest.raises(Exception, match="500|Internal|scripted"):
            run_agent(
                config,
                next(t for t in TASKS["train"] if t["kind"] == "examine"),
                api_base=server.url,
                timeout=10,
                retries=0,
            )


def test_disallowed_actions_cost_a_step_and_do_nothing():
    task = next(t for t in TASKS["train"] if t["kind"] == "place")
    with ScriptedServer(respond) as server:
        config = {
            "model": "openai/scripted",
            "max_steps": 4,
            "tools": ["open", "take", "put"],
            "skills": [],
        }
        outcome = run_agent(config, task, api_base=server.url, timeout=10, retries=0)
    assert not outcome.solved and outcome.steps == 4
    assert "not available" in outcome.trace


def table(run, query):
    with sqlite3.connect(run / "run.sqlite") as db:
        return db.execute(query).fetchall()


def test_agent_prompt_experiment_runs_end_to_end(tmp_path, evo_cli):
    run = tmp_path / "run"
    with ScriptedServer(respond) as server:
        model = f"{{name: openai/scripted, api_base: '{server.url}', price_prompt: 1.0, price_completion: 2.0}}"
        result = evo_cli(
            "run",
            str(REPO / "experiments" / "agent_prompt.yaml"),
            "--run-dir",
            str(run),
            "-q",
            "--set",
            f"llm.models=[{model}]",
            "--set",
            "llm.timeout=10",
            "--set",
            "budget.evaluations=14",
            "--set",
            "population.size=4",
            "--set",
            "evaluation.backend=sequential",
            "--set",
            "problem.params.task_params={n_train: 6, n_heldout: 3}",
            "--set",
            "problem.params.minibatch=2",
            "--set",
            "problem.params.cascade_threshold=0.2",
            "--set",
            "problem.params.seed_config={model: openai/scripted, max_steps: 12, history: 20}",
            "--set",
            f"problem.params.agent_params={{api_base: '{server.url}', timeout: 10, retries: 0}}",
            timeout=600,
        )
    assert result.returncode == 0, result.stderr
    assert "held-out (3 unseen tasks)" in result.stdout
    rows = table(
        run,
        "SELECT c.operator, e.status, e.objectives, e.descriptors, e.feedback FROM evaluations e JOIN candidates c ON c.id = e.candidate_id",
    )
    ok = [(op, json.loads(o), json.loads(d), f) for op, s, o, d, f in rows if s == "ok"]
    assert ok and all(o["tokens"] > 0 for _, o, _, _ in ok)  # cost is tokens
    assert max(d["solved"] for _, _, d, _ in ok) > 0  # the good turns solve tasks
    assert any(op == "llm_fields" for op, *_ in ok)  # model rewrites were evaluated
    crashed = [f for _, _, d, f in ok if d["crashes"] > 0]
    assert crashed and all("crashed" in f for f in crashed)  # model failures recorded, run went on
    rejected = " | ".join(
        r for (r,) in table(run, "SELECT error FROM llm_calls WHERE status = 'rejected'")
    )
    assert "config violates the schema: field 'temperature'" in rejected
    assert "broken skill library: skill 1 ('x'): body step 1: unknown action 'teleport'" in rejected
    genomes = [json.loads(g) for (g,) in table(run, "SELECT genome FROM candidates")]
    assert all(g["config"]["temperature"] <= 1.5 for g in genomes)
    plots = {p.name for p in (run / "plots").iterdir()}
    assert {"success_curve.png", "success_vs_cost.png", "library_size.png"} <= plots
