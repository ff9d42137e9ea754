"""Watching the edition's inputs with watchdog: site.toml, content/, annotations/ and the theme folders.

Events are collected until the files have been quiet for a moment (editors save in bursts: a temp file,
a rename, a chmod), then handed on as one set of paths. Editors' swap and backup files, build/ and
.gloss-cache/ are ignored; an atomic save is seen through the rename's destination.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

SETTLE_SECONDS = 0.1  # quiet time after the last event before rebuilding
LONGEST_WAIT = 1.0  # rebuild by then even if events keep coming
IGNORED_FOLDERS = {"build", ".gloss-cache", ".git", "__pycache__", "node_modules", ".venv"}
IGNORED_EVENTS = {"opened", "closed_no_write"}


def is_scratch(name: str) -> bool:
    """An editor's swap, backup, lock or temporary file (vim, emacs, gedit, Kate, JetBrains …)."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".kate-swp",
                                                          "___jb_tmp___", "___jb_old___"))
            or name == "4913")


class Watcher(FileSystemEventHandler):
    """Calls `changed(paths)` once a burst of changes to the edition's inputs has settled."""

    def __init__(self, root: Path, changed: Callable[[set[Path]], None], settle: float = SETTLE_SECONDS):
        self.root = root
        self.changed = changed
        self.settle = settle
        self.pending: set[Path] = set()
        self.first = self.last = 0.0
        self.condition = threading.Condition()
        self.stopped = False
        self.observer: BaseObserver = Observer()
        self.watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self.themes: list[Path] = []
        self.polling = False
        self.thread = threading.Thread(target=self._run, name="gloss-rebuild", daemon=True)

    # ------------------------------------------------------------------ what is watched

    def start(self, themes: Iterable[Path]) -> None:
        self.watch(themes)
        self.observer.start()
        self.thread.start()

    def watch(self, themes: Iterable[Path] | None = None) -> None:
        """Watch site.toml's folder (not below), content/, annotations/, themes/ and the theme folders."""
        if themes is not None:
            self.themes = list(themes)
        wanted = {(self.root, False)}
        for folder in (self.root / "content", self.root / "annotations", self.root / "themes", *self.themes):
            if folder.is_dir():
                wanted.add((folder.resolve(), True))
        for key in [k for k in self.watches if k not in wanted]:
            with contextlib.suppress(KeyError, OSError):  # the folder is gone, and its watch with it
                self.observer.unschedule(self.watches.pop(key))
        for path, recursive in sorted(wanted - self.watches.keys()):
            if any(r and path != other and other in path.parents for other, r in wanted):
                continue  # already inside a recursive watch
            try:
                self.watches[(path, recursive)] = self.observer.schedule(self, str(path), recursive=recursive)
            except OSError:
                if self.polling:
                    raise
                self._poll_instead()
                return self.watch()

    def _poll_instead(self) -> None:
        """inotify refused (too many watches): poll the files instead, twice a second."""
        self.observer.stop()
        self.observer = PollingObserver(timeout=0.5)
        self.watches = {}
        self.polling = True
        if self.thread.is_alive():
            self.observer.start()

    def relevant(self, path: str) -> bool:
        """Whether a change at `path` can change the site."""
        p = Path(path)
        if is_scratch(p.name):
            return False
        try:
            rel = p.relative_to(self.root)
        except ValueError:
            rel = None
        if rel is not None:
            if not rel.parts:
                return False
            if rel.parts[0] in IGNORED_FOLDERS or any(is_scratch(part) for part in rel.parts[:-1]):
                return False
            if len(rel.parts) == 1:
                return rel.parts[0] in ("site.toml", "content", "annotations", "themes")
            return True
        return any(folder == p or folder in p.parents for folder in self.themes)

    # ------------------------------------------------------------------ events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return  # a folder is "modified" whenever a file in it changes: the file's own event says which
        paths = {os.fsdecode(event.src_path)}
        if getattr(event, "dest_path", ""):
            paths.add(os.fsdecode(event.dest_path))
        found = {Path(p) for p in paths if self.relevant(p)}
        if not found:
            return
        with self.condition:
            now = time.monotonic()
            if not self.pending:
                self.first = now
            self.pending |= found
            self.last = now
            self.condition.notify_all()

    def _run(self) -> None:
        while True:
            with self.condition:
                while not self.pending and not self.stopped:
                    self.condition.wait()
                if self.stopped:
                    return
                while not self.stopped:
                    wake = min(self.last + self.settle, self.first + LONGEST_WAIT)
                    remaining = wake - time.monotonic()
                    if remaining <= 0:
                        break
                    self.condition.wait(remaining)
                if self.stopped:
                    return
                paths, self.pending = self.pending, set()
            self.changed(paths)

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join(timeout=2)
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout=5)
