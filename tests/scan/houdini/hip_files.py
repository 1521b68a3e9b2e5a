"""Houdini scene files built the way Houdini saves them: an old-portable cpio archive of text sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

MAGIC = {"hip": b"070707", "hiplc": b"HouLC\x1a", "hipnc": b"HouNC\x1a"}
TRAILER = "TRAILER!!!"

START = """fplayback -i on -r off -f 1 -e off -h 1 -t 0 -a on -k on -s 1
tcur {tcur}
fps {fps}
tset 0 2
frange {first} {last}
unitlength 1
unitmass 1
prefs -i on -b on -r on -l on -c off
"""

DEF = """sopflags sopflags =
comment ""
position 0 0
connectornextid 0
{flags}
outputsNamed3
{{
}}
inputsNamed3
{{
}}
inputs
{{
{inputs}}}
stat
{{
  create 1732500000
  modify 1732500000
  author artist@ws042
  access 0777
}}
color UT_Color RGB 0.8 0.8 0.8
delscript ""
exprlanguage hscript
end
"""

FLAGS = (
    "flags =  lock off model off template off footprint off xray off bypass {bypass} display on render on "
    "highlight off unload off savedata off compress on colordefault on exposed on selectable on"
)


class Backticks(str):
    """A string parm whose whole value is a backtick expression: Houdini saves it between its backticks, not
    quoted, with its quotes escaped (`` `chs(\\"../file\\")` ``)."""


Value = Union[str, float, Tuple[str, str, str]]
"""A quoted string (``Backticks``: an expression), a number, or (channel, cached value, expression) for a parm a
channel drives."""


@dataclass
class Node:
    path: str
    type: str
    parms: Dict[str, List[Value]] = field(default_factory=dict)
    bypass: bool = False
    inputs: List[str] = field(default_factory=list)
    """Names of sibling nodes wired in, in input order."""


@dataclass
class HipFile:
    path: Path
    nodes: List[Node] = field(default_factory=list)
    variables: Dict[str, str] = field(default_factory=dict)
    frame_range: Tuple[int, int] = (1, 48)
    fps: int = 24
    libraries: List[str] = field(default_factory=list)
    format: str = "hip"

    def sections(self) -> List[Tuple[str, bytes]]:
        variables = {"ACTIVETAKE": "Main", "E": "2.7182818284590452354", "HIP": "/mnt/ws042/shots/sh010",
                     "HIPFILE": "/mnt/ws042/shots/sh010/scene.hip", "HIPNAME": "scene",
                     "_HIP_SAVEVERSION": "20.5.370", **self.variables}  # fmt: skip
        entries = [
            (".start", START.format(tcur=0, fps=self.fps, first=self.frame_range[0], last=self.frame_range[1])),
            (".variables", "".join(f"set -g {name} = '{value}'\n" for name, value in variables.items())),
            (".OPlibraries", "".join(f"{library}\n" for library in self.libraries)),
        ]
        for node in self.nodes:
            base = node.path.lstrip("/")
            entries.append((f"{base}.init", f"type = {node.type}\nmatchesdef = 0\n"))
            flags = FLAGS.format(bypass="on" if node.bypass else "off")
            wired = "".join(f"{index} \t{name} 0 1\n" for index, name in enumerate(node.inputs))
            entries.append((f"{base}.def", DEF.format(flags=flags, inputs=wired)))
            entries.append((f"{base}.parm", parm_section(node.parms)))
            channels = [(value[0], value[2]) for values in node.parms.values() for value in values
                        if isinstance(value, tuple)]  # fmt: skip
            if channels:
                entries.append((f"{base}.chn", chn_section(channels)))
        return [(name, text.encode("utf-8")) for name, text in entries]

    def write(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write = archive if self.format == "hip" else licensed_archive
        self.path.write_bytes(write(self.sections(), MAGIC[self.format]))
        return self.path


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parm_section(parms: Dict[str, List[Value]]) -> str:
    lines = ["{", "version 0.8"]
    for name, values in parms.items():
        parts = []
        for value in values:
            if isinstance(value, tuple):
                cached = value[1]
                parts.append(f"[ {value[0]}\t{cached if _is_number(cached) else quoted(cached)} ]")
            elif isinstance(value, Backticks):
                parts.append(value.replace("\\", "\\\\").replace('"', '\\"'))
            elif isinstance(value, str):
                parts.append(quoted(value))
            else:
                parts.append(f"{value:g}")
        lines.append(f"{name}\t[ 0\tlocks=0 ]\t(\t" + "\t".join(parts) + "\t)")
    lines.append("}")
    return "\n".join(lines) + "\n"


def chn_section(channels: List[Tuple[str, str]]) -> str:
    body = ["{"]
    for name, expression in channels:
        body += [f"    channel {name} {{", "      lefttype = extend", "      righttype = extend", "      default = 0",
                 "      flags = 0", f"      segment {{ length = 0 expr = {quoted(expression)} }}", "    }"]  # fmt: skip
    body.append("  }")
    return "\n".join(body) + "\n"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def archive(entries: List[Tuple[str, bytes]], magic: bytes = b"070707") -> bytes:
    """The entries with odc headers behind ``magic`` (fields in octal), ended by ``TRAILER!!!``."""
    out = bytearray()
    for index, (name, body) in enumerate([*entries, (TRAILER, b"")]):
        encoded = name.encode("utf-8") + b"\x00"
        header = magic + b"%06o" % 0o33600 + b"%06o" % (index + 1) + b"%06o" % 0o100666 + b"%06o" % 0 + b"%06o" % 0
        header += b"%06o" % 1 + b"%06o" % 0 + b"%011o" % 1732500000 + b"%06o" % len(encoded) + b"%011o" % len(body)
        out += header + encoded + body
    return bytes(out)


def licensed_archive(entries: List[Tuple[str, bytes]], magic: bytes = b"HouNC\x1a", trailer: bool = True) -> bytes:
    """The entries as a ``.hiplc``/``.hipnc`` saves them: ``magic``, 28 hex characters, the name and a NUL, the
    text; each section ends where the next one's magic starts."""
    out = bytearray()
    for index, (name, body) in enumerate([*entries, (TRAILER, b"")] if trailer else entries):
        encoded = name.encode("utf-8") + b"\x00"
        out += magic + b"%07x%08x%04x%09x" % (0x1033600 + index, 1732500000, len(encoded), len(body)) + encoded + body
    return bytes(out)


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def must_show_scene(folder: Path, file_format: str = "hip") -> Path:
    return must_show_hip(folder, file_format).write()


def must_show_hip(folder: Path, file_format: str = "hip", name: Optional[str] = None) -> HipFile:
    """Issue 14's scene: Redshift packed proxies reading $HIP/a.rs (present) and $HIP/b.rs (absent), a
    Redshift ROP writing $HIP/render/$HIPNAME.$OS.$F4.exr for frames 1-48, and $MYPKG/sound.wav."""
    touch(folder / "a.rs")
    hip = HipFile(folder / (name or f"scene.{file_format}"), format=file_format)
    hip.nodes += [
        Node("/obj/props", "geo"),
        Node("/obj/props/proxyA", "redshift_packedProxySOP", {"RS_proxy_file": ["$HIP/a.rs"]}),
        Node("/obj/props/proxyB", "redshift_packedProxySOP", {"RS_proxy_file": ["$HIP/b.rs"]}),
        Node("/ch/audio", "chopnet"),
        Node("/ch/audio/file1", "file", {"file": ["$MYPKG/sound.wav"], "rate": [48000]}),
        Node("/out/Redshift_ROP1", "Redshift_ROP", {
            "RS_outputFileNamePrefix": ["$HIP/render/$HIPNAME.$OS.$F4.exr"],
            "trange": ["normal"],
            "f": [("f1", "1", "$FSTART"), ("f2", "48", "$FEND"), 1],
        }),
    ]  # fmt: skip
    return hip


def with_parm_lines(lines: List[str], variables: str = "") -> bytes:
    """A scene whose File SOP ``/obj/geo1/file1`` saves ``lines`` as its parm section, verbatim, and whose
    ``.variables`` section adds ``variables`` (``set -g`` lines) as they are."""
    parms = "\n".join(["{", "version 0.8", *lines, "}", ""])
    return with_sections({"obj/geo1/file1.parm": parms}, variables)


def with_sections(texts: Dict[str, str], variables: str = "") -> bytes:
    """A scene of a File SOP ``/obj/geo1/file1`` with the sections in ``texts`` saved verbatim (in place of
    Houdini's, or added) and ``variables`` added to its ``.variables``."""
    hip = HipFile(Path("evil.hip"), nodes=[Node("/obj/geo1", "geo"), Node("/obj/geo1/file1", "file")])
    entries = [(name, texts[name].encode("utf-8") if name in texts else body) for name, body in hip.sections()]
    entries += [(name, text.encode("utf-8")) for name, text in texts.items() if name not in dict(entries)]
    return archive([(name, body + variables.encode("utf-8") if name == ".variables" else body)
                    for name, body in entries])  # fmt: skip


def backwards_archive(body_bytes: int) -> bytes:
    """A scene whose first section holds ``body_bytes`` and whose second section's size is negative, pointing
    back to the first header: a reader that follows it walks the same bytes again and again."""
    data = bytearray(archive([(".start", b"x" * body_bytes), ("obj/geo1.init", b"type = geo\n")]))
    second = 76 + len(b".start\x00") + body_bytes
    back = second + 76 + len(b"obj/geo1.init\x00")
    data[second + 65 : second + 76] = b"-%010o" % back
    return bytes(data)
