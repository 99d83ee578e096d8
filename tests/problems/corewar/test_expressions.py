"""Expressions evaluate as pMARS evaluates them (expected values recorded from pMARS 0.9.2)."""

import pytest

from problems.corewar.assembler import AssemblyError, assemble
from problems.corewar.disassembler import signed
from problems.corewar.expressions import Evaluator, ExpressionError

PMARS = {
    "1+2*3": 7,
    "(1+2)*3": 9,
    "10-4-3": 3,
    "100/7/2": 7,
    "2*3%4": 2,
    "-7/2": -3,
    "-7%3": -1,
    "7%-3": 1,
    "1-2+3": 2,
    "2*-3": -6,
    "!0": 1,
    "!5+1": 1,
    "3>2": 1,
    "2>3": 0,
    "3>=3": 1,
    "2<=1": 0,
    "1==1": 1,
    "1!=1": 0,
    "1&&0": 0,
    "1||0": 1,
    "0||0+1": 1,
    "1+2==3": 1,
    "5-2>2": 1,
    "1<2==1": 1,
    "2*3+4*5": 26,
    "20/2*3": 30,
    "1+2*3-4/2": 5,
    "(((4)))": 4,
    "+5": 5,
    "--5": 5,
    "-(-5)": 5,
    "1+2<3+4&&5": 1,
    "0&&1||1": 1,
    "1||0&&0": 1,
    "8000+1": 1,
    "CORESIZE-1": -1,
    "MAXLENGTH*2": 200,
    "x=5": 5,
    "(x=3)+x": 6,
    "x=2*3+1": 7,
    "4==4==1": 1,
    "3<4<5": 1,
}


@pytest.mark.parametrize("expression, expected", PMARS.items())
def test_values_match_pmars(expression, expected):
    warrior = assemble(f";redcode\n dat.f #0, #{expression}\n")
    assert signed(warrior.code[0, 5], 8000) == expected


def test_errors_are_reported_with_the_line():
    with pytest.raises(AssemblyError, match="line 3: division by zero"):
        assemble(";redcode\n nop 0\n dat #7/0\n")
    with pytest.raises(AssemblyError, match="line 2: bad expression"):
        assemble(";redcode\n dat #(1+2\n")


def test_registers_persist_within_one_assembly_and_wrap_like_c():
    evaluator = Evaluator()
    assert evaluator.evaluate("a=4") == 4
    assert evaluator.evaluate("a*a") == 16
    assert evaluator.evaluate("9223372036854775807+1") == -(2**63)
    assert evaluator.overflow
    with pytest.raises(ExpressionError):
        evaluator.evaluate("1 2")
