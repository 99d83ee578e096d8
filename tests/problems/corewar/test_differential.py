"""The numba MARS against the plain-Python reference: round by round, final core included.

Random warriors on a small core with short rounds; warrior 1's first instruction
walks through every opcode x modifier x A-mode x B-mode combination, so each one is
executed at least once (warrior 1 moves first in the first round of every pair). Pairs
alternate between the two core types (``layout.core_typecode``): uint16 and int32.
"""

import itertools

import numpy as np
import pytest

from problems.corewar.battle import Loaded
from problems.corewar.layout import OBSERVATIONS
from problems.corewar.mars import _play_general, load_core, play_round, round_buffers
from problems.corewar.mars_reference import Mars
from problems.corewar.redcode import MODES, MODIFIERS, OPCODES, Settings, Warrior
from problems.corewar.sequential import pspace_rows

SETTINGS = Settings(coresize=97, cycles=400, processes=12, maxlength=8, mindistance=8, pspacesize=7)
COMBINATIONS = list(
    itertools.product(
        range(len(OPCODES)), range(len(MODIFIERS)), range(len(MODES)), range(len(MODES))
    )
)
PAIRS = 10_500
NARROW, WIDE = np.dtype(np.uint16), np.dtype(np.int32)


OPCODE_WEIGHTS = np.array([0.2 if name == "DAT" else 1.0 for name in OPCODES])
OPCODE_WEIGHTS /= OPCODE_WEIGHTS.sum()


def random_warrior(rng, first=None):
    """Random code, DAT made rare so that rounds last (a random warrior mostly dies fast)."""
    length = int(rng.integers(1, SETTINGS.maxlength + 1))
    code = np.column_stack(
        [
            rng.choice(len(OPCODES), length, p=OPCODE_WEIGHTS),
            rng.integers(0, len(MODIFIERS), length),
            rng.integers(0, len(MODES), length),
            rng.integers(0, SETTINGS.coresize, length),
            rng.integers(0, len(MODES), length),
            rng.integers(0, SETTINGS.coresize, length),
        ]
    ).astype(np.int64)
    small = rng.random((length, 2)) < 0.7  # mostly short references, as real warriors have
    code[:, 3] = np.where(small[:, 0], rng.integers(-6, 7, length) % SETTINGS.coresize, code[:, 3])
    code[:, 5] = np.where(small[:, 1], rng.integers(-6, 7, length) % SETTINGS.coresize, code[:, 5])
    if length > 1 and rng.random() < 0.8:  # loop back, so the warrior keeps running
        code[-1] = [OPCODES.index("JMP"), 1, 1, (1 - length) % SETTINGS.coresize, 1, 0]
    if first is not None:
        code[0, [0, 1, 2, 4]] = first
    pin = int(rng.integers(0, 2)) if rng.random() < 0.2 else None
    return Warrior(
        code=code, start=int(rng.integers(0, length)) if rng.random() < 0.3 else 0, pin=pin
    )


def outputs():
    """Fresh ``alive``, ``order`` and ``observations`` for one two-warrior round."""
    return (
        np.zeros(2, dtype=np.bool_),
        np.full(2, -1, dtype=np.int64),
        np.zeros((2, OBSERVATIONS), dtype=np.int64),
    )


def numba_round(loaded, rows, positions, starter, pspace, last_result, track=False, dtype=NARROW):
    """One round through ``mars.play_round`` (the generated loops, for two warriors) on a
    core of ``dtype``: ``(core as (size, 3), alive, order, observations, written)``."""
    core, queue, state, written = round_buffers(
        2, SETTINGS.coresize, SETTINGS.processes, track, dtype
    )
    alive, order, observations = outputs()
    play_round(
        core, queue, state, written, loaded.instr, loaded.a, loaded.b, loaded.offsets,
        loaded.lengths, loaded.starts, np.asarray(positions, dtype=np.int64), starter,
        SETTINGS.cycles, SETTINGS.processes, pspace, rows, last_result, alive, order,
        observations, track,
    )  # fmt: skip
    return core.reshape(-1, 4)[:, :3], alive, order, observations, written


def unpack(core):
    word = core[:, 0]
    return np.column_stack(
        [word >> 9, (word >> 6) & 7, (word >> 3) & 7, core[:, 1], word & 7, core[:, 2]]
    )


@pytest.mark.parametrize("chunk", range(4))
def test_numba_matches_reference_round_by_round(chunk):
    rng = np.random.default_rng(chunk)
    per_chunk = PAIRS // 4
    executed = 0
    for k in range(chunk * per_chunk, (chunk + 1) * per_chunk):
        combo = COMBINATIONS[k % len(COMBINATIONS)]
        warriors = [random_warrior(rng, combo), random_warrior(rng)]
        reference = Mars(warriors, SETTINGS)
        loaded = Loaded.of(warriors)
        rows = np.array(pspace_rows(loaded.pins))
        pspace = np.zeros((2, SETTINGS.pspace), dtype=np.int32)
        last_result = np.full(2, SETTINGS.coresize - 1, dtype=np.int32)
        for round_index in range(2):  # two rounds: P-space and results carry over
            positions = [
                0,
                int(
                    rng.integers(SETTINGS.mindistance, SETTINGS.coresize - SETTINGS.mindistance + 1)
                ),
            ]
            expected = reference.round(positions, round_index % 2)
            core, alive, order, observations, _ = numba_round(
                loaded, rows, positions, round_index % 2, pspace, last_result,
                dtype=(NARROW, WIDE)[k % 2],
            )  # fmt: skip
            assert list(alive) == expected.alive, (k, round_index)
            assert [w for w in order if w >= 0] == expected.death_order
            assert list(observations[:, 0]) == expected.executed
            reference_core = np.array(reference.last_core.cells)
            assert np.array_equal(unpack(core), reference_core), (k, round_index)
            for i in range(2):
                assert last_result[i] == reference.pspaces[i].last_result
                assert list(pspace[rows[i]][1:]) == reference.pspaces[i].cells[1:]
            executed += expected.cycles
    assert executed > 100_000


def test_every_combination_is_exercised():
    assert len(COMBINATIONS) <= PAIRS and PAIRS >= 10_000


def general_round(loaded, rows, positions, starter, pspace, last_result, track, dtype=WIDE):
    """The same round through the general (any number of warriors) loop."""
    size = SETTINGS.coresize
    core, queue, state, written = round_buffers(2, size, SETTINGS.processes, track, dtype)
    positions = np.asarray(positions, dtype=np.int64)
    load_core(core, loaded.instr, loaded.a, loaded.b, loaded.offsets, loaded.lengths, positions)
    alive, order, observations = outputs()
    entries = (positions + loaded.starts) % size
    _play_general(
        core, queue, state, loaded.lengths, entries, starter, SETTINGS.cycles,
        SETTINGS.processes, pspace, rows, last_result, alive, order, observations, written,
        track,
    )  # fmt: skip
    return core.reshape(-1, 4)[:, :3], alive, order, observations, written


@pytest.mark.parametrize("track", [False, True])
def test_generated_duel_matches_the_general_loop_in_every_output(track):
    """The generated two-warrior loops (uint16 core) against the general loop (int32
    core): peak processes, cells written and the ``written`` map included, which the
    reference does not report."""
    rng = np.random.default_rng(99 + track)
    for k in range(2_000):
        combo = COMBINATIONS[int(rng.integers(len(COMBINATIONS)))]
        warriors = [random_warrior(rng, combo), random_warrior(rng)]
        loaded = Loaded.of(warriors)
        rows = np.array(pspace_rows(loaded.pins))
        states = [
            (np.zeros((2, SETTINGS.pspace), np.int32), np.full(2, SETTINGS.coresize - 1, np.int32))
            for _ in range(2)
        ]
        for round_index in range(2):
            positions = [0, int(rng.integers(8, SETTINGS.coresize - 7))]
            args = (loaded, rows, positions, round_index % 2)
            got = numba_round(*args, *states[0], track)
            want = general_round(*args, *states[1], track)
            names = ("core", "alive", "order", "observations", "written")
            for name, a, b in zip(names, got, want, strict=True):
                assert np.array_equal(a, b), (k, round_index, name)
            assert np.array_equal(states[0][0], states[1][0])
            assert np.array_equal(states[0][1], states[1][1])
