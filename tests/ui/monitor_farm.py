"""A stand-in accsyn with its farm for the monitor's tests and benchmark: an engine whose frames copy a PNG, wait
while a ``hold`` file is in their output folder, and fail where a ``fail-<item>`` marker is."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from accsyn_dcc.api import AccsynClient, connect
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.standin import StandinServer

PNG_ENGINE = textwrap.dedent(
    """\
    import os, sys
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 1, "max_bucketsize": 1}
        # -- ENGINE CONFIG END --

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            out = os.path.dirname(self.get_compute()["output"])
            code = (
                "import os, shutil, sys, time\\n"
                "out, item = %r, %s\\n"
                "while os.path.exists(os.path.join(out, 'hold')):\\n"
                "    time.sleep(0.05)\\n"
                "if os.path.exists(os.path.join(out, 'fail-%%d' %% item)):\\n"
                "    print('RuntimeError: frame %%d cannot be written' %% item)\\n"
                "    sys.exit(7)\\n"
                "shutil.copy(os.path.join(out, 'template.png'), os.path.join(out, 'frame-%%04d.png' %% item))\\n"
            ) % (out, item)
            return [sys.executable, "-c", code]


    if __name__ == "__main__":
        Engine.main()
    """
)


def template_png(path: Path) -> None:
    """A small PNG (a gradient), written without Qt."""
    import struct
    import zlib

    width, height = 64, 36
    rows = b"".join(b"\x00" + b"".join(bytes((x * 4, y * 7, 160)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )


class Farm:
    """The running stand-in, a client of its first user, and a folder per job's output."""

    def __init__(self, server: StandinServer, root: Path) -> None:
        self.server, self.root = server, root
        self.client = self.connect()

    def connect(self) -> AccsynClient:
        user = self.server.seed["users"][0]
        return connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{self.server.port}"))

    def output(self, name: str, hold: bool = False) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        template_png(folder / "template.png")
        if hold:
            (folder / "hold").touch()
        return folder

    def submit(self, name: str, frames: str, status: Optional[str] = None) -> str:
        payload: Dict[str, Any] = {"engine": "blender", "input": "share=projects/a.blend", "name": name,
                                   "output": str(self.root / name / "frame-%04d.png"), "range": frames,
                                   "settings": {"task_bucketsize": "1"}}  # fmt: skip
        if status:
            payload["status"] = status
        return str(self.client.create_compute_job(payload)["id"])


def start_farm(root: Path, monkeypatch: Any, run_jobs: bool = True) -> Iterator[Farm]:
    engines = root / "engines"
    engines.mkdir(parents=True)
    (engines / "blender.py").write_text(PNG_ENGINE)
    monkeypatch.setenv("ACCSYN_DCC_ENGINES", str(engines))
    with StandinServer(str(root / "data"), run_jobs=run_jobs, on_status=lambda line: None) as server:
        yield Farm(server, root / "out")


def release(folder: Path) -> None:
    """Let the frames waiting in ``folder`` render."""
    if (folder / "hold").exists():
        os.remove(folder / "hold")
