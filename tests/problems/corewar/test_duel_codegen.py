"""The generated two-warrior loop is what its generator writes today."""

from problems.corewar import duel_codegen


def test_duel_py_is_up_to_date_with_its_generator():
    current = duel_codegen.TARGET.read_text(encoding="utf-8")
    assert current == duel_codegen.generate(), "run: python -m problems.corewar.duel_codegen"
