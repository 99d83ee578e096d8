"""Genome kinds with their own operators: typed configs (a pydantic schema varied with
deap) and skill libraries (skills in a problem's action language).

Importing this package registers the operators ``config_mutation``,
``config_crossover``, ``skill_add``, ``skill_refine``, ``skill_merge``,
``skill_delete`` and ``skill_crossover`` (see ``evo.genomes.operators``) and the
model-guided ``llm_fields`` and ``llm_skills`` (``evo.genomes.llm``).
"""

from evo.genomes import llm as _llm  # noqa: F401  (registers llm_fields, llm_skills)
from evo.genomes import operators as _operators  # noqa: F401  (registers the operators)
from evo.genomes.skill_ops import (
    add_skill,
    crossover_libraries,
    delete_skill,
    merge_skills,
    refine_skill,
)
from evo.genomes.skills import SkillError, SkillGrammar, normalize_skill
from evo.genomes.typed import ConfigSpace, SchemaError

__all__ = [
    "ConfigSpace",
    "SchemaError",
    "SkillError",
    "SkillGrammar",
    "add_skill",
    "crossover_libraries",
    "delete_skill",
    "merge_skills",
    "normalize_skill",
    "refine_skill",
]
