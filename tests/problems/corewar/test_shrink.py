"""Shrinking drops the lines that never run and never matter, and keeps the rest."""

import numpy as np

from problems.corewar.assembler import assemble
from problems.corewar.gauntlet import Gauntlet
from problems.corewar.opponents import Opponent, seed_source
from problems.corewar.redcode import Settings
from problems.corewar.shrink import executed_lines, shrink

PADDED_DWARF = """;redcode-94
        nop    0, 0
        dat    #7, #9
loop    add.ab #4, bomb
        mov.i  bomb, @bomb
        jmp    loop
bomb    dat.f  #0, #0
        dat    #1, #1
        spl    3, 0
        end    loop
"""


def gauntlet():
    settings = Settings(rounds=4)
    names = ("imp", "paper", "scanner", "dwarf")
    return Gauntlet.of(
        [Opponent(n, "", assemble(seed_source(n), settings)) for n in names], settings, 3
    )


def test_traces_see_the_loop_run_and_the_padding_idle():
    warrior = assemble(PADDED_DWARF)
    assert executed_lines(warrior, [], Settings()) == {2, 3, 4}


def test_padding_goes_and_so_does_a_bomb_that_an_empty_cell_can_stand_in_for():
    warrior = assemble(PADDED_DWARF)
    shrunk = shrink(warrior, gauntlet())
    # the loop stays; its bomb and pointer may be the empty cell after the code, which
    # plays the same, so the DAT line goes with the padding
    assert shrunk.removed == (0, 1, 5, 6, 7)
    assert np.array_equal(shrunk.warrior.code, assemble(seed_source("dwarf")).code[:3])
    assert shrunk.warrior.start == 0
    assert shrunk.score_after >= shrunk.score_before - 0.02


STEP_IN_DATA = """;redcode-94
        nop    0, 0
loop    add.ab step, bomb
        mov.i  bomb, @bomb
        jmp    loop
step    dat    #4, #0
bomb    dat.f  #0, #0
        end    loop
"""


def test_a_line_that_never_runs_but_matters_stays():
    # without its step the bomber would bomb one cell forever
    shrunk = shrink(assemble(STEP_IN_DATA), gauntlet())
    assert shrunk.removed == (0,) or shrunk.removed == (0, 5)
    assert len(shrunk.warrior) >= 4


def test_a_warrior_without_idle_lines_is_left_alone():
    imp = assemble(seed_source("imp"))
    shrunk = shrink(imp, gauntlet())
    assert shrunk.removed == () and shrunk.warrior is imp
