"""Evolving Python programs with EVOLVE-BLOCK regions, evaluated in a sandbox."""

from problems.program.adapter import ProgramProblem

__all__ = ["ProgramProblem"]
