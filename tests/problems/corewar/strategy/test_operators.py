"""Strategy-aware operators: every child assembles, fits, and changes what it says."""

import numpy as np
import pytest

from evo.records import Candidate, Evaluation
from evo.selection.base import Member
from evo.variation.base import VariationContext
from problems.corewar.adapter import CoreWar
from problems.corewar.assembler import assemble
from problems.corewar.strategy.design import parse, random_design
from problems.corewar.strategy.operators import OPERATORS, TUNE_VARIANTS, design_of


@pytest.fixture(scope="module")
def problem():
    return CoreWar(opponents=["seed:dwarf"], rounds=2)


def member(genome):
    return Member(Candidate.new(genome), Evaluation(objectives={"score": 0.5}))


def propose(problem, name, genomes, seed=0):
    context = VariationContext(problem, np.random.default_rng(seed), 1)
    return OPERATORS[name]().propose([member(g) for g in genomes], context)


def templates(problem, n, seed=1):
    rng = np.random.default_rng(seed)
    return [problem.render_design(random_design(rng, 8000, 100)) for _ in range(n)]


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_children_of_every_operator_assemble_and_fit(problem, name):
    parents = templates(problem, 40) + problem.seeds(np.random.default_rng(0), 4)
    rng = np.random.default_rng(3)
    made = 0
    for i in range(60):
        pair = [parents[int(k)] for k in rng.integers(len(parents), size=2)]
        for child in propose(problem, name, pair, seed=i):
            assert 1 <= len(assemble(child)) <= 100
            made += 1
    assert made >= 50


def test_tune_changes_one_parameter_of_the_design(problem):
    parent = templates(problem, 1)[0]
    before = parse(parent)
    children = propose(problem, "tune", [parent])
    assert 1 <= len(children) <= TUNE_VARIANTS and len(set(children)) == len(children)
    changed = set()
    for child in children:
        after = parse(child)
        diffs = [
            (a.role, k)
            for a, b in zip(before.parts, after.parts, strict=True)
            for k in a.values
            if a.values[k] != b.values[k]
        ]
        assert len(diffs) == 1
        changed |= set(diffs)
    assert len(changed) == 1  # all variants vary the same constant


def test_tune_of_free_form_code_changes_one_number(problem):
    dwarf = problem.seeds(np.random.default_rng(0), 1)[0]
    code = assemble(dwarf).code
    for seed in range(10):
        for child in propose(problem, "tune", [dwarf], seed=seed):
            other = assemble(child).code
            assert other.shape == code.shape and (other != code).sum() == 1
            assert design_of(child) is None


def test_swap_takes_a_component_from_the_second_parent(problem):
    a, b = templates(problem, 2, seed=5)
    da, db = parse(a), parse(b)
    for seed in range(10):
        child = parse(propose(problem, "swap", [a, b], seed=seed)[0])
        taken = [p for p in child.parts if p in db.parts and p not in da.parts]
        kept = [p for p in child.parts if p in da.parts]
        # nothing of the first parent is kept when its one part was replaced
        assert taken and (kept or len(da.parts) == 1) or child.parts == db.parts or child == da


def test_edited_children_keep_their_family_marked_as_edited(problem):
    parent = templates(problem, 1)[0]
    child = problem.mutate(parent, np.random.default_rng(1))
    family = parse(parent).family
    assert f";strategy family: {family} (edited)" in child and design_of(child) is None
