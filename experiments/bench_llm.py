"""Model-guided proposals per second against a server that takes 1 s per answer.

Runs the real path (prompt building, the litellm client under its concurrency limit,
answer parsing) through the engine's proposal executor; the target is at least
0.8 x concurrency proposals per second.
Run: python experiments/bench_llm.py
"""

from __future__ import annotations

import tempfile
import time

import numpy as np

from evo.config.models import LLMConfig
from evo.engine import proposals
from evo.llm.client import LLMClient
from evo.problem import Problem
from evo.records import Candidate, Evaluation, Objective
from evo.selection.base import Member
from evo.store import Store
from evo.testing.llm_server import Reply, ScriptedServer
from evo.variation import build_operator
from evo.variation.base import VariationContext


class Text(Problem):
    name = "text"
    description = "write a better sentence"
    objectives = (Objective("score"),)


def rate(concurrency: int, server: ScriptedServer, tmp: str) -> float:
    config = LLMConfig.model_validate(
        {
            "models": [{"name": "openai/slow", "api_base": server.url}],
            "concurrency": concurrency,
            "timeout": 30,
            "retries": 0,
        }
    )
    client = LLMClient(config, Store.in_dir(f"{tmp}/{concurrency}", create=True))
    operator = build_operator("llm_rewrite")
    parent = Member(Candidate.new("hello"), Evaluation(objectives={"score": 1.0}))
    count = max(3 * concurrency, 6)
    rng = np.random.default_rng(0)
    plans = [proposals.Plan(operator, [parent], 0, proposals.spawn(rng)) for _ in range(count)]
    extras = {"llm": client, "inspirations": 0, "lessons": []}
    client.complete_sync(
        [{"role": "user", "content": "warm up"}], operator="warmup", candidate=None, generation=0
    )
    start = time.perf_counter()
    outcome = proposals.execute(
        plans, lambda p: VariationContext(Text(), p.rng, 0, [parent], extras)
    )
    elapsed = time.perf_counter() - start
    client.close()
    made = sum(len(g) for _, g in outcome.results)
    assert made == count, (made, count)
    return made / elapsed


def main() -> None:
    with (
        ScriptedServer(lambda r: Reply("```text\na better sentence\n```", delay=1.0)) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        print(f"{'concurrency':>12}{'proposals/s':>14}{'target':>10}{'':>6}")
        for concurrency in (1, 8, 32):
            value = rate(concurrency, server, tmp)
            target = 0.8 * concurrency
            verdict = "met" if value >= target else "NOT met"
            print(f"{concurrency:>12}{value:>14.2f}{target:>10.1f}  {verdict}")


if __name__ == "__main__":
    main()
