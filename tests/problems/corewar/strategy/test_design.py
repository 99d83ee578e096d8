"""Template designs: they render to Redcode that assembles, read back, and behave as their
family should."""

import numpy as np
import pytest

from problems.corewar.assembler import assemble
from problems.corewar.battle import battle
from problems.corewar.redcode import Settings
from problems.corewar.strategy.components import COMPONENTS, Frame
from problems.corewar.strategy.design import Design, DesignError, Part, parse, random_design


def design(*parts):
    return Design(tuple(Part(role, family, values) for role, family, values in parts))


IMP = ("main", "imp", {"points": 0, "extra": 1, "decoy": 0})
PAPER = (
    "main",
    "paper",
    {"procs": 3, "dest": 2000, "dest2": 5000, "stages": 1, "target": 300, "bomb": 0},
)
STONE = ("main", "stone", {"step": 3044, "a": 0, "b": 1522, "bomb": 0, "slack": 0})
CLEAR = ("finisher", "clear", {"first": 10, "bomb": 0})


def test_random_designs_render_assemble_fit_and_read_back():
    rng = np.random.default_rng(0)
    families = set()
    for _ in range(150):
        d = random_design(rng, 8000, 100)
        source = d.source(8000)
        warrior = assemble(source)
        assert len(warrior) == d.length(8000) <= 100
        assert parse(source) == d and f";strategy {d.family}" in source
        families |= {p.family for p in d.parts}
    assert families == set(COMPONENTS)


def test_a_design_line_with_unknown_parts_is_refused():
    with pytest.raises(DesignError, match="unknown part main=rock"):
        parse(";design main=rock(size=1)\n")
    with pytest.raises(DesignError, match="stone has no parameter 'size'"):
        parse(";design main=stone(size=1)\n")
    assert parse(";redcode\n mov 0, 1\n") is None


def alone(source, rounds=1):
    settings = Settings(rounds=rounds, warriors=1)
    return battle([assemble(source, settings)], settings, 1, observe=True)


def test_imp_spiral_runs_all_its_processes_for_the_whole_battle():
    result = alone(design(IMP).source(8000))
    executed, processes, written, died = result.observations[0, 0]
    assert died == -1 and executed == 80_000 and processes == 8


def test_paper_copies_itself_across_the_core_and_survives():
    result = alone(design(PAPER).source(8000))
    _, processes, written, died = result.observations[0, 0]
    assert died == -1 and processes >= 8 and written > 2000


def test_stone_stops_before_it_bombs_itself_then_clears():
    source = design(STONE, CLEAR).source(8000)
    frame = Frame(8000, 0, len(assemble(source)))
    passes = frame.self_hit(0, (0, 1522), 3044) - 1
    assert f"djn.b  mstart, #{passes}" in source
    result = alone(source)
    died = result.observations[0, 0, 3]
    assert died == -1 or died > 4 * passes  # the stone phase never bombs the warrior


def test_self_hit_counts_passes_to_the_warriors_own_cells():
    frame = Frame(100, offset=2, length=6)  # the pointer line sits at warrior line 2
    assert frame.self_hit(0, (10,), 10, margin=0) == 9  # 10 + 9 * 10 = 100 = line 2
    assert frame.self_hit(0, (10,), 10, margin=3) == 9
    assert frame.self_hit(0, (50,), 0, margin=0) == 100  # never


def test_quick_scan_finds_and_bombs_a_warrior_at_a_probed_cell():
    qscan = (
        "prologue",
        "qscan",
        {"probes": 2, "first": 1000, "spacing": 2000, "gap": 4, "bomb": 0, "burst": 6},
    )
    source = design(qscan, IMP).source(8000)
    settings = Settings(rounds=1)
    warrior = assemble(source, settings)
    sitter = assemble(";redcode\n jmp 0\n", settings)
    # probe 1 looks at its line (4) + 3000 = 3004 and 3008: put the sitter at 3008
    quick = battle([warrior, sitter], settings, 3008 - 100, observe=True)
    assert not quick.alive[0, 1] and quick.observations[0, 1, 3] < 40


DCLEAR = {"first": 4, "stun": 1, "writes": 1, "loop": 0, "stream": 100}
ONESHOT = {
    "step": 3364,
    "first": 100,
    "gap": 1682,
    "slack": 0,
    "back": 0,
    "stun": 1,
    "writes": 1,
    "loop": 0,
    "stream": 100,
}


@pytest.mark.parametrize("stun", [0, 1])
@pytest.mark.parametrize(("writes", "loop"), [(1, 0), (2, 0), (1, 2), (2, 2)])
def test_d_clear_wipes_the_whole_core_over_and_over_without_hitting_itself(stun, writes, loop):
    clear = ("finisher", "dclear", {**DCLEAR, "stun": stun, "writes": writes, "loop": loop})
    source = design(STONE, clear).source(8000)
    result = alone(source)
    _, _, written, died = result.observations[0, 0]
    assert died == -1 and written >= 7990


def test_d_clear_stuns_with_spl_then_kills_with_dat():
    from problems.corewar.mars_reference import Mars

    source = design(("main", "dclear", {**DCLEAR, "loop": 2})).source(8000)
    opcodes = []
    for cycles in (6000, 30000):
        settings = Settings(rounds=1, warriors=1, cycles=cycles)
        mars = Mars([assemble(source, settings)], settings)
        mars.round([0], 0)
        opcodes.append([cell[0] for cell in mars.last_core.cells[1000:7000]])
    spl, dat = assemble(" spl 0\n dat 0\n", Settings()).code[:, 0]
    assert opcodes[0].count(spl) > 1000  # the first pass lays spl bombs
    assert opcodes[1].count(dat) > 5000  # later passes lay dat bombs over them


def test_one_shot_finds_a_sitting_duck_and_clears_it_away():
    source = design(("main", "oneshot", ONESHOT)).source(8000)
    settings = Settings(rounds=1)
    warrior = assemble(source, settings)
    sitter = assemble(";redcode\n jmp 0\n", settings)
    for position in (900, 2500, 4321, 6100):
        result = battle([warrior, sitter], settings, position - 100, observe=True)
        assert result.alive[0, 0] and not result.alive[0, 1]


def test_one_shot_alone_survives_and_clears_the_core():
    for stun, loop, stream in ((0, 0, 100), (1, 0, 100), (1, 1, -1045), (1, 2, 100)):
        values = {**ONESHOT, "stun": stun, "loop": loop, "stream": stream}
        result = alone(design(("main", "oneshot", values)).source(8000))
        _, _, written, died = result.observations[0, 0]
        assert died == -1 and written >= 7990


def test_paper_with_two_bombing_lines_survives_and_spreads():
    for mode, target2 in ((0, 1234), (1, 3000)):
        values = {**PAPER[2], "stages": 2, "bombs": 2, "mode": mode, "target2": target2}
        source = design(("main", "paper", values)).source(8000)
        assert source.count("mov.i  mbomb,") == 2
        result = alone(source)
        _, processes, written, died = result.observations[0, 0]
        assert died == -1 and processes >= 8 and written > 4000
