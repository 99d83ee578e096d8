"""Running untrusted code: a fresh child per call, limited, isolated, cleaned up."""

from evo.sandbox.isolation import SandboxWarning
from evo.sandbox.limits import Limits
from evo.sandbox.runner import Outcome, call

__all__ = ["Limits", "Outcome", "SandboxWarning", "call"]
