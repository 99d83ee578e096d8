import pytest

from evo import registry
from evo.errors import ConfigError, ProblemNotFound
from evo.testing.problems import Sphere
from problems.zdt1 import ZDT1


def test_registered_names_and_paths_resolve():
    assert registry.resolve("zdt1") is ZDT1
    assert registry.resolve("evo.testing.problems:Sphere") is Sphere
    assert ("zdt1", ZDT1.description) in registry.describe_all()


@pytest.mark.parametrize(
    "spec, message",
    [
        ("nosuch", "not a registered name"),
        ("nosuch.module:X", "cannot import module"),
        ("evo.records:Match", "not a subclass of evo.Problem"),
    ],
)
def test_unknown_problems_are_reported(spec, message):
    with pytest.raises(ProblemNotFound, match=message):
        registry.resolve(spec)


BROKEN = {
    "syntax": ("def broken(:\n", r"broken_syntax.py:1: syntax error"),
    "raises": (
        "import os\n\nos.environ['NO_SUCH_VARIABLE_FOR_EVO']\n",
        r"importing 'broken_raises' raised KeyError: 'NO_SUCH_VARIABLE_FOR_EVO' \(.*broken_raises.py:3\)",
    ),
    "missing": (
        "from evo.testing.problems import Sphere\n",
        r"broken_missing.py has no 'Problem'; its problems: Sphere",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_module_is_one_line_naming_file_and_line(kind, tmp_path, monkeypatch):
    source, message = BROKEN[kind]
    (tmp_path / f"broken_{kind}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ProblemNotFound, match=message) as caught:
        registry.resolve(f"broken_{kind}:Problem")
    assert "\n" not in str(caught.value)


def test_parameters_are_checked_by_name():
    assert registry.create("zdt1", {"n_var": 10}).n_var == 10
    with pytest.raises(ConfigError, match=r"problem.params.nvar: unknown parameter of ZDT1"):
        registry.create("zdt1", {"nvar": 10})
    with pytest.raises(ConfigError, match="rejected the parameters: n_var must be"):
        registry.create("zdt1", {"n_var": 1})


def test_built_in_operators_exist_without_importing_their_package_first():
    import subprocess
    import sys

    code = (
        "import sys; from evo.variation import build_operator, operator_names;"
        "assert 'evo.genomes' not in sys.modules;"
        "assert {'skill_add', 'config_mutation', 'llm_fields'} <= set(operator_names());"
        "print(build_operator('skill_add').name)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "skill_add", done.stderr
