"""A look-alike source on 127.0.0.1 that answers hostilely: endless bodies, gzip bombs, one byte a second."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from worker.app.recorded_site import LocalSite

CHUNK = 64 * 1024


def gzip_bomb(unpacked_bytes: int) -> bytes:
    """A gzip stream of `unpacked_bytes` zeros (1 GiB packs to about 1 MB), built without holding it all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = []
    left = unpacked_bytes
    while left > 0:
        parts.append(packer.compress(zeros[: min(left, len(zeros))]))
        left -= len(zeros)
    parts.append(packer.flush())
    return b"".join(parts)


@dataclass(frozen=True)
class Endless:
    """`size` bytes of JSON-looking filler, streamed without a Content-Length (as a hostile server would)."""

    size: int


@dataclass(frozen=True)
class Bomb:
    """A gzip body sent as is (Content-Encoding: gzip); gzip_bomb makes one that unpacks far larger."""

    packed: bytes


@dataclass(frozen=True)
class Trickle:
    """A 200 whose body arrives one byte every `interval` seconds, `count` bytes in all."""

    interval: float
    count: int = 10_000


Answer = Endless | Bomb | Trickle


class HostileSite(LocalSite):
    """Serves `answers` by path; records how many body bytes each answer actually sent."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        super().__init__()
        self.answers = answers
        self.sent: dict[str, int] = {}

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.sent[path] = self.sent.get(path, 0) + n

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        answer = self.answers.get(path)
        if answer is None:
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Connection", "close")
        if isinstance(answer, Bomb):
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(answer.packed)))
        handler.end_headers()
        try:
            if isinstance(answer, Bomb):
                handler.wfile.write(answer.packed)
                self._count(path, len(answer.packed))
            elif isinstance(answer, Endless):
                filler = b" " * CHUNK
                left = answer.size
                while left > 0:
                    piece = filler[: min(left, CHUNK)]
                    handler.wfile.write(piece)
                    self._count(path, len(piece))
                    left -= len(piece)
            else:
                for _ in range(answer.count):
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                    self._count(path, 1)
                    time.sleep(answer.interval)  # the hostile source's pace, not a wait in a test
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up: what a bounded client should do
