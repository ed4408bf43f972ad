"""A real HTTP receiver on 127.0.0.1 for webhook, Slack and Teams posts: checks signatures, fails on cue."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.mail import free_port


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int  # the status the receiver sent back (0: it was too slow for the sender to hear it)
    signature_ok: bool | None  # None when no secret is registered for the path

    @property
    def delivery_id(self) -> str:
        return self.headers.get("x-adcvd-delivery", "")

    def json(self) -> Any:
        return json.loads(self.body)


def verify(secret: str, header: str, body: bytes) -> bool:
    """What docs/webhooks.md tells a receiver to do: recompute HMAC-SHA256 over b"TIMESTAMP." + body."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if "t" not in parts or "v1" not in parts:
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """Answers each POST by the next planned action for its path ('ok', 'slow', 'hold', or a status such
    as '500' or '400 invalid_blocks'), then 'ok'; keeps every post. Started and stopped on a fixed port.

    'hold' keeps the post (as a receiver that acted on it) and answers only once `release` is set: the
    sender can be killed between its POST and the answer. `held` is set when a post is being held.
    """

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.port = free_port()
        self.slow_seconds = slow_seconds
        self.plans: dict[str, list[str]] = {}
        self.secrets: dict[str, str] = {}
        self.answer_headers: dict[str, dict[str, str]] = {}  # by path, on every answer
        self.posts: list[Post] = []
        self._lock = threading.Lock()
        self.held = threading.Event()
        self.release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def plan(self, path: str, *actions: str) -> None:
        self.plans.setdefault(path, []).extend(actions)

    def accepted(self, path: str) -> list[Post]:
        """Posts answered 2xx, one per delivery id (a receiver drops a repeat of an id it has seen)."""
        seen: dict[str, Post] = {}
        for post in self.posts:
            if post.path == path and 200 <= post.answered < 300:
                seen.setdefault(post.delivery_id, post)
        return list(seen.values())

    def _next_action(self, path: str) -> str:
        with self._lock:
            planned = self.plans.get(path) or []
            return planned.pop(0) if planned else "ok"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                secret = receiver.secrets.get(self.path)
                signed = (
                    None if secret is None else verify(secret, headers.get("x-adcvd-signature", ""), body)
                )
                action = receiver._next_action(self.path)
                waits = action in ("slow", "hold")
                status, _, said = ("200", "", "ok") if waits or action == "ok" else action.partition(" ")
                answered = 0 if waits else int(status)
                if signed is False:
                    status, said, answered = "401", "bad signature", 401
                with receiver._lock:  # kept as it arrives: a slow answer is still being given
                    receiver.posts.append(Post(self.path, headers, body, answered, signed))
                if action == "slow":
                    time.sleep(receiver.slow_seconds)
                if action == "hold":
                    receiver.held.set()
                    receiver.release.wait(timeout=120)
                payload = said.encode()
                try:
                    self.send_response(int(status))
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in receiver.answer_headers.get(self.path, {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
