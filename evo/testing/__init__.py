"""Helpers for testing evo and problem adapters: small problems and a conformance suite."""
