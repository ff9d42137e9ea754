"""Stage 5, write: the only stage that writes. Everything goes to a temporary folder beside the output,
which is swapped in whole when complete; a failed or killed build leaves the last good site as it was."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import functools
import os
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from .nofollow import read_source, real_folder_or_missing
from .problems import GlossError, Problem

MARKER = ".gloss-build"  # written into every build, so a later build knows the folder is its own
_RENAME_EXCHANGE = 2
T = TypeVar("T")


def write_atomically(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Whole or not at all: written to a temporary file beside `path` (created afresh, never through a
    symlink), then renamed over it. Its permissions are a new file's (0666 less the umask), or `mode`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)  # (one a killed run left)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class SiteWriter:
    """Writes files into a fresh temporary folder; `commit()` swaps it in for the output folder."""

    def __init__(self, output: Path, forbidden: Iterable[Path] = ()):
        check_output_folder(Path(os.path.abspath(output)), forbidden)
        self.output = output.resolve()
        remove_stale_temporaries(self.output)
        self.temp = self.output.with_name(f".{self.output.name}.tmp-{os.getpid()}")
        if os.path.lexists(self.temp):
            if os.path.islink(self.temp) or not self.temp.is_dir():
                raise GlossError(Problem(str(self.temp), 0, 0, "error", "a file Gloss did not write is in the "
                                         "place of the build's temporary folder", "delete it"))
            shutil.rmtree(self.temp)
        self.temp.mkdir(parents=True)
        # what the umask (or a default ACL) takes from a new file's mode: mkdir made the folder 0777 less it
        self._masked = ~os.stat(self.temp).st_mode & 0o777
        os.chmod(self.temp, 0o755)
        self.count = 0
        self._folders: set[str] = {str(self.temp)}

    def _target(self, path: str) -> str:
        # normpath, not resolve(): the temporary folder is new and holds no symlinks, and resolve() costs an
        # lstat per path component for each of thousands of files.
        target = os.path.normpath(os.path.join(self.temp, path))
        if not target.startswith(f"{self.temp}{os.sep}"):
            raise GlossError(Problem(path, 0, 0, "error", "output path escapes the build folder",
                                     "ids and slugs may only use a-z, 0-9 and hyphens"))
        folder = os.path.dirname(target)
        if folder not in self._folders:
            Path(folder).mkdir(parents=True, exist_ok=True)
            for made in (Path(folder), *Path(folder).parents):
                if made == self.temp:
                    break
                os.chmod(made, 0o755)
                self._folders.add(str(made))
        return target

    def write(self, path: str, content: str | bytes) -> None:
        """A file, mode 0644: created with it (a chmod after is only needed where the umask takes some of it)."""
        target = self._target(path)
        data = content.encode("utf-8") if isinstance(content, str) else content
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        with open(fd, "wb") as handle:
            if self._masked & 0o644:
                os.fchmod(fd, 0o644)
            handle.write(data)
        self.count += 1

    def copy(self, source: Path, path: str) -> None:
        """A media or theme file, read without following a symlink (GlossError when it is gone)."""
        self.write(path, read_source(source))

    def link(self, source: Path | str, path: str) -> None:
        """Take an unchanged file from the previous build: a hard link where the system allows, else a copy.
        (The previous build is replaced whole by commit(), so the two never share a file for long.)"""
        target = self._target(path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
            os.chmod(target, 0o644)
        self.count += 1

    def commit(self) -> None:
        self.write(MARKER, "Built by Gloss. This folder is replaced whole by each build.\n")
        if self.output.exists():
            if _exchange(self.temp, self.output):
                shutil.rmtree(self.temp, ignore_errors=True)
                return
            old = self.output.with_name(f".{self.output.name}.old-{os.getpid()}")
            os.rename(self.output, old)
            os.rename(self.temp, self.output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.temp, self.output)

    def abandon(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(ctypes.get_errno(), f"cannot swap {a} and {b}")


def check_output_folder(output: Path, forbidden: Iterable[Path]) -> None:
    """Accept only a missing path, an empty folder or a previous build (a folder holding MARKER): never a
    file, a device, a FIFO, a socket or a symlink, which the swap would replace with the site. Refuse also
    the project, content/, annotations/, a theme, a folder that holds one of them or lies inside one (but for
    the project folder, which holds build/)."""
    resolved = output.resolve()
    places = [place.resolve() for place in forbidden]
    for place in places:
        holds_others = any(place in other.parents for other in places)
        if resolved == place or resolved in place.parents or (place in resolved.parents and not holds_others):
            raise GlossError(Problem(str(resolved), 0, 0, "error", f"refusing to build into {resolved}: "
                                     "it holds the edition's own files", "choose another --out folder, e.g. build/"))
    try:
        mode: int | None = os.lstat(output).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise GlossError(Problem(str(output), 0, 0, "error", f"cannot use the output folder: {exc.strerror}",
                                 "choose another --out folder")) from None
    if mode is not None and stat.S_ISLNK(mode):
        raise GlossError(Problem(str(output), 0, 0, "error", f"the output path is a symbolic link (to "
                                 f"{os.readlink(output)}); Gloss replaces the output folder whole",
                                 "delete the link, or give --out the real folder"))
    if mode is not None and not stat.S_ISDIR(mode):
        what = "a file" if stat.S_ISREG(mode) else "a special file (a device, FIFO or socket)"
        raise GlossError(Problem(str(output), 0, 0, "error", f"the output path is {what}",
                                 "choose another --out folder: a new one, or a previous build"))
    if mode is not None and any(resolved.iterdir()) and not _regular_file(resolved / MARKER):
        raise GlossError(Problem(str(output), 0, 0, "error",
                                 "the output folder exists and does not look like a Gloss build",
                                 "empty it, delete it, or choose another --out folder; Gloss replaces it whole"))


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def remove_stale_temporaries(output: Path) -> None:
    """Delete the temporary folders that builds killed half way left beside the output (their process is gone)."""
    for folder in output.parent.glob(f".{output.name}.*-*"):
        kind, _, pid = folder.name[len(output.name) + 2:].partition("-")
        if (kind in ("tmp", "old") and pid.isdigit() and not folder.is_symlink() and folder.is_dir()
                and not _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder of ours from before is stale too
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One `gloss build` of an edition at a time: an exclusive lock on .gloss-cache/build.lock, released by
    the system however the build ends (even killed). A POSIX lock (lockf), not flock: the build's forked
    workers do not inherit it, so one left running by a killed build cannot hold up the next build.
    Where the file cannot be made, builds go unlocked. A symlinked .gloss-cache is refused (GlossError)."""
    folder = root / ".gloss-cache"
    real_folder_or_missing(folder, "the build cache .gloss-cache")
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / "build.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        handle = os.fdopen(fd, "a+b")
    except OSError:
        yield
        return
    with handle:
        locked = True
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as busy:
            if busy.errno in (errno.EACCES, errno.EAGAIN):
                print(f"waiting for another gloss build of {root} to finish …", file=sys.stderr, flush=True)
                fcntl.lockf(handle, fcntl.LOCK_EX)
            else:  # a file system without locks
                locked = False
        try:
            yield
        finally:
            if locked:
                fcntl.lockf(handle, fcntl.LOCK_UN)


def one_build_at_a_time(build: Callable[..., T]) -> Callable[..., T]:
    """Decorates build(site_file, …): it runs holding build_lock of the edition's folder."""

    @functools.wraps(build)
    def locked(site_file: Path, *args: Any, **kwargs: Any) -> T:
        if not Path(site_file).is_file():  # not an edition: the build says so, and leaves no lock file behind
            return build(site_file, *args, **kwargs)
        with build_lock(Path(site_file).parent):
            return build(site_file, *args, **kwargs)

    return locked
