"""A user's own agent for the adapter tests (copied into a temporary directory as
``my_agent.py``): a schema, a run_agent and a task suite."""

from pydantic import BaseModel, Field


class Guess(BaseModel):
    """The agent guesses a number; closer is better."""

    guess: int = Field(5, ge=0, le=20)
    effort: float = Field(1.0, ge=0.0, le=10.0)


def run_agent(config, task, penalty=0.0):
    """Score by distance to the answer; crash on tasks marked ``boom``."""
    if task.get("boom"):
        raise RuntimeError(f"agent exploded on {task['id']}")
    if task.get("bad"):
        return {"score": 2.0}
    distance = abs(config["guess"] - task["answer"])
    return {
        "score": max(0.0, 1.0 - distance / 10) - penalty,
        "tokens": int(10 * config["effort"]) + 1,
        "steps": 1,
    }


def tasks(n=6, boom=False):
    train = [{"id": f"t{i}", "answer": 7 + (i % 2)} for i in range(n)]
    if boom:
        train[1]["boom"] = True
    return {
        "train": train,
        "heldout": [{"id": "h0", "answer": 8, "room": "attic"}, {"id": "h1", "answer": 12}],
    }
