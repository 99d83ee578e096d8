import polars as pl

from evo.records import Candidate, Evaluation, Objective, Status
from evo.selection import Member
from evo.selection.map_elites import GridArchive, MapElitesSurvival

from support import REPO


def member(x, y, loss, ok=True):
    status = Status.OK if ok else Status.ERROR
    return Member(
        Candidate.new([x, y, loss]),
        Evaluation(
            status=status, objectives={"loss": loss} if ok else {}, descriptors={"x": x, "y": y}
        ),
    )


def test_one_elite_per_cell_ranked_by_quality():
    archive = GridArchive(["x", "y"], [2, 2], [(0, 1), (0, 1)])
    survival = MapElitesSurvival(archive, Objective("loss", "min"))
    pool = [
        member(0.1, 0.1, 5),
        member(0.2, 0.3, 1),
        member(0.9, 0.9, 3),
        member(0.8, 0.7, 4),
        member(0.6, 0.1, 9),
        member(0.7, 0.2, 0, ok=False),
        member(5.0, -3.0, 2),
    ]
    kept = survival.survive(pool, 100)
    assert [m.evaluation.objectives["loss"] for m in kept] == [1, 2, 3]
    # (5, -3) is clipped into the bottom-right cell where it beats the 9
    assert archive.cell(pool[-1]) == (1, 0)
    assert survival.survive(pool, 2) == kept[:2]


def test_map_elites_run_fills_the_archive_and_draws_the_map(tmp_path, evo_cli):
    config = tmp_path / "me.yaml"
    config.write_text(
        "name: me\nproblem: {name: 'evo.testing.problems:Described', params: {n_var: 3}}\n"
        "population: {size: 20}\n"
        "selection: {survival: map_elites, archive: {descriptors: [x0, x1], bins: [5, 5],"
        " ranges: [[-1, 1], [-1, 1]]}}\n"
        "evaluation: {backend: sequential}\nbudget: {evaluations: 600}\n"
    )
    run_dir = tmp_path / "run"
    result = evo_cli("run", str(config), "--run-dir", str(run_dir), "-q", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert evo_cli("export", str(run_dir)).returncode == 0
    generations = pl.read_parquet(run_dir / "export" / "generations.parquet")
    populations = pl.read_parquet(run_dir / "export" / "populations.parquet")
    last = populations.filter(pl.col("generation") == populations["generation"].max())
    assert last.height > 20  # the archive outgrows the initial population
    cells = {
        (int((a + 1) * 2.5), int((b + 1) * 2.5))
        for a, b in zip(last["desc_x0"], last["desc_x1"], strict=True)
    }
    assert len(cells) == last.height
    assert generations["evaluations"].to_list()[-1] == 600
    assert evo_cli("plot", str(run_dir)).returncode == 0
    assert (run_dir / "plots" / "behaviour_map.png").is_file()
