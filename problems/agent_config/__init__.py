"""Agent configurations and skill libraries as candidates: the adapter, the built-in
skill-executing household agent and the model-driven agent loop."""

from problems.agent_config.adapter import AgentConfigProblem
from problems.agent_config.outcome import Outcome

__all__ = ["AgentConfigProblem", "Outcome"]
