"""Figures of a run. Each plot function draws on a given ``Axes`` so scripts can compose them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from evo import export
from evo.problem import Problem
from evo.store import Store


def evolution_curve(
    ax: Any,
    generations: pl.DataFrame,
    objective: str,
    direction: str,
    resumes: Sequence[int] = (),
) -> None:
    """Best and median of ``objective`` in the population, and the best so far, against
    evaluations; a dotted line where the run was resumed."""
    x = generations["evaluations"]
    ax.plot(x, generations[f"{objective}_median"], label="median", color="C1", linewidth=1)
    ax.plot(x, generations[f"{objective}_best"], label="best now", color="C0", linewidth=1)
    if f"{objective}_best_ever" in generations.columns:
        ax.plot(
            x,
            generations[f"{objective}_best_ever"],
            label="best so far",
            color="k",
            linestyle="--",
            linewidth=1.6,
            zorder=3,
        )
    _mark_resumes(ax, resumes)
    ax.set_xlabel("evaluations")
    ax.set_ylabel(f"{objective} ({direction})")
    ax.set_title(f"{objective}")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)


def _mark_resumes(ax: Any, resumes: Sequence[int]) -> None:
    for k, at in enumerate(resumes):
        ax.axvline(at, color="grey", linestyle=":", label="resumed" if k == 0 else None)


def hypervolume_curve(
    ax: Any,
    generations: pl.DataFrame,
    optimum: float | None = None,
    reference: Sequence[float] | None = None,
    resumes: Sequence[int] = (),
) -> None:
    """Hypervolume of the population against evaluations, with the true front's if known
    and the reference point it is measured from."""
    ax.plot(generations["evaluations"], generations["hypervolume"], color="C0", label="population")
    if optimum:
        ax.axhline(optimum, color="k", linestyle=":", label="true front")
        ax.axhline(0.95 * optimum, color="grey", linestyle=":", linewidth=0.8, label="95%")
    _mark_resumes(ax, resumes)
    ax.set_xlabel("evaluations")
    ax.set_ylabel("hypervolume")
    where = f" (reference point {tuple(reference)})" if reference else ""
    ax.set_title(f"hypervolume{where}")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)


def pareto_snapshots(
    ax: Any,
    populations: pl.DataFrame,
    x: str,
    y: str,
    directions: Sequence[str] = ("min", "min"),
    snapshots: int = 5,
) -> None:
    """The last generation's Pareto front, highlighted over the population at a few
    earlier generations (light to dark); the axes fit the last generation."""
    import matplotlib as mpl
    import numpy as np

    from evo.selection.pareto import first_front

    gens = populations["generation"].unique().sort().to_list()
    if not gens:
        return
    step = max(1, (len(gens) - 1) // max(snapshots - 1, 1))
    earlier = sorted(set(gens[::step]) - {gens[-1]})
    cmap = mpl.colormaps["Blues"]
    for i, generation in enumerate(earlier):
        part = populations.filter(pl.col("generation") == generation).drop_nulls([x, y])
        color = cmap(0.3 + 0.5 * i / max(len(earlier) - 1, 1))
        ax.scatter(part[x], part[y], s=6, color=color, label=f"gen {generation}")
    last = populations.filter(pl.col("generation") == gens[-1]).drop_nulls([x, y])
    points = np.column_stack([last[x].to_numpy(), last[y].to_numpy()])
    minimised = points * [-1.0 if d == "max" else 1.0 for d in directions]
    front = points[first_front(minimised)]
    front = front[np.argsort(front[:, 0])]
    ax.scatter(points[:, 0], points[:, 1], s=10, color="C1", label=f"gen {gens[-1]}")
    ax.plot(front[:, 0], front[:, 1], "o-", color="C3", markersize=4, label="final front")
    if len(points):
        low, high = points.min(axis=0), points.max(axis=0)
        pad = np.maximum((high - low) * 0.08, 1e-9)
        ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
        ax.set_ylim(low[1] - pad[1], high[1] + pad[1])
    ax.set_xlabel(f"{x} ({directions[0]})")
    ax.set_ylabel(f"{y} ({directions[1]})")
    ax.set_title(f"Pareto front at generation {gens[-1]} ({len(front)} points)")
    ax.legend(loc="best", fontsize="small", markerscale=1.5)
    ax.grid(alpha=0.3)


def elo_trajectories(ax: Any, ratings: pl.DataFrame, top: int = 8) -> None:
    """Rating over generations of the ``top`` best-rated players of the last generation."""
    if ratings.is_empty():
        return
    last = ratings["generation"].max()
    leaders = (
        ratings.filter(pl.col("generation") == last)
        .sort("rating", descending=True)
        .head(top)["candidate_id"]
        .to_list()
    )
    for cid in leaders:
        line = ratings.filter(pl.col("candidate_id") == cid).sort("generation")
        ax.plot(line["generation"], line["rating"], marker=".", markersize=3, label=cid[:8])
    ax.set_xlabel("generation")
    ax.set_ylabel("ELO rating")
    ax.set_title(f"ELO of the top {len(leaders)}")
    ax.legend(loc="best", fontsize="x-small")
    ax.grid(alpha=0.3)


def behaviour_map(
    ax: Any,
    population: pl.DataFrame,
    descriptors: list[str],
    ranges: list[Any],
    bins: list[int],
    objective: str,
) -> None:
    """The archive's elites on the first two descriptors, coloured by ``objective``."""
    import numpy as np

    x, y = (f"desc_{d}" for d in descriptors[:2])
    part = population.drop_nulls([x, y, objective])
    grid = np.full((bins[1], bins[0]), np.nan)
    for xv, yv, q in zip(part[x], part[y], part[objective], strict=True):
        i = int(
            np.clip((xv - ranges[0][0]) / (ranges[0][1] - ranges[0][0]) * bins[0], 0, bins[0] - 1)
        )
        j = int(
            np.clip((yv - ranges[1][0]) / (ranges[1][1] - ranges[1][0]) * bins[1], 0, bins[1] - 1)
        )
        grid[j, i] = q if np.isnan(grid[j, i]) else max(grid[j, i], q)
    extent = (ranges[0][0], ranges[0][1], ranges[1][0], ranges[1][1])
    image = ax.imshow(grid, origin="lower", extent=extent, aspect="auto", cmap="viridis")
    ax.figure.colorbar(image, ax=ax, label=objective)
    ax.set_xlabel(descriptors[0])
    ax.set_ylabel(descriptors[1])
    ax.set_title(f"behaviour map ({int(np.sum(~np.isnan(grid)))} of {grid.size} cells)")


def cost_curve(
    ax: Any, calls: pl.DataFrame, evaluations: pl.DataFrame, objective: str, direction: str
) -> None:
    """Best score so far against cumulative model cost (dollars)."""
    import numpy as np

    spent = calls.sort("time").with_columns(pl.col("cost").fill_null(0).cum_sum().alias("spent"))
    scored = evaluations.drop_nulls(objective).sort("finished")
    if scored.is_empty() or spent.is_empty():
        return
    best = scored[objective].cum_max() if direction == "max" else scored[objective].cum_min()
    where = np.searchsorted(spent["time"].to_numpy(), scored["finished"].to_numpy(), side="right")
    cost = np.where(where > 0, spent["spent"].to_numpy()[np.maximum(where - 1, 0)], 0.0)
    ax.step(cost, best.to_numpy(), where="post", color="C0")
    ax.set_xlabel("cumulative model cost ($)")
    ax.set_ylabel(f"best {objective}")
    ax.set_title("best score against cost")
    ax.grid(alpha=0.3)


def model_usage(ax: Any, calls: pl.DataFrame) -> None:
    """Calls per model, split by outcome (ok, rejected, duplicate, error, timeout)."""
    table = calls.group_by(["model", "status"]).len().sort(["model", "status"])
    models = table["model"].unique().sort().to_list()
    bottom = [0] * len(models)
    for k, status in enumerate(["ok", "rejected", "duplicate", "error", "timeout"]):
        part = {
            r["model"]: r["len"]
            for r in table.filter(pl.col("status") == status).iter_rows(named=True)
        }
        heights = [part.get(m, 0) for m in models]
        ax.bar(models, heights, bottom=bottom, label=status, color=f"C{k}")
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("calls")
    ax.set_title("model usage")
    ax.legend(fontsize="small")


def plot_run(run_dir: Path, skipped: list[str] | None = None) -> list[Path]:
    """Write the standard figures of a run to ``run_dir/plots``; returns their paths. A
    figure that cannot be drawn is left out, and why is added to ``skipped``."""
    skipped = [] if skipped is None else skipped
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    store = Store.in_dir(run_dir)
    if store.meta("driver") == "red_queen":
        store.close()
        from evo.redqueen.driver import round_dirs
        from evo.redqueen.plots import plot_red_queen

        return plot_red_queen(run_dir) + [
            p for d in round_dirs(run_dir) for p in plot_run(d, skipped)
        ]
    try:
        objectives = store.meta("objectives", [])
        archive = store.meta("config")["selection"].get("archive")
        optimum = store.meta("optimal_hypervolume")
        reference = store.meta("hypervolume_reference")
        resumes = store.meta("resumes", [])
        generations = export.generations(store)
        populations = export.populations(store)
        ratings = export.ratings(store)
        calls = export.llm_calls(store)
        finished = store.ok_finish_times()
    finally:
        store.close()
    out = Path(run_dir) / "plots"
    out.mkdir(exist_ok=True)
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        path = out / f"{name}.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)

    def evolution() -> Any:
        fig, axes = plt.subplots(
            1, len(objectives), figsize=(5 * len(objectives), 4), squeeze=False
        )
        for ax, objective in zip(axes[0], objectives, strict=True):
            evolution_curve(ax, generations, objective["name"], objective["direction"], resumes)
        return fig

    def hypervolume() -> Any:
        fig, ax = plt.subplots(figsize=(6, 4))
        hypervolume_curve(ax, generations, optimum, reference, resumes)
        return fig

    def pareto_front() -> Any:
        fig, ax = plt.subplots(figsize=(6, 5))
        first, second = objectives[:2]
        directions = (first["direction"], second["direction"])
        pareto_snapshots(ax, populations, first["name"], second["name"], directions)
        return fig

    def elo() -> Any:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        elo_trajectories(ax, ratings)
        return fig

    def model_cost() -> Any:
        name, direction = objectives[0]["name"], objectives[0]["direction"]
        values = pl.DataFrame(
            [(cid, at, scores.get(name)) for cid, at, scores in finished],
            schema={"candidate_id": pl.String, "finished": pl.Float64, name: pl.Float64},
            orient="row",
        )
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        cost_curve(axes[0], calls, values, name, direction)
        model_usage(axes[1], calls)
        return fig

    def behaviour() -> Any:
        last = populations.filter(pl.col("generation") == populations["generation"].max())
        fig, ax = plt.subplots(figsize=(6, 5))
        descriptors, ranges, bins = archive["descriptors"], archive["ranges"], archive["bins"]
        behaviour_map(ax, last, descriptors, ranges, bins, objectives[0]["name"])
        return fig

    has_ok = bool(len(finished))
    figures = {
        "evolution": (objectives and len(generations) and has_ok, evolution),
        "hypervolume": (
            "hypervolume" in generations.columns and generations["hypervolume"].drop_nulls().len(),
            hypervolume,
        ),
        "pareto_front": (len(objectives) >= 2 and len(populations) and has_ok, pareto_front),
        "elo": (not ratings.is_empty(), elo),
        "model_cost": (not calls.is_empty() and objectives, model_cost),
        "behaviour_map": (
            archive and len(archive["descriptors"]) >= 2 and objectives and has_ok,
            behaviour,
        ),
    }
    for name, (wanted, draw) in figures.items():
        if not wanted:
            continue
        try:
            save(draw(), name)
        except Exception as exc:  # one figure that cannot be drawn never stops the rest
            plt.close("all")
            skipped.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    store = Store.in_dir(run_dir)
    try:
        written += _problem_class(store).figures(store, out)
    except Exception as exc:
        skipped.append(f"the problem's figures: {type(exc).__name__}: {exc}")
    finally:
        store.close()
    return written


def _problem_class(store: Store) -> type[Problem]:
    from evo import registry

    return registry.resolve(store.meta("config")["problem"]["name"])
