"""`gloss serve`: the edition at http://127.0.0.1:8000, rebuilt on every save and reloaded in the browser.

    watch.py   watchdog on site.toml, content/, annotations/ and the theme; bursts of events settle first
    server.py  the HTTP side (standard library): pages from memory, reload script, errors, event stream

The site is served from memory and build/ is left alone; the first build takes article bodies from the
build cache (.gloss-cache/, as `gloss build` does) and stores those it had to render.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..config import load_config
from ..live import Outcome
from ..problems import Problem, Problems
from ..site import Site
from .server import Broadcast, PreviewServer, Snapshot, base_path
from .watch import Watcher

__all__ = ["Preview", "serve"]
SOURCE_SUFFIXES = {".md", ".toml", ".html", ".css", ".js", ".txt", ".xml", ".svg", ".png", ".jpg", ".jpeg", ".gif",
                   ".webp"}  # a deleted file is named in the terminal only when it looks like an input


class Preview:
    """A running preview: the live site, the watcher and the HTTP server. `start()`, then `stop()`."""

    def __init__(self, site_file: Path, host: str = "127.0.0.1", port: int = 8000,
                 out: TextIO | None = None, err: TextIO | None = None, freeze: bool = False):
        self.site_file = site_file.resolve()
        self.root = self.site_file.parent
        self.host, self.port = host, port
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.site = Site(self.site_file)  # loaded by its first update
        self.freeze = freeze  # gc.freeze() after each rebuild: for a process that only serves
        self.instance = os.urandom(4).hex()
        self.generation = 0
        self.snapshot = Snapshot({}, f"{self.instance}-0")
        self.broadcast = Broadcast(version=self.snapshot.version)
        self.lock = threading.Lock()  # one rebuild at a time, and one swap
        self.server: PreviewServer | None = None
        self.watcher = Watcher(self.root, self.changed)
        self.shown: list[Problem] = []
        self.last: Outcome | None = None

    @property
    def url(self) -> str:
        host, port = (self.server.server_address[:2] if self.server else (self.host, self.port))
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{self.snapshot.base_path}"

    def listen(self) -> None:
        """Take the address and port: OSError when they are in use (or not this machine's)."""
        if self.server is None:
            self.server = PreviewServer((self.host, self.port), self.snapshot, self.broadcast)

    def start(self) -> None:
        """Listen, build, then serve and watch."""
        self.listen()
        self.rebuild(())
        threading.Thread(target=self.server.serve_forever, name="gloss-http", daemon=True).start()
        edition = self.site.edition if self.site.loaded else None
        self.watcher.start(edition.theme_dirs if edition else [])

    def stop(self) -> None:
        self.watcher.stop()
        self.broadcast.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # ------------------------------------------------------------------ rebuilding

    def changed(self, paths: set[Path]) -> None:
        """Called by the watcher once a burst of saves has settled."""
        self.rebuild(paths)
        edition = self.site.edition if self.site.loaded else None
        try:
            self.watcher.watch(edition.theme_dirs if edition else None)  # content/ may be new, the theme other
        except OSError as exc:
            self._say(f"cannot watch the theme: {exc}", self.err)

    def rebuild(self, paths: Iterable[Path]) -> Outcome | None:
        paths = set(paths)
        with self.lock:
            try:
                outcome = self.site.update(paths)
            except Exception:  # a bug in Gloss, not in the edition: say so and keep serving
                self._say("internal error while rebuilding (the last good pages are still served):\n"
                          + traceback.format_exc(), self.err)
                return None
            self.last = outcome
            self._publish(outcome)
            if self.freeze:
                # The site stays in memory as long as the server runs: keep the cyclic collector from walking
                # all of it again and again (at 1,000 articles a full collection took longer than the rebuild).
                gc.freeze()
        self._report(outcome, paths)
        return outcome

    def _publish(self, outcome: Outcome) -> None:
        old = self.snapshot
        good = outcome.files is not None
        files = outcome.files if good else old.files
        errors = () if good else tuple(outcome.problems.sorted())
        errors = tuple(p for p in errors if p.severity == "error")
        edition = self.site.edition if self.site.loaded else None
        base_url = edition.config.base_url if edition else old.base_url
        same = files is old.files and errors == old.errors and base_url == old.base_url
        if same and self.generation:
            return  # nothing a reader can see has changed
        self.generation += 1
        self.snapshot = Snapshot(files, f"{self.instance}-{self.generation}", base_path(base_url), base_url,
                                 errors, old.good or good)
        if self.server is not None:
            self.server.snapshot = self.snapshot
        self.broadcast.send(self.snapshot.version)

    def _report(self, outcome: Outcome, paths: set[Path]) -> None:
        problems = outcome.problems.sorted()
        show = [p for p in problems if p.severity == "error" or p not in self.shown]  # errors each time
        if show:
            self._say("\n".join(str(p) for p in show), self.err)
        self.shown = problems
        named = sorted(self._where(p) for p in paths if p.is_file() or p.suffix in SOURCE_SUFFIXES)
        what = ", ".join(named[:3]) + (" …" if len(named) > 3 else "")
        if outcome.files is None:
            count = len(outcome.problems.errors)
            self._say(f"{what + ': ' if what else ''}{count} error{'s' * (count != 1)} — still serving the last "
                      "good pages; the browser shows the errors until they are fixed", self.err)
        elif outcome.full and not paths:
            self._say(f"built {outcome.rendered} pages ({len(outcome.files)} files) in {outcome.seconds:.2f} s", self.out)
        elif outcome.changed or what:
            pages = f"{outcome.rendered} page{'s' * (outcome.rendered != 1)} rendered"
            self._say(f"{what + ': ' if what else ''}{pages}, {len(outcome.changed)} file"
                      f"{'s' * (len(outcome.changed) != 1)} changed — {outcome.seconds:.2f} s", self.out)

    def _where(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _say(self, text: str, stream: TextIO) -> None:
        stamp = time.strftime("%H:%M:%S")
        print(f"{stamp}  {text}", file=stream, flush=True)


def serve(site_file: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """The `gloss serve` command: runs until Ctrl-C."""
    load_config(site_file, Problems())  # no site.toml: the usual error, before anything starts
    preview = Preview(site_file, host, port, freeze=True)
    try:
        preview.listen()
    except OSError as exc:
        reason = "is already in use" if exc.errno in (98, 48, 10048) else f"cannot be used ({exc.strerror})"
        print(f"gloss serve: error: {host}:{port} {reason} — stop the other server, or choose another port with "
              "--port N (--port 0 picks a free one)", file=sys.stderr)
        return 1
    print("Building the edition …", flush=True)
    preview.start()
    edition = preview.site.edition if preview.site.loaded else None
    title = edition.config.title if edition else preview.site_file.parent.name
    print(f"Serving “{title}” at {preview.url} — Ctrl-C to stop", flush=True)
    print("Rebuilds on every save to site.toml, content/, annotations/ and the theme; the page reloads by itself.",
          flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {host}: other machines on the network can read this preview.", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(preview.url,), daemon=True).start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        preview.stop()
    return 0
