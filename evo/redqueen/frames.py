"""Tables of a Red Queen run."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl


def rounds_frame(rounds: list[dict[str, Any]]) -> pl.DataFrame:
    """One row per round: champion, its objectives, mean score against earlier champions,
    and its held-out (generality) objectives and descriptors."""
    records = []
    for r in rounds:
        history = r["vs_history"]
        record = {
            "round": r["round"],
            "champion": r["champion"],
            "evaluations": r["evaluations"],
            "vs_history_mean": float(np.mean(history)) if history else None,
            "beats_history": sum(x > 0.5 for x in history) if history else None,
        }
        record |= {f"champion_{k}": v for k, v in r["objectives"].items()}
        generality = r.get("generality") or {}
        record |= {f"heldout_{k}": v for k, v in generality.get("objectives", {}).items()}
        record |= {f"heldout_{k}": v for k, v in generality.get("descriptors", {}).items()}
        records.append(record)
    return pl.DataFrame(records, infer_schema_length=None) if records else pl.DataFrame()
