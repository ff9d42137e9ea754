"""Files of a stranger's edition are read and written without following symbolic links out of it.

A repository can carry symlinks: `.gloss-cache/bodies -> ../..`, `content/media -> /home/me/.ssh`, a theme's
`static/x.css -> /etc/passwd`. Gloss reads, writes and deletes only real files and folders inside the edition.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import GlossError, Problem


def is_link(path: Path | str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def real_folder_or_missing(path: Path, what: str) -> bool:
    """True when `path` is a real folder, False when it does not exist; GlossError when it is a symlink or a
    file where Gloss keeps `what`."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        raise GlossError(Problem(str(path), 0, 0, "error", f"{what} is a symbolic link (to {os.readlink(path)}); "
                                 "Gloss does not follow it", f"delete {path.name} (Gloss makes the folder itself)"))
    if not stat.S_ISDIR(mode):
        raise GlossError(Problem(str(path), 0, 0, "error", f"{what} is not a folder",
                                 f"delete {path.name} (Gloss makes the folder itself)"))
    return True


def read_bytes(path: Path | str) -> bytes:
    """A file's bytes, refusing a symlink as the last part of the path (OSError ELOOP) and anything not a
    regular file (a FIFO would hang the read, a device never end)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(21, "not a regular file", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def regular_files(folder: Path) -> list[Path]:
    """Every regular file under `folder`, sorted, never entering a symlinked folder or listing a symlink."""
    if is_link(folder) or not folder.is_dir():
        return []
    found: list[Path] = []
    for dirpath, _, filenames in os.walk(folder, followlinks=False):
        for name in filenames:
            path = Path(dirpath, name)
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    found.append(path)
            except OSError:
                continue
    return sorted(found)


def read_source(path: Path) -> bytes:
    """A media or theme file to publish: its bytes, or GlossError when it went away or turned into a symlink
    since the edition was loaded."""
    try:
        return read_bytes(path)
    except OSError as exc:
        reason = "it was deleted during the build" if isinstance(exc, FileNotFoundError) else (
            "it became a symbolic link" if is_link(path) else exc.strerror or str(exc))
        raise GlossError(Problem(str(path), 0, 0, "error", f"cannot publish the file: {reason}",
                                 "build again once the file is in place")) from None
