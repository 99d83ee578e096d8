"""Red Queen self-play over any problem with an opponents parameter."""

from evo.redqueen.driver import RedQueen, is_red_queen, round_dir

__all__ = ["RedQueen", "is_red_queen", "round_dir"]
