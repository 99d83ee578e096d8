"""A program evaluator for the tests: it scores a program by its length, and hangs for
good (ignoring the alarm, swallowing every exception) on a program that says STUBBORN."""

import signal
import time
from pathlib import Path


class Stubborn:
    objectives = [("score", "max")]

    def evaluate(self, program_path: str) -> dict:
        text = Path(program_path).read_text()
        if "STUBBORN" in text:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                try:  # noqa: SIM105  (a literal swallow is the point)
                    time.sleep(0.05)
                except BaseException:
                    pass
        return {"score": float(len(text))}
