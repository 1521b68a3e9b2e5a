"""What install.py prints names the host it installs into, never a bare "host"."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

INSTALL = Path(__file__).resolve().parents[2] / "install" / "install.py"
HOSTS = ("nuke", "blender", "maya", "houdini")


def install_py(*args: str) -> str:
    result = subprocess.run([sys.executable, str(INSTALL), *args], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.parametrize("host", HOSTS)
def test_a_studio_install_names_its_host(host, tmp_path):
    [line] = install_py(host, "--studio", str(tmp_path / "studio"), "--no-vendor", "--print").splitlines()
    assert line.startswith(f"would build the {host} studio tree in ")
    assert line.endswith(f"(the previous version stays for the {host} sessions still running it)")
    assert not re.search(r"\bhosts?\b", line)


def test_the_help_names_the_hosts_and_says_host_where_one_is_meant():
    text = " ".join(install_py("--help").split())
    assert "HOST nuke, blender, maya or houdini" in text
    assert "the environment line that makes HOST load it" in text and "(HOST's own Python already has them)" in text
    assert not re.search(r"\bthe host\b", text)
