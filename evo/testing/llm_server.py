"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and
benchmarks of the model path (litellm model ``openai/<name>`` with ``api_base=url``).

A responder function gets each request's JSON and returns a ``Reply``: an answer, an
HTTP error (with headers such as Retry-After), a truncated answer, or a slow one.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FENCED = re.compile(r"```[\w+-]*\n(.*?)```", re.S)


@dataclass
class Reply:
    """What the server answers to one request."""

    content: str = ""
    status: int = 200
    finish_reason: str = "stop"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    prompt_tokens: int = 120
    completion_tokens: int = 60


Responder = Callable[[dict[str, Any]], Reply]


def current_program(request: dict[str, Any]) -> str:
    """The parent program quoted in a prompt (the first fenced block of the last user
    message after the "Current program" heading)."""
    text = request["messages"][-1]["content"]
    part = text.split("## Current program", 1)[-1]
    found = FENCED.search(part) or FENCED.search(text)
    return found.group(1) if found else ""


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: a burst of concurrent calls would wait
    # for SYN retransmits (a second each) and measure the server, not the client.
    request_queue_size = 256


class ScriptedServer:
    """``with ScriptedServer(responder) as server: ... server.url ...``"""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                with outer._lock:
                    outer.requests.append(request)
                reply = outer.responder(request)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    body = {"error": {"message": f"scripted {reply.status}", "type": "scripted"}}
                else:
                    body = {
                        "id": f"chatcmpl-{len(outer.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": request.get("model", "scripted"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": reply.finish_reason,
                                "message": {"role": "assistant", "content": reply.content},
                            }
                        ],
                        "usage": {
                            "prompt_tokens": reply.prompt_tokens,
                            "completion_tokens": reply.completion_tokens,
                            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                        },
                    }
                data = json.dumps(body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                # the client may have given up waiting (a timeout test)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The ``api_base`` to give litellm."""
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
