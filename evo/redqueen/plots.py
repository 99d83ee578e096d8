"""Figures of a Red Queen run: champions against history, generality by round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from evo.redqueen.frames import rounds_frame
from evo.store import Store


def champion_matrix(ax: Any, rounds: list[dict[str, Any]]) -> None:
    """Score of each round's champion (rows) against every earlier champion (columns)."""
    n = len(rounds)
    grid = np.full((n, n), np.nan)
    for r in rounds:
        for j, outcome in enumerate(r["vs_history"]):
            grid[r["round"], j] = outcome
    image = ax.imshow(grid, origin="lower", cmap="RdYlGn", vmin=0, vmax=1)
    ax.figure.colorbar(image, ax=ax, label="score of the row champion")
    for i in range(n):
        for j in range(i):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:.2f}", ha="center", va="center", fontsize=7)
    ax.set_xlabel("earlier champion (round)")
    ax.set_ylabel("champion (round)")
    ax.set_title("champions against history")


def history_curve(ax: Any, frame: pl.DataFrame) -> None:
    """Mean score of each champion against all earlier champions, by round."""
    part = frame.drop_nulls("vs_history_mean")
    ax.plot(part["round"], part["vs_history_mean"], marker="o", label="mean vs earlier champions")
    ax.axhline(0.5, color="grey", linestyle=":")
    ax.set_ylim(0, 1)
    ax.set_xlabel("round")
    ax.set_ylabel("score")
    ax.set_title("champion score against history")
    ax.grid(alpha=0.3)


def generality_curve(
    ax: Any, frame: pl.DataFrame, objective: str, references: list[dict[str, Any]] | None = None
) -> None:
    """Each round's champion on the held-out measure of ``objective`` (with its standard
    error as a bar when the problem reports ``<objective>_se``), beside the seeds on the
    same measure (dashed lines)."""
    column = f"heldout_{objective}"
    if column not in frame.columns:
        return
    se = frame[f"{column}_se"] if f"{column}_se" in frame.columns else None
    ax.errorbar(frame["round"], frame[column], yerr=se, marker="o", capsize=3, label="champion")
    for k, reference in enumerate(references or []):
        value = reference.get("objectives", {}).get(objective)
        if value is not None:
            ax.axhline(
                value,
                color=f"C{k + 1}",
                linestyle="--",
                linewidth=1,
                label=f"seed {reference['label']}: {value:.3f}",
            )
    ax.set_xlabel("round")
    ax.set_ylabel(f"held-out {objective}")
    ax.set_title("generality: held-out score (never selected on)")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)


def plot_red_queen(run_dir: Path) -> list[Path]:
    """The run's own figures (each round's are ``evo.plots.plot_run``'s)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    store = Store.in_dir(run_dir)
    try:
        rounds = store.meta("rounds", [])
        references = store.meta("seed_generality", [])
    finally:
        store.close()
    out = Path(run_dir) / "plots"
    out.mkdir(exist_ok=True)
    written = []
    if rounds:
        frame = rounds_frame(rounds)
        fig, axes = plt.subplots(1, 3, figsize=(17, 4.5))
        champion_matrix(axes[0], rounds)
        history_curve(axes[1], frame)
        objective = next(iter(rounds[0]["objectives"]), "score")
        generality_curve(axes[2], frame, objective, references)
        fig.tight_layout()
        path = out / "red_queen.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)
    return written
