"""An oracle that sees the whole house: the shortest obvious plan for a task. It shows
every generated task is solvable and gives a reference number of steps."""

from __future__ import annotations

from problems.household.catalog import APPLIANCES
from problems.household.env import HouseholdEnv
from problems.household.world import World


def _fetch(world: World, name: str) -> list[str]:
    where = world.items[name].location
    actions = [f"go to {where}"]
    if not world.receptacles[where].visible:
        actions.append(f"open {where}")
    return actions + [f"take {name} from {where}"]


def plan(world: World) -> list[str]:
    """Actions that reach the goal of ``world`` from its initial state."""
    goal = world.goal
    if goal.kind == "examine":
        item = next(i for i in world.items.values() if i.type == goal.obj)
        return _fetch(world, item.name) + [f"go to {world.lamp}", "use desklamp 1"]
    assert goal.target is not None
    target = world.of_type(goal.target)[0]
    wanted = 2 if goal.kind == "two" else 1
    items = [i for i in world.items.values() if i.type == goal.obj][:wanted]
    actions: list[str] = []
    opened = target.visible
    for item in items:
        actions += _fetch(world, item.name)
        if goal.treatment:
            appliance = world.of_type(APPLIANCES[goal.treatment])[0].name
            actions += [f"go to {appliance}", f"{goal.treatment} {item.name} with {appliance}"]
        actions.append(f"go to {target.name}")
        if not opened:
            actions.append(f"open {target.name}")
            opened = True
        actions.append(f"put {item.name} in/on {target.name}")
    return actions


def solve(seed: int, kind: str | None = None) -> HouseholdEnv:
    """Play the oracle's plan on the task of ``seed``; returns the finished environment."""
    env = HouseholdEnv.from_seed(seed, kind)
    for action in plan(env.world):
        env.step(action)
    return env
