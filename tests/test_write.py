"""The one atomic file writer (write.write_atomically) that the cache, handouts and gloss import use."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.write import SiteWriter, write_atomically


def test_a_file_is_replaced_whole_and_nothing_is_left_beside_it(tmp_path: Path):
    target = tmp_path / "deep/er/file.txt"
    write_atomically(target, "one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two" and os.listdir(target.parent) == ["file.txt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    write_atomically(target, "three", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "file.txt"
    write_atomically(target, "kept")


    with pytest.raises(TypeError):
        write_atomically(target, 12)  # type: ignore[arg-type]  # not bytes: the write fails
    assert target.read_text() == "kept" and os.listdir(tmp_path) == ["file.txt"]


def test_a_symlink_where_the_temporary_goes_is_never_written_through(tmp_path: Path):
    target = tmp_path / "file.txt"
    outside = tmp_path / "outside.txt"
    outside.write_text("mine")
    for name in os.listdir(tmp_path):
        assert name in ("outside.txt",)
    # a symlink planted under the temporary's name is removed, not followed
    temp = tmp_path / f".file.txt.{os.getpid()}-{__import__('threading').get_ident()}.tmp"
    temp.symlink_to(outside)
    write_atomically(target, "new")
    assert outside.read_text() == "mine" and target.read_text() == "new" and not temp.exists()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o000])
def test_a_build_s_files_are_0644_and_its_folders_0755_whatever_the_umask(tmp_path: Path, umask: int):
    old = os.umask(umask)
    try:
        writer = SiteWriter(tmp_path / "build")
        writer.write("a/b/page.html", "<p>é</p>")
        writer.write("top.txt", b"bytes")
        writer.commit()
    finally:
        os.umask(old)
    out = tmp_path / "build"
    assert (out / "a/b/page.html").read_text(encoding="utf-8") == "<p>é</p>" and (out / "top.txt").read_bytes() == b"bytes"
    for path in [out, *out.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
