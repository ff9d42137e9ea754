"""The dev server's HTTP side: the last good site from memory, under the base_url's path, with the reload
script added to each HTML page; the error overlay while the edition has errors; server-sent events.

Only GET and HEAD. A request names an output file or nothing: paths are looked up in the site's own
list of files, so `..`, encoded dots, absolute paths and symlinks cannot reach anything else.
"""

from __future__ import annotations

import contextlib
import html
import mimetypes
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import unquote, urlsplit

from ..problems import Problem

DEV = "/__gloss__/"  # the dev server's own files; never part of a build
RELOAD_JS = "reload.js"
DEV_CSS = "dev.css"
EVENTS = "events"
KEEPALIVE_SECONDS = 15.0

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".svg": "image/svg+xml", ".json": "application/json", ".txt": "text/plain; charset=utf-8",
          ".webp": "image/webp", ".avif": "image/avif"}


@dataclass(frozen=True)
class Snapshot:
    """What requests see: one whole site, swapped in at once."""

    files: dict[str, bytes]  # output path -> content; empty until the first good build
    version: str  # changes with every rebuild that changes the site or its errors
    base_path: str = "/"  # "/repo/" for base_url "https://user.github.io/repo/"
    base_url: str = ""
    errors: tuple[Problem, ...] = ()
    good: bool = False  # False until a build without errors


@dataclass
class Broadcast:
    """Tells the open pages (each holds an event stream) that the site changed."""

    condition: threading.Condition = field(default_factory=threading.Condition)
    version: str = ""
    stopped: bool = False

    def send(self, version: str) -> None:
        with self.condition:
            self.version = version
            self.condition.notify_all()

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()


def base_path(base_url: str) -> str:
    path = urlsplit(base_url).path if base_url else "/"
    return path if path.endswith("/") else path + "/"


def output_path(rel: str) -> str | None:
    """The output file a request path (below the base path) names, or None for anything unsafe."""
    try:
        decoded = unquote(rel, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded:
        return None
    parts = decoded.split("/")
    if any(part in (".", "..") for part in parts) or "" in parts[:-1]:
        return None  # traversal, "//", or an absolute path after the base
    if decoded == "" or decoded.endswith("/"):
        decoded += "index.html"
    return decoded


def serving_policy(policy: str) -> str:
    """The page's Content-Security-Policy, widened only as the dev server needs: its own script, style
    and event stream ('self'). Never 'unsafe-inline'."""
    directives: list[list[str]] = [d.split() for d in policy.split(";") if d.strip()]
    names = [d[0].lower() for d in directives]
    default = directives[names.index("default-src")][1:] if "default-src" in names else ["*"]
    for name in ("script-src", "style-src", "connect-src"):
        if name in names:
            sources = directives[names.index(name)]
            if "'self'" not in sources[1:] and "*" not in sources[1:]:
                sources[1:] = [s for s in sources[1:] if s != "'none'"] + ["'self'"]
        elif "'self'" not in default and "*" not in default:
            directives.append([name, "'self'"])
    return "; ".join(" ".join(d) for d in directives)


def _widen_meta(found: re.Match) -> str:
    tag = found.group(0)
    if "content-security-policy" not in tag.lower():
        return tag
    content = _CONTENT.search(tag)
    if content is None:
        return tag
    policy = serving_policy(html.unescape(content.group(2)))
    return tag[:content.start(2)] + html.escape(policy, quote=False).replace('"', "&quot;") + tag[content.end(2):]


def error_overlay(errors: tuple[Problem, ...]) -> str:
    """The edition's errors at file:line, shown on top of the last good page."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in errors)
    count = len(errors)
    return (f'<link rel="stylesheet" href="{DEV}{DEV_CSS}">'
            f'<div id="gloss-errors" role="alert"><p class="gloss-errors-head">{count} error'
            f'{"s" * (count != 1)} — the last good pages are shown until this is fixed</p>'
            f'<ol>{items}</ol><p class="gloss-errors-foot">Fix the file and save: this page reloads by itself.</p>'
            f"</div>")


def for_serving(page: bytes, snapshot: Snapshot, not_found: bool = False) -> bytes:
    """An HTML page as served: CSP widened for the reload script, the error overlay, the reload script.
    (A `gloss build` never contains any of this.)"""
    text = page.decode("utf-8", "replace")
    text = _META.sub(_widen_meta, text)
    if not_found and snapshot.base_url:  # 404.html's absolute links point at the published site
        text = text.replace(f'"{snapshot.base_url}', f'"{snapshot.base_path}')
    added = error_overlay(snapshot.errors) if snapshot.errors else ""
    added += f'<script src="{DEV}{RELOAD_JS}" data-version="{html.escape(snapshot.version)}"></script>\n'
    at = text.rfind("</body>")
    text = text[:at] + added + text[at:] if at >= 0 else text + added
    return text.encode("utf-8")


def error_page(snapshot: Snapshot) -> bytes:
    """Served in place of every page until the edition has built once without errors."""
    policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'"
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Gloss: the edition has errors</title>\n</head>\n<body>\n</body>\n</html>\n")
    return for_serving(page.encode("utf-8"), snapshot)


def _content_type(path: str) -> str:
    suffix = path[path.rfind("."):].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


MAX_CONNECTIONS = 1024  # connections served at once; more are answered 503 at once, not queued for ever
REQUEST_TIMEOUT = 10.0  # seconds a client may take to send its request (half-open connections end)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host header values the server answers: its own address's names and port (a page on another site
    that a DNS rebinding points at 127.0.0.1 sends its own name, and gets 403). None (any) when --host is
    0.0.0.0 or ::, where the names other machines use cannot be known."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {host, *LOOPBACK} if host in LOOPBACK else {host}
    return frozenset(n for name in names for n in (f"[{name}]" if ":" in name else name,
                                                  f"[{name}]:{port}" if ":" in name else f"{name}:{port}"))


class PreviewServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows the current snapshot and the broadcast; a listen backlog that holds a
    burst of a thousand connections, a cap on the connections served at once, a request timeout."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the standard library's 5 lost a third of 1,000 concurrent requests

    def __init__(self, address: tuple[str, int], snapshot: Snapshot, broadcast: Broadcast):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.snapshot = snapshot
        self.broadcast = broadcast
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, Handler)
        self.hosts = allowed_hosts(address[0], self.server_address[1])

    def process_request(self, request, client_address) -> None:  # type: ignore[override]
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        """A client that went away early (closed tab, cancelled load, timeout) is no news: nothing is printed."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "gloss-serve"
    head = False  # a HEAD request: headers only
    timeout = REQUEST_TIMEOUT

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows rebuilds and errors, not every request

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(head=True)

    def refuse(self) -> None:
        self.send(HTTPStatus.METHOD_NOT_ALLOWED, b"Only GET and HEAD.\n", "text/plain; charset=utf-8",
                  extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = refuse  # noqa: N815

    # ------------------------------------------------------------------ routing

    def respond(self, head: bool) -> None:
        self.head = head
        snapshot = self.server.snapshot
        host = self.headers.get("Host")
        if host is not None and self.server.hosts is not None and host.lower() not in self.server.hosts:
            return self.send(HTTPStatus.FORBIDDEN, b"This preview answers only to its own address (Host header "
                             b"not accepted). To reach it under another name, start gloss serve --host 0.0.0.0.\n",
                             "text/plain; charset=utf-8")
        target = self.path
        if not target.startswith("/"):
            return self.not_found(snapshot)
        path, _, query = target.partition("?")
        path = path.partition("#")[0]
        if path.startswith(DEV):
            return self.dev_file(path[len(DEV):], snapshot)
        base = snapshot.base_path
        if base != "/" and path in ("/", base.rstrip("/")):
            return self.redirect(base + (f"?{query}" if query else ""))
        if not path.startswith(base):
            return self.not_found(snapshot)
        key = output_path(path[len(base):])
        if key is None:
            return self.not_found(snapshot)
        if not snapshot.good:
            return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(snapshot), _content_type(".html"))
        content = snapshot.files.get(key)
        if content is None:
            if f"{key}/index.html" in snapshot.files:
                return self.redirect(path + "/")
            return self.not_found(snapshot)
        if key.endswith((".html", ".htm")):
            content = for_serving(content, snapshot)
        self.send(HTTPStatus.OK, content, _content_type(key))

    def not_found(self, snapshot: Snapshot) -> None:
        page = snapshot.files.get("404.html")
        if page is not None:
            self.send(HTTPStatus.NOT_FOUND, for_serving(page, snapshot, not_found=True), _content_type(".html"))
        else:
            self.send(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain; charset=utf-8")

    def redirect(self, location: str) -> None:
        self.send(HTTPStatus.FOUND, b"", "text/plain; charset=utf-8", extra={"Location": location})

    def dev_file(self, name: str, snapshot: Snapshot) -> None:
        if name == EVENTS:
            return self.events()
        if name in (RELOAD_JS, DEV_CSS):
            data = resources.files(__package__).joinpath(name).read_bytes()
            return self.send(HTTPStatus.OK, data, _content_type(name))
        self.not_found(snapshot)

    def send(self, status: HTTPStatus, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not self.head:
            self.wfile.write(body)

    # ------------------------------------------------------------------ server-sent events

    def events(self) -> None:
        """The site's version now and after every rebuild; a page whose version differs reloads."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.head:
            return
        broadcast = self.server.broadcast
        sent = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                with broadcast.condition:
                    if broadcast.version == sent and not broadcast.stopped:
                        broadcast.condition.wait(KEEPALIVE_SECONDS)
                    version, stopped = broadcast.version, broadcast.stopped
                if stopped:
                    return
                if version != sent:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    sent = version
                else:
                    self.wfile.write(b": still here\n\n")
        except OSError:
            return  # the page went away
