"""The model client against a real HTTP server on 127.0.0.1 speaking chat completions."""

import socket
import time

import pytest

from evo.config.models import LLMConfig
from evo.llm.client import BudgetExhausted, LLMClient, ModelFailure, missing_keys
from evo.store import Store
from evo.testing.llm_server import Reply, ScriptedServer


def client_for(tmp_path, urls, **settings):
    models = [
        {"name": f"openai/model-{i}", "api_base": url, "price_prompt": 2.0, "price_completion": 4.0}
        for i, url in enumerate(urls)
    ]
    config = LLMConfig.model_validate({"models": models, "timeout": 2.0, "retries": 2} | settings)
    store = Store.in_dir(tmp_path, create=True)
    return LLMClient(config, store), store


def ask(client):
    return client.complete_sync(
        [{"role": "user", "content": "hi"}], operator="test", candidate="abc", generation=3
    )


def rows(store):
    return store.db.execute(
        "SELECT model, status, error, prompt_tokens, completion_tokens, cost,"
        " attempt FROM llm_calls ORDER BY id"
    ).fetchall()


def test_a_good_answer_is_recorded_with_tokens_and_cost(tmp_path):
    with ScriptedServer(lambda r: Reply("hello", prompt_tokens=1000, completion_tokens=500)) as s:
        client, store = client_for(tmp_path, [s.url])
        answer = ask(client)
    assert answer.text == "hello" and answer.finish_reason == "stop"
    assert answer.cost == pytest.approx((1000 * 2 + 500 * 4) / 1e6)
    ((model, status, error, prompt, completion, cost, attempt),) = rows(store)
    assert (model, status, prompt, completion, attempt) == ("openai/model-0", "ok", 1000, 500, 0)
    assert client.calls == 1 and client.spent == pytest.approx(cost)


def test_rate_limits_are_retried_after_the_servers_delay(tmp_path):
    replies = iter(
        [Reply(status=429, headers={"Retry-After": "0.5"}), Reply(status=500), Reply("ok")]
    )
    with ScriptedServer(lambda r: next(replies)) as s:
        client, store = client_for(tmp_path, [s.url])
        start = time.monotonic()
        answer = ask(client)
        elapsed = time.monotonic() - start
    assert answer.text == "ok" and len(s.requests) == 3
    assert elapsed >= 0.5  # honoured Retry-After (then a 1 s backoff after the 500)
    assert [r[1] for r in rows(store)] == ["error", "error", "ok"]
    assert "RateLimitError" in rows(store)[0][2]


def test_slow_answers_time_out_and_the_ensemble_falls_back(tmp_path):
    with (
        ScriptedServer(lambda r: Reply("late", delay=5)) as slow,
        ScriptedServer(lambda r: Reply("fast")) as fast,
    ):
        client, store = client_for(tmp_path, [slow.url, fast.url], retries=0)
        client.config.models[1].weight = 1e-9  # choose the slow one first
        answer = ask(client)
    assert answer.text == "fast" and answer.model == "openai/model-1"
    statuses = [(r[0], r[1]) for r in rows(store)]
    assert statuses == [("openai/model-0", "timeout"), ("openai/model-1", "ok")]


def test_refused_connections_fail_cleanly(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client, store = client_for(tmp_path, [f"http://127.0.0.1:{port}/v1"], retries=1)
    with pytest.raises(ModelFailure, match="model-0"):
        ask(client)
    assert [r[1] for r in rows(store)] == ["error", "error"]


def test_budgets_stop_calls(tmp_path):
    with ScriptedServer(lambda r: Reply("x")) as s:
        client, store = client_for(tmp_path, [s.url], budget={"calls": 2})
        ask(client)
        ask(client)
        assert client.stop_reason() == "model budget reached: 2 of 2 calls"
        with pytest.raises(BudgetExhausted):
            ask(client)
    assert len(s.requests) == 2
    with ScriptedServer(lambda r: Reply("x", prompt_tokens=500_000, completion_tokens=0)) as s:
        client, _ = client_for(tmp_path / "d", [s.url], budget={"dollars": 1.5})
        ask(client)
        assert client.stop_reason() is None
        ask(client)
        assert client.stop_reason() == "model budget reached: $2.0000 of $1.5"


def test_keys_come_from_the_environment_only(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_MODEL_KEY", "sk-secret-value-0123456789")
    seen = []
    with ScriptedServer(lambda r: Reply("ok")) as s:
        config = LLMConfig.model_validate(
            {"models": [{"name": "openai/m", "api_base": s.url, "api_key_env": "MY_MODEL_KEY"}]}
        )
        store = Store.in_dir(tmp_path, create=True)
        LLMClient(config, store).complete_sync(
            [{"role": "user", "content": "hi"}], operator="t", candidate=None, generation=0
        )
        seen = s.requests
    assert seen
    dump = (tmp_path / "run.sqlite").read_bytes()
    assert b"sk-secret-value" not in dump
    with pytest.raises(Exception, match="api_key"):
        LLMConfig.model_validate({"models": [{"name": "openai/m", "api_key": "sk-x"}]})


def test_a_run_of_failures_stops_calls_and_one_success_resets_it(tmp_path, monkeypatch):
    monkeypatch.setattr("evo.llm.client.FAILURE_STREAK_LIMIT", 3)
    replies = iter([Reply(status=500), Reply(status=500), Reply("fine")] + [Reply(status=500)] * 3)
    with ScriptedServer(lambda r: next(replies)) as s:
        client, _ = client_for(tmp_path, [s.url], retries=0)
        for _ in range(2):
            with pytest.raises(ModelFailure):
                ask(client)
        assert ask(client).text == "fine" and client.stop_reason() is None
        for _ in range(3):
            with pytest.raises(ModelFailure):
                ask(client)
        assert client.stop_reason().startswith("the model failed 3 calls in a row (last: ")
        with pytest.raises(BudgetExhausted):
            ask(client)
    assert len(s.requests) == 6


def test_a_model_without_its_key_is_a_config_error(monkeypatch):
    monkeypatch.delenv("EVO_TEST_UNSET_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    config = LLMConfig.model_validate(
        {
            "models": [
                {"name": "openai/a", "api_key_env": "EVO_TEST_UNSET_KEY"},
                {"name": "openai/gpt-4o-mini"},
                {"name": "openai/local", "api_base": "http://127.0.0.1:9/v1"},
            ]
        }
    )
    assert missing_keys(config) == [
        "llm.models[0] (openai/a): environment variable EVO_TEST_UNSET_KEY is not set",
        "llm.models[1] (openai/gpt-4o-mini): set OPENAI_API_KEY, or give api_key_env",
    ]
    monkeypatch.setenv("EVO_TEST_UNSET_KEY", "x")
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    assert missing_keys(config) == []
