"""A real HTTP server on 127.0.0.1 that replays recorded responses: for the demo and the tests."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Route:
    """Answers GET `path` (and, if given, only when the query holds every `query` pair)."""

    path: str
    body: bytes
    content_type: str = "application/json"
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True

    @classmethod
    def from_file(cls, path: str, file: Path, content_type: str, **kwargs: object) -> Route:
        return cls(path=path, body=file.read_bytes(), content_type=content_type, **kwargs)  # type: ignore[arg-type]


@dataclass
class RequestLog:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int


class LocalSite:
    """A threaded HTTP server on 127.0.0.1 (a free port) handing each GET to `_handle`; `with` runs it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


class RecordedSite(LocalSite):
    """Serves routes; unmatched requests get 404. `hook` may replace a route's answer (fault tests)."""

    def __init__(self, routes: list[Route] | None = None) -> None:
        super().__init__()
        self.routes: list[Route] = list(routes or [])
        self.requests: list[RequestLog] = []
        self.hook: Callable[[str, dict[str, str]], Route | None] | None = None

    def add(self, route: Route) -> None:
        with self._lock:
            self.routes.insert(0, route)

    def _find(self, path: str, query: dict[str, str]) -> Route | None:
        with self._lock:
            for route in self.routes:
                if route.path == path and all(query.get(k) == v for k, v in route.query.items()):
                    return route
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        route = self.hook(parts.path, query) if self.hook else None
        route = route or self._find(parts.path, query)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if route is None:
            status, body, content_type, extra = (
                404,
                b'{"status":404,"message":"not found"}',
                "application/json",
                {},
            )
        else:
            status, body, content_type, extra = (
                route.status,
                route.body,
                route.content_type,
                dict(route.headers),
            )
            if route.etag and status == 200:
                tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                extra["ETag"] = tag
                if headers.get("if-none-match") == tag:
                    status, body = 304, b""
        with self._lock:
            self.requests.append(RequestLog(parts.path, query, headers, status))
        handler.send_response(status)
        if status != 304:
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body)
