"""Figures of an agent-config run for ``evo plot``: success on training and held-out tasks
against evaluations, the Pareto front of success against cost, and library size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from evo import export


def _front(points: np.ndarray) -> np.ndarray:
    """Non-dominated (cost, success) points (cost min, success max), by cost."""
    order = points[np.lexsort((-points[:, 1], points[:, 0]))]
    front, best = [], -np.inf
    for cost, success in order:
        if success > best:
            front.append((cost, success))
            best = success
    return np.array(front)


def success_curve(axes: Any, generations: pl.DataFrame, curve: list[dict], cost: str) -> None:
    """Left: solved share of each generation's best, training and held-out; right: its cost."""
    left, right = axes
    if curve:
        x = [c["evaluations"] for c in curve]
        left.plot(x, [c["train_solved"] for c in curve], marker=".", label="train (solved)")
        left.plot(x, [c["heldout_solved"] for c in curve], marker=".", label="held-out (solved)")
        left.plot(
            x,
            [c["train_success"] for c in curve],
            linestyle="--",
            color="C0",
            alpha=0.6,
            label="train (score)",
        )
        left.plot(
            x,
            [c["heldout_success"] for c in curve],
            linestyle="--",
            color="C1",
            alpha=0.6,
            label="held-out (score)",
        )
        right.plot(x, [c["train_cost"] for c in curve], marker=".", label="train")
        right.plot(x, [c["heldout_cost"] for c in curve], marker=".", label="held-out")
    elif "success_best" in generations.columns:
        left.plot(generations["evaluations"], generations["success_best"], label="train (score)")
        right.plot(generations["evaluations"], generations[f"{cost}_best"], label="train (lowest)")
    left.set_ylim(-0.02, 1.02)
    left.set_title("best agent of each generation")
    left.set_ylabel("share of tasks")
    right.set_title(f"its {cost} per task")
    right.set_ylabel(cost)
    for ax in axes:
        ax.set_xlabel("evaluations")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small", loc="best")


def pareto_plot(ax: Any, evaluations: pl.DataFrame, final: pl.DataFrame, cost: str) -> None:
    """Every fully evaluated agent, the final population and its front."""
    full = evaluations.filter(pl.col("status") == "ok")
    if "desc_stage" in full.columns:
        full = full.filter(pl.col("desc_stage") >= 2)
    ax.scatter(full[cost], full["success"], s=8, color="0.75", label="all agents (full suite)")
    last = final.drop_nulls(["success", cost])
    if len(last):
        ax.scatter(last[cost], last["success"], s=14, color="C0", label="final population")
        front = _front(last.select(cost, "success").to_numpy())
        ax.step(front[:, 0], front[:, 1], where="post", color="C3", label="Pareto front")
    ax.set_xlabel(f"{cost} per task (lower is better)")
    ax.set_ylabel("success (higher is better)")
    ax.set_title("success against cost")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")


def library_plot(ax: Any, populations: pl.DataFrame, generations: pl.DataFrame) -> None:
    """Skill-library size in the population per generation (mean, range, best agent)."""
    sizes = (
        populations.drop_nulls("desc_library_size")
        .group_by("generation")
        .agg(
            pl.col("desc_library_size").mean().alias("mean"),
            pl.col("desc_library_size").min().alias("min"),
            pl.col("desc_library_size").max().alias("max"),
            pl.col("desc_library_size").sort_by("success", descending=True).first().alias("best"),
        )
        .join(generations.select("generation", "evaluations"), on="generation")
        .sort("generation")
    )
    x = sizes["evaluations"]
    ax.fill_between(x, sizes["min"], sizes["max"], alpha=0.2, color="C0", label="range")
    ax.plot(x, sizes["mean"], color="C0", label="mean")
    ax.plot(x, sizes["best"], color="C3", linestyle="--", label="most successful")
    ax.set_xlabel("evaluations")
    ax.set_ylabel("skills")
    ax.set_title("skill-library size in the population")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")


def agent_figures(store: Any, out_dir: Path) -> list[Path]:
    """Write the agent figures into ``out_dir``; returns their paths."""
    import matplotlib.pyplot as plt

    objectives = store.meta("objectives", [])
    if len(objectives) < 2:
        return []
    cost = objectives[1]["name"]
    generations = export.generations(store)
    if not len(generations):
        return []
    populations = export.populations(store)
    evaluations = export.evaluations(store)
    curve = store.meta("heldout_curve", []) or []
    written = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        path = Path(out_dir) / f"{name}.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    success_curve(axes, generations, curve, cost)
    save(fig, "success_curve")
    if "success" in evaluations.columns and cost in evaluations.columns:
        final = populations.filter(pl.col("generation") == populations["generation"].max())
        fig, ax = plt.subplots(figsize=(6.5, 5))
        pareto_plot(ax, evaluations, final, cost)
        save(fig, "success_vs_cost")
    if "desc_library_size" in populations.columns:
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
        library_plot(ax, populations, generations)
        save(fig, "library_size")
    return written
