"""Running untrusted code: a fresh child per call, limited, isolated, cleaned up."""

from evo.sandbox.isolation import SandboxWarning
from evo.sandbox.limits import Limits, scratch_default
from evo.sandbox.runner import Outcome, call
from evo.sandbox.workspace import sweep

__all__ = ["Limits", "Outcome", "SandboxWarning", "call", "scratch_default", "sweep"]
