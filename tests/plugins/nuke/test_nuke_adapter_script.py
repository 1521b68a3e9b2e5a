"""The adapter on a .nk file opened in the stand-in ``nuke`` (its graph half loads real script text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_adapter_reads_an_opened_script(nuke_ui: Any, tmp_path: Path) -> None:
    from accsyn_nuke.adapter import NukeHost

    script = tmp_path / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n name " + str(script) + "\n first_frame 1001\n last_frame 1010\n proxy false\n}\n"
        "Write {\n file " + str(tmp_path) + "/out/comp.%04d.exr\n file_type exr\n use_limit true\n"
        " first 1001\n last 1005\n name Write1\n}\n"
        "Write {\n file " + str(tmp_path) + "/out/comp.mov\n file_type mov\n disable true\n name Write2\n}\n"
    )
    nuke_ui.scriptOpen(str(script))
    host = NukeHost()
    assert host.scene_path() == str(script) and not host.is_modified() and not host.proxy_mode()
    assert str(host.frame_range()) == "1001-1010"
    [write] = host.outputs()
    assert (write.node, write.path, str(write.range), write.is_movie) == (
        "Write1", f"{tmp_path}/out/comp.%04d.exr", "1001-1005", False
    )  # fmt: skip
