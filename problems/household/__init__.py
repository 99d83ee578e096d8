"""An ALFWorld-like household task world: procedurally generated rooms, receptacles
and objects, goals such as "put a clean mug in cabinet", a text interface, success
checks, and training and held-out task seeds."""

from problems.household.env import HouseholdEnv
from problems.household.tasks import suite, task
from problems.household.world import World, generate

__all__ = ["HouseholdEnv", "World", "generate", "suite", "task"]
