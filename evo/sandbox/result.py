"""The launcher's report, read as untrusted input: one frame (``LENGTH\\n`` then that many
bytes) of JSON, with caps on its size and nesting, numbers that cannot overflow a
reader, and no trust in its shape."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 100
"""Deepest nesting of lists and objects a result may have."""
MAX_DIGITS = 4000
"""Integers with more digits become (infinite) floats rather than huge ints."""
HEADER = 24


class FrameError(ValueError):
    """The report is malformed or over its cap."""


class Frame:
    """Collects the report's bytes as they arrive; ``complete`` once the frame is whole."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.buffer = bytearray()
        self.length: int | None = None

    def feed(self, data: bytes) -> None:
        """Add bytes; raises FrameError when the frame cannot be valid."""
        self.buffer += data
        if self.length is None:
            head, newline, _ = bytes(self.buffer[:HEADER]).partition(b"\n")
            if not newline:
                if len(self.buffer) >= HEADER:
                    raise FrameError("result has no length header")
                return
            if not head.isdigit():
                raise FrameError("result has a malformed length header")
            self.length = int(head)
            if self.length > self.cap:
                raise FrameError(f"result of {self.length} bytes exceeds {self.cap} bytes")
            del self.buffer[: len(head) + 1]

    @property
    def complete(self) -> bool:
        return self.length is not None and len(self.buffer) >= self.length

    def payload(self) -> bytes:
        assert self.length is not None
        return bytes(self.buffer[: self.length])


@dataclass(frozen=True)
class Report:
    """What the launcher said: the value, or the program's error and traceback."""

    ok: bool
    value: Any = None
    error: str = ""
    traceback: str = ""


def _integer(text: str) -> int | float:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else float(text)


def _depth(value: Any) -> int:
    """Nesting depth of lists and dicts, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse(payload: bytes) -> Report:
    """Decode a frame's payload; raises FrameError with the reason when it is unusable."""
    try:
        data = json.loads(payload.decode("utf-8"), parse_int=_integer)
    except RecursionError:
        raise FrameError(f"result nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # includes UnicodeDecodeError
        raise FrameError(f"unreadable result: {exc}"[:300]) from None
    if _depth(data) > MAX_DEPTH:
        raise FrameError(f"result nested deeper than {MAX_DEPTH} levels")
    if not isinstance(data, dict) or not isinstance(data.get("ok"), bool):
        raise FrameError("garbled result")
    if data["ok"]:
        return Report(True, data.get("value"))
    return Report(
        False, error=str(data.get("error", "failed")), traceback=str(data.get("traceback", ""))
    )
