"""Whole `evo run`s with a scripted model on 127.0.0.1: Core War and circle packing."""

import itertools
import json
import random
import re
import sqlite3

import yaml

from evo.testing.llm_server import Reply, ScriptedServer, current_program

from support import REPO

counter = itertools.count()


def corewar_answer(request):
    """Good answers: a changed number (diff) or a fresh small warrior (full program)."""
    k = next(counter)
    prompt = request["messages"][-1]["content"]
    if "lessons" in prompt and "statistics" in prompt.lower():
        return Reply("- bomb with a step coprime to the core size\n- keep warriors short")
    program = current_program(request)
    if "SEARCH/REPLACE" in prompt and program:
        lines = [ln for ln in program.splitlines() if re.search(r"\$-?\d", ln)]
        if lines:
            line = lines[k % len(lines)]
            changed = re.sub(
                r"\$(-?\d+)", lambda m: f"${int(m.group(1)) + 1 + k % 5}", line, count=1
            )
            return Reply(f"<<<<<<< SEARCH\n{line}\n=======\n{changed}\n>>>>>>> REPLACE\n")
    step = 3 + 2 * (k % 40)
    return Reply(
        f"Try this:\n```redcode\n;redcode\n add.ab #{step}, 3\n mov.i 2, @2\n jmp -2\n dat #0, #0\n```"
    )


def run_config(tmp_path, server, base, operators, budget, extra=None):
    config = yaml.safe_load((REPO / "experiments" / base).read_text())
    config.pop("red_queen", None)
    config["variation"] = {"operators": operators}
    config["budget"] = budget
    config["llm"] = {
        "models": [
            {
                "name": "openai/scripted",
                "api_base": server.url,
                "price_prompt": 1.0,
                "price_completion": 2.0,
            }
        ],
        "concurrency": 4,
        "timeout": 5,
        "retries": 1,
        "experience": {"every": 2},
    } | (extra or {})
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run_small_corewar(tmp_path, evo_cli, server, operators, budget, llm, timeout=300):
    """The Red Queen experiment cut to one 2-round inner run with a population of 8."""
    path = run_config(tmp_path, server, "corewar_red_queen.yaml", operators, budget, llm)
    path.write_text(path.read_text().replace("size: 40", "size: 8"))
    return evo_cli(
        "run",
        str(path),
        "--run-dir",
        str(tmp_path / "run"),
        "-q",
        "--set",
        "problem.params.rounds=2",
        timeout=timeout,
    )


def table(run_dir, query):
    with sqlite3.connect(run_dir / "run.sqlite") as db:
        return db.execute(query).fetchall()


def test_corewar_with_a_model_applies_proposals_and_stops_on_budget(tmp_path, evo_cli):
    with ScriptedServer(corewar_answer) as server:
        result = run_small_corewar(
            tmp_path,
            evo_cli,
            server,
            {"llm_diff": 2, "llm_rewrite": 1, "llm_crossover": 1, "mutation": 1},
            {"evaluations": 400},
            {"budget": {"calls": 30}},
        )
    assert result.returncode == 0, result.stderr
    assert "stopped: model budget reached: 30 of 30 calls" in result.stdout
    run = tmp_path / "run"
    made = dict(table(run, "SELECT operator, COUNT(*) FROM candidates GROUP BY operator"))
    assert (
        made.get("llm_diff", 0) > 3
        and made.get("llm_rewrite", 0) + made.get("llm_crossover", 0) > 1
    )
    statuses = table(run, "SELECT status, error FROM llm_calls WHERE status != 'ok'")
    rows = table(run, "SELECT COUNT(*) FROM llm_calls")[0][0]
    # one row per call the server saw (a rejected answer marks its row); stops at 30
    assert rows == len(server.requests) == 30, statuses
    calls = table(
        run,
        "SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost)"
        " FROM llm_calls WHERE status NOT IN ('error', 'timeout')",
    )[0]
    # a call may time out on a busy machine; every answered one has its tokens and cost
    assert calls[0] >= 24 and calls[1] == calls[0] * 120 and calls[3] > 0, statuses
    assert table(run, "SELECT COUNT(*) FROM lessons")[0][0] > 0
    links = table(
        run,
        "SELECT l.status, l.child_id, c.operator = l.operator FROM llm_calls l"
        " LEFT JOIN candidates c ON c.id = l.child_id WHERE l.operator LIKE 'llm_%'",
    )
    proposed = [same for status, child, same in links if status == "ok"]
    # an answered call names the child it proposed; nearly all of them were stored as
    # that operator's candidates (a twin proposed in the same generation is not)
    assert all(child for status, child, _ in links if status in ("ok", "duplicate")), links
    assert all(child is None for status, child, _ in links if status == "rejected"), links
    assert sum(bool(same) for same in proposed) >= 0.9 * len(proposed) > 0, links
    evaluated = table(
        run,
        "SELECT e.status FROM evaluations e JOIN candidates c ON c.id = e.candidate_id"
        " WHERE c.operator LIKE 'llm_%'",
    )
    assert evaluated and all(s == "ok" for (s,) in evaluated)
    assert (run / "plots" / "model_cost.png").is_file()


def not_redcode(request):
    """An answer that parses as the operator's format but does not assemble: an edit for
    a diff request, a fenced program otherwise."""
    prompt = request["messages"][-1]["content"]
    lines = [ln for ln in current_program(request).splitlines() if ln.strip()]
    if "SEARCH/REPLACE" in prompt and lines:
        return Reply(
            f"<<<<<<< SEARCH\n{lines[-1]}\n=======\n jmp this is not redcode\n>>>>>>> REPLACE"
        )
    return Reply("```redcode\nthis is not redcode at all\n```")


def test_thirty_percent_failures_are_recorded_and_never_adopted(tmp_path, evo_cli):
    rng = random.Random(3)
    failures = itertools.cycle(["429", "500", "malformed", "truncated", "garbage", "slow"])

    def flaky(request):
        if rng.random() < 0.3:
            kind = next(failures)
            return {
                "429": Reply(status=429, headers={"Retry-After": "0"}),
                "500": Reply(status=500),
                "malformed": Reply("<<<<<<< SEARCH\nnothing\n>>>>>>> REPLACE"),
                "truncated": Reply("```redcode\n;redcode\n mov 0, 1", finish_reason="length"),
                "garbage": not_redcode(request),
                "slow": Reply("```redcode\n mov 0, 1\n```", delay=8),
            }[kind]
        return corewar_answer(request)

    with ScriptedServer(flaky) as server:
        result = run_small_corewar(
            tmp_path,
            evo_cli,
            server,
            {"llm_diff": 1, "llm_rewrite": 1},
            {"evaluations": 60},
            {"timeout": 2, "retries": 0},
            timeout=900,
        )
    assert result.returncode == 0, result.stderr
    run = tmp_path / "run"
    statuses = dict(table(run, "SELECT status, COUNT(*) FROM llm_calls GROUP BY status"))
    assert (
        statuses.get("error", 0) > 0
        and statuses.get("rejected", 0) > 0
        and statuses.get("timeout", 0) > 0
    ), statuses
    reasons = " ".join(
        r for (r,) in table(run, "SELECT error FROM llm_calls WHERE status = 'rejected'")
    )
    assert "truncated" in reasons and "does not assemble" in reasons, reasons
    bad = table(run, "SELECT c.genome FROM candidates c WHERE c.operator LIKE 'llm_%'")
    assert all("this is not redcode" not in g and "nothing" not in g for (g,) in bad)
    assert table(run, "SELECT COUNT(*) FROM evaluations")[0][0] == 60, result.stdout


def program_answer(request):
    prompt = request["messages"][-1]["content"]
    program = current_program(request)
    k = next(counter)
    if "SEARCH/REPLACE" in prompt and "margin_x = " in program:
        line = next(ln for ln in program.splitlines() if "margin_x = " in ln)
        value = float(line.split("=")[1]) + 0.002 * (1 + k % 4)
        return Reply(
            f"<<<<<<< SEARCH\n{line}\n=======\n    margin_x = {value:.4f}\n>>>>>>> REPLACE"
        )
    return Reply("- keep the radii positive")


def test_circle_packing_with_a_model(tmp_path, evo_cli):
    with ScriptedServer(program_answer) as server:
        path = run_config(
            tmp_path, server, "circle_packing.yaml", {"llm_diff": 1}, {"evaluations": 24}
        )
        path.write_text(path.read_text().replace("size: 30", "size: 6"))
        result = evo_cli("run", str(path), "--run-dir", str(tmp_path / "run"), "-q")
    assert result.returncode == 0, result.stderr
    run = tmp_path / "run"
    made = table(run, "SELECT COUNT(*) FROM candidates WHERE operator = 'llm_diff'")[0][0]
    assert made >= 10
    scores = [
        json.loads(o)["sum_radii"]
        for (o,) in table(
            run,
            "SELECT e.objectives FROM evaluations e JOIN candidates c ON c.id = e.candidate_id"
            " WHERE c.operator = 'llm_diff' AND e.status = 'ok'",
        )
    ]
    assert scores and max(scores) > 2.3  # valid packings came out of the applied edits
    assert "re-verified" in result.stdout


def test_a_model_budget_is_raised_on_resume_and_calls_are_counted_once(tmp_path, evo_cli):
    with ScriptedServer(program_answer) as server:
        path = run_config(
            tmp_path,
            server,
            "circle_packing.yaml",
            {"llm_diff": 1},
            {"evaluations": 400},
            {"budget": {"calls": 8}},
        )
        path.write_text(path.read_text().replace("size: 30", "size: 6"))
        run = tmp_path / "run"
        first = evo_cli("run", str(path), "--run-dir", str(run), "-q")
        assert first.returncode == 0, first.stderr
        assert "model budget reached: 8 of 8 calls" in first.stdout
        assert table(run, "SELECT COUNT(*) FROM llm_calls")[0][0] == len(server.requests) == 8
        again = evo_cli("resume", str(run), "-q", "--set", "llm.budget.calls=14")
        assert again.returncode == 0, again.stderr
        assert "model budget reached: 14 of 14 calls" in again.stdout
        answered = table(
            run, "SELECT COUNT(*) FROM llm_calls WHERE status NOT IN ('error', 'timeout')"
        )[0][0]
        # 120 prompt and 60 completion tokens an answer, at $1 and $2 per million
        assert (
            f"tokens: {120 * answered} prompt, {60 * answered} completion;"
            f" cost: ${answered * 240e-6:.4f}"
        ) in again.stdout
        assert table(run, "SELECT COUNT(*) FROM llm_calls")[0][0] == len(server.requests) == 14
