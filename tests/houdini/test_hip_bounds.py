"""The security probes' .hip files: each is read in bounded time and memory, ending in a result or one line."""

from __future__ import annotations

import pytest
from fuzzing import scan_bounded
from hip_files import backwards_archive

from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import HipError

SCANNER = "accsyn_dcc.scan.houdini"
MEMORY = 512 * 1024 * 1024
"""Address space for the child that scans one probe (the readers before the fixes needed 2 to 7 GB)."""


def test_a_section_size_that_points_back_is_refused(tmp_path):
    scene = tmp_path / "backwards.hip"
    scene.write_bytes(backwards_archive(64 * 1024))
    answer = scan_bounded(SCANNER, scene, MEMORY, seconds=30)
    assert "not an unsigned octal number" in str(answer.get("error"))
    with pytest.raises(HipError, match=f"^{scene}: a section header holds a size that is not an unsigned octal"):
        scan_file(str(scene), environ={})
