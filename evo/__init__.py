"""evo: evolutionary search for programs, Core War warriors and agent configurations.

The public names a problem adapter needs live here; the engine, stores and runners are
in their own modules.
"""

from evo.problem import Problem
from evo.records import Candidate, Evaluation, Match, Objective, Status

__all__ = ["Candidate", "Evaluation", "Match", "Objective", "Problem", "Status"]
