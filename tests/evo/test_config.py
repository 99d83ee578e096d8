import pytest

from evo.config import load_config
from evo.errors import ConfigError

GOOD = """\
name: demo
problem:
  name: zdt1
population:
  size: 20
budget:
  evaluations: 100
"""


def write(tmp_path, text):
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    return path


def test_loads_and_fills_defaults(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.population.size == 20 and config.evaluation.backend == "loky"
    assert config.variation.operators is None


def test_unknown_key_names_file_line_and_path(tmp_path):
    path = write(tmp_path, GOOD.replace("  size: 20", "  size: 20\n  sise: 3"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:6: population.sise: unknown key"


def test_wrong_type_names_the_value(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace("size: 20", "size: many")))
    assert ":5: population.size:" in str(info.value) and "'many'" in str(info.value)


def test_set_overrides_are_typed_and_validated(tmp_path):
    path = write(tmp_path, GOOD)
    config = load_config(path, ["population.size=7", "selection.reference_point=[1, 2]"])
    assert config.population.size == 7 and config.selection.reference_point == [1.0, 2.0]
    with pytest.raises(ConfigError, match=r"\(--set\): population.size"):
        load_config(path, ["population.size=-1"])
    with pytest.raises(ConfigError, match="expected KEY.PATH=VALUE"):
        load_config(path, ["population.size"])


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=r"exp.yaml:2: invalid YAML"):
        load_config(write(tmp_path, "name: x\n  bad: [\n"))


def test_cross_field_rules(tmp_path):
    with pytest.raises(ConfigError, match="scheduler_address"):
        load_config(write(tmp_path, GOOD + "evaluation:\n  backend: dask\n"))
    with pytest.raises(ConfigError, match="at least one of"):
        load_config(write(tmp_path, GOOD.replace("  evaluations: 100", "  evaluations: null")))
    with pytest.raises(ConfigError, match="must be at least islands"):
        load_config(write(tmp_path, GOOD.replace("size: 20", "size: 2\n  islands: 3")))
