"""Core War figures for ``evo plot``: the training curve beside the held-out measure."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def heldout_figure(store: Any, out_dir: Path) -> list[Path]:
    """``heldout.png``: the best training score so far against evaluations, the best-so-far
    warrior measured on the held-out part at checkpoints (with standard errors), the
    champion, and the dwarf and the best seed on the same held-out measure."""
    heldout = store.meta("heldout")
    if not heldout or not heldout.get("curve"):
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from evo.export import generations

    frame = generations(store)
    curve = heldout["curve"]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    if "score_best_ever" in frame.columns:
        ax.plot(
            frame["evaluations"], frame["score_best_ever"], color="C0", label="best training score"
        )
    ax.errorbar(
        [c["evaluations"] for c in curve],
        [c["score"] for c in curve],
        yerr=[c["se"] for c in curve],
        color="C1",
        marker="o",
        capsize=3,
        label="best so far, held-out",
    )
    champion = heldout["champion"]
    ax.errorbar(
        [curve[-1]["evaluations"]],
        [champion["score"]],
        yerr=[champion["se"]],
        color="C3",
        marker="*",
        markersize=12,
        capsize=3,
        linestyle="none",
        label=f"champion (replayed, shrunk), held-out: {champion['score']:.3f}",
    )
    seed, dwarf = curve[0], heldout["dwarf"]
    ax.axhline(
        seed["score"], color="C2", linestyle=":", label=f"best seed, held-out: {seed['score']:.3f}"
    )
    ax.axhline(
        dwarf["score"],
        color="grey",
        linestyle="--",
        label=f"the dwarf, held-out: {dwarf['score']:.3f}",
    )
    ax.set_xlabel("evaluations")
    ax.set_ylabel("score (3 per win, 1 per tie, over 3 per round)")
    ax.set_title(
        f"training score and the held-out measure ({heldout['measure']})", fontsize="small"
    )
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = Path(out_dir) / "heldout.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return [path]
