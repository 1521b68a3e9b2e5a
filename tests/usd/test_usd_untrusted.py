"""Layers OpenUSD complains about: the scan names each in one line, and OpenUSD's own lines are held."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

pytest.importorskip("pxr")
from pxr import Usd


def crate_with_a_huge_section(root: Path) -> bytes:
    """A crate file whose TOKENS section claims 1 TB: OpenUSD prints ``failed call to posix_madvise`` itself."""
    stage = Usd.Stage.CreateNew(str(root / "good.usdc"))
    stage.DefinePrim("/World", "Xform")
    stage.GetRootLayer().Save()
    data = bytearray((root / "good.usdc").read_bytes())
    (toc,) = struct.unpack_from("<q", data, 16)
    struct.pack_into("<q", data, toc + 8 + 24, 2**40)  # the first section's size
    return bytes(data)


def scan(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", *map(str, paths), "--json"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def stderr_lines(completed: subprocess.CompletedProcess) -> List[str]:
    return completed.stderr.splitlines()


def test_openusds_own_stderr_lines_for_a_damaged_crate_are_held_on_the_command_line(tmp_path):
    damaged = tmp_path / "damaged.usdc"
    damaged.write_bytes(crate_with_a_huge_section(tmp_path))
    completed = scan(damaged)
    assert completed.returncode == 0
    assert completed.stderr == ""  # OpenUSD wrote "failed call to posix_madvise(...)" to file descriptor 2


def test_openusds_stderr_is_held_for_a_damaged_crate_it_cannot_read_too(tmp_path):
    data = bytearray(crate_with_a_huge_section(tmp_path))
    (toc,) = struct.unpack_from("<q", data, 16)
    struct.pack_into("<q", data, toc + 8 + 5 * 32 + 16, 2**40)  # and SPECS starting past the end
    damaged = tmp_path / "damaged.usdc"
    damaged.write_bytes(bytes(data))
    completed = scan(damaged)
    assert completed.returncode == 1
    assert stderr_lines(completed) == [f"accsyn-dcc scan: {damaged}: OpenUSD could not read it (ErrorException)"]
