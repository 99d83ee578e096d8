"""A new user's broken adapters, run through `evo run` as they would be: each mistake is
one line naming the method (or file and line) at fault, a non-zero exit, and no run
directory left behind."""

import re
import textwrap

import pytest

HEADER = """\
import numpy as np
from evo.problem import Problem
from evo.records import Objective


class Base(Problem):
    name = "mine"
    description = "a user's problem"
    objectives = (Objective("f", "min"),)

    def seeds(self, rng, n):
        return rng.uniform(-1, 1, (n, 3)).round(4).tolist()

    def evaluate(self, genome):
        return {"f": float(sum(x * x for x in genome))}

    def mutate(self, genome, rng):
        return [round(x + float(rng.normal(0, 0.1)), 4) for x in genome]

"""

MISSPELT = "class Mine(Base):\n    pass\n"
CASES = {
    "evaluate raises": (
        "class Mine(Base):\n    def evaluate(self, genome):\n        raise RuntimeError('boom')\n",
        r"error: Mine\.evaluate\(\) raised RuntimeError: boom \(.*mine\.py:\d+\)",
    ),
    "evaluate returns a float": (
        "class Mine(Base):\n    def evaluate(self, genome):\n        return 1.0\n",
        r"error: Mine\.evaluate\(\) on the first seed gave error: evaluate returned float",
    ),
    "evaluate returns the wrong keys": (
        "class Mine(Base):\n    def evaluate(self, genome):\n        return {'g': 1.0}\n",
        r"error: Mine\.evaluate\(\) on the first seed gave invalid: objective 'f' missing",
    ),
    "seeds returns None": (
        "class Mine(Base):\n    def seeds(self, rng, n):\n        pass\n",
        r"error: Mine\.seeds\(\) returned None, not a list of genomes",
    ),
    "seeds returns one genome": (
        "class Mine(Base):\n    def seeds(self, rng, n):\n        return [0.1, 0.2, 0.3]\n",
        r"the genome was 0\.1: did seeds\(\) return one genome instead of a list of genomes\?",
    ),
    "seeds returns numpy arrays": (
        "class Mine(Base):\n    def seeds(self, rng, n):\n        return list(rng.uniform(size=(n, 3)))\n",
        r"error: Mine\.seeds\(\) returned a genome that is not JSON data .*\.tolist\(\)",
    ),
    "prepare raises": (
        "class Mine(Base):\n    def prepare(self):\n        raise OSError('no compiler')\n",
        r"error: Mine\.prepare\(\) raised OSError: no compiler \(.*mine\.py:\d+\)",
    ),
    "a syntax error": ("class Mine(Base:\n    pass\n", r"error: .*mine\.py:\d+: syntax error"),
    "an exception at import": (
        "raise ImportError('needs a package you do not have')\n",
        r"error: problem 'mine:Mine': importing 'mine' raised ImportError: needs a package .*"
        r"\(.*mine\.py:\d+\)",
    ),
    "a misspelt class": (
        MISSPELT,
        r"error: problem 'mine:Miné': .*mine\.py has no 'Miné'; its problems: Base, Mine",
    ),
}


def write_case(tmp_path, body):
    (tmp_path / "mine.py").write_text(HEADER + body)
    name = "mine:Miné" if body == MISSPELT else "mine:Mine"
    (tmp_path / "mine.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: mine
            problem: {{name: "{name}"}}
            population: {{size: 6}}
            evaluation: {{backend: sequential, timeout: 5}}
            budget: {{evaluations: 30}}
            """
        )
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_adapter_is_one_line_and_exit_2(case, tmp_path, evo_cli):
    body, message = CASES[case]
    write_case(tmp_path, body)
    result = evo_cli("run", "mine.yaml", "--run-dir", "run", "-q", cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and re.search(message, lines[0]), lines
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists()


def test_a_run_whose_evaluations_all_fail_says_why_and_exits_1(tmp_path, evo_cli):
    """The first seed evaluates ok (the adapter check passes), every later one fails."""
    body = (
        "class Mine(Base):\n"
        "    calls = 0\n"
        "    def evaluate(self, genome):\n"
        "        Mine.calls += 1\n"
        "        if Mine.calls > 1:\n"
        "            raise ValueError('the simulator is not configured')\n"
        "        return super().evaluate(genome)\n"
    )
    write_case(tmp_path, body)
    result = evo_cli("run", "mine.yaml", "--run-dir", "run", "-q", cwd=tmp_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "30 of 30 evaluations failed; most often:" in result.stdout
    assert "30x error: evaluate raised ValueError: the simulator is not configured" in result.stdout
    assert "best by f: none (no member evaluated ok)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        result.stderr.strip().splitlines()[-1] == "error: no evaluation succeeded (reasons above)"
    )


def test_a_slow_prepare_is_announced_and_not_held_to_the_evaluation_timeout(tmp_path, evo_cli):
    """One-time set-up (a cold kernel cache) longer than evaluation.timeout is no error."""
    body = (
        "class Mine(Base):\n"
        "    def prepare(self):\n"
        '        """Fill the cache (slow once)."""\n'
        "        import time\n"
        "        time.sleep(4)\n"
    )
    write_case(tmp_path, body)
    result = evo_cli(
        "run", "mine.yaml", "--run-dir", "run", "-q", "--set", "evaluation.timeout=1", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "evo: Mine.prepare(): Fill the cache (slow once)." in result.stderr


def test_a_run_resumes_and_plots_from_any_directory(tmp_path, evo_cli):
    """The run remembers where its module (and relative paths) came from."""
    home = tmp_path / "project"
    home.mkdir()
    write_case(home, "class Mine(Base):\n    pass\n".replace("pass", "name = 'mine'"))
    assert evo_cli("run", "mine.yaml", "--run-dir", "run", "-q", cwd=home).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = str(home / "run")
    more = evo_cli("resume", run, "--set", "budget.evaluations=60", "-q", cwd=elsewhere)
    assert more.returncode == 0, more.stderr
    assert "evaluations: 60" in more.stdout
    drawn = evo_cli("plot", run, cwd=elsewhere)
    assert drawn.returncode == 0 and "evolution.png" in drawn.stdout, drawn.stderr
    assert evo_cli("export", run, cwd=elsewhere).returncode == 0
