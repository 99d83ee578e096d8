"""Warriors on the held-out measure: the held-out part of the 94nop hill (437 warriors,
``problems/corewar/hill.py``), 20 rounds each at pMARS placements, pMARS scoring
``(3 wins + ties) / (3 rounds)`` averaged over opponents, with its standard error.

Run:
  python experiments/corewar_heldout.py champion.red [more.red ...]   # your warriors
  python experiments/corewar_heldout.py --seeds                      # the built-in seeds
  python experiments/corewar_heldout.py --hill 60                    # the hill itself

``--hill N`` measures N warriors drawn at random from the whole hill (each against the
held-out part without itself): the distribution an evolved warrior is compared with.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from problems.corewar.assembler import AssemblyError, assemble
from problems.corewar.heldout import HeldOut
from problems.corewar.opponents import SEEDS, seed_source

REPO = Path(__file__).resolve().parents[1]
HILL = REPO.parent / "shared" / "corewar" / "warriors" / "94nop"


def report(label: str, heldout: HeldOut, source: str) -> float:
    outcome = heldout.play([assemble(source)])[0]
    total = outcome.wins.sum() + outcome.ties.sum() + outcome.losses.sum()
    rates = [x.sum() / total for x in (outcome.wins, outcome.ties, outcome.losses)]
    print(
        f"{label:<40}{outcome.score:>7.3f} +-{outcome.standard_error:.3f}"
        f"   W/T/L {rates[0]:.0%}/{rates[1]:.0%}/{rates[2]:.0%}",
        flush=True,
    )
    return outcome.score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("warriors", nargs="*", type=Path, help=".red files to measure")
    parser.add_argument("--seeds", action="store_true", help="measure the built-in seeds")
    parser.add_argument("--hill", type=int, default=0, help="measure N random hill warriors")
    parser.add_argument("--hill-dir", type=Path, default=HILL)
    parser.add_argument("--rounds", type=int, default=20, help="rounds per held-out warrior")
    args = parser.parse_args()
    heldout = HeldOut.of(args.hill_dir, rounds=args.rounds)
    print(f"held-out measure: {heldout.describe()}")
    for path in args.warriors:
        try:
            report(path.name, heldout, path.read_text(encoding="latin-1"))
        except (OSError, AssemblyError) as exc:
            print(f"{path}: {exc}")
    if args.seeds:
        for name in SEEDS:
            report(f"seed {name}", heldout, seed_source(name))
    if args.hill:
        files = random.Random(5).sample(sorted(args.hill_dir.glob("*.red")), args.hill)
        scores = []
        for path in files:
            without = HeldOut.of(args.hill_dir, rounds=args.rounds, exclude=[path.name])
            scores.append(report(f"hill {path.stem}", without, path.read_text(encoding="latin-1")))
        q1, median, q3 = np.percentile(scores, [25, 50, 75])
        print(
            f"hill ({len(scores)} warriors): lower quartile {q1:.3f}, median {median:.3f}, "
            f"upper quartile {q3:.3f}, best {max(scores):.3f}"
        )


if __name__ == "__main__":
    main()
