"""Every file a USD layer loads, through OpenUSD's own ``UsdUtils.ComputeAllDependencies``.

Sublayers, references, payloads, variants, value clips and asset-valued attributes (textures, ``.mtlx``,
UDIM tiles) are found by OpenUSD itself (``pxr``: inside Houdini, maya-usd, Blender and Nuke 14+, or
``usd-core`` from the package index for the command line); each asset path is kept with the layer
that holds it, made absolute against that layer, and checked against disk with the core's rules (UDIM
tiles listed). Token-valued shader identifiers are not asset paths, so they never appear; an asset-valued one
naming a shader RenderMan ships (``@PxrTexture@``, ``data/renderman_shaders.txt``) is listed as provided by the
render node's RenderMan. A value-clip template (the ``clips`` dictionary's ``templateAssetPath``, or the legacy
``clipTemplateAssetPath`` metadata) is expanded over its times by OpenUSD's rules, each clip a layer read like
any other. Used for
``accsyn-dcc scan file.usd[a|c|z]`` (with the stage's render products as its outputs, as husk renders
them) and for every ``.usd*`` dependency any host finds (of a per-frame
layer sequence, the first frame on disk is read: the frames of a cache load the same files).

OpenUSD runs in the caller's process (inside Maya or Houdini, the host's), so no layer reaches it that could
take that process down: every layer a read would have OpenUSD open is checked (``check_layer``: a regular
file of bounded size whose text, if text, nests no deeper than ``MAX_NESTING``) and opened here first, and
held while the read lasts, so OpenUSD finds it open and never reads the file itself. A layer that fails the
check, or that OpenUSD cannot parse, is muted for the read (OpenUSD opens it empty): the read goes on without
it, and it is named as unresolved with the layer that loads it. A layer a plug-in reads (``.abc``, ``.mtlx``)
is left to that plug-in's library; a layer no file-system path names (a custom resolver's URI) to OpenUSD.
"""

from __future__ import annotations

import contextlib
import io
import math
import mmap
import os
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate, count
from operator import sub
from typing import Any, BinaryIO, Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple, Union

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange, saved_range
from accsyn_dcc.references import FileReference, check_reference, too_many_frames
from accsyn_dcc.scan.library_warnings import openusd_held
from accsyn_dcc.scan.readable import UnreadableFile, regular_file_size
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex
from accsyn_dcc.tokens import PathPattern

USD_EXTENSIONS = (".usd", ".usda", ".usdc", ".usdz")
MAX_LAYER_BYTES = 4 * 1024 * 1024 * 1024
MAX_NESTING = 500
"""The deepest a text layer's brackets may nest. OpenUSD's parser recurses on each level and overflows its stack
(a crash, no error) at about 2,000 levels on a 512 KB thread stack and 30,000 on a main thread's 8 MB; real
layers nest a few dozen levels."""
TOO_DEEP = f"nested deeper than {MAX_NESTING} levels; not read (OpenUSD's parser would overflow its stack)"
MAX_CRATE_SECTIONS = 64
"""A crate file lists a handful of sections (tokens, strings, fields, paths, specs...)."""
DAMAGED_CRATE = "a damaged crate file (its table of contents lists sections outside the file); not read"
_NOT_CODE = re.compile(
    rb'"""(?:\\[\s\S]|[^"\\]|"(?!""))*(?:"""|\Z)'
    rb"|'''(?:\\[\s\S]|[^'\\]|'(?!''))*(?:'''|\Z)"
    rb'|"(?:\\[\s\S]|[^"\\\r\n])*"?'
    rb"|'(?:\\[\s\S]|[^'\\\r\n])*'?"
    rb"|@@@(?:\\@@@|[^@\r\n]|@(?!@@))*(?:@@@@{0,2})?"
    rb"|@[^@\r\n]*@?"
    rb"|<[^>\r\n]*>?"
    rb"|#[^\r\n]*|//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z)"
)
"""What of a text layer is never code: strings, asset and path references and comments, as OpenUSD's grammar
reads them (where they end unclosed, OpenUSD stops there with an error)."""
_STEPS = bytes.maketrans(b"{[(}])", b"\x02\x02\x02\x00\x00\x00")
"""With ``_NOT_BRACKETS`` deleted, a chunk of code as steps: 2 per opening bracket, 0 per closing one."""
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"{[(}])")))
_CHUNK = 16 * 1024 * 1024
KINDS = {
    ".usd": "usd", ".usda": "usd", ".usdc": "usd", ".usdz": "usd", ".mtlx": "materialx", ".vdb": "volume",
    ".abc": "cache", ".exr": "texture", ".tx": "texture", ".tex": "texture", ".png": "texture", ".jpg": "texture",
    ".jpeg": "texture", ".tif": "texture", ".tiff": "texture", ".hdr": "texture", ".rat": "texture",
}  # fmt: skip
NO_USD = "OpenUSD (pxr) is not importable here, so the files this layer loads were not listed"
CLIP_TIMES = ("templateStartTime", "templateEndTime", "templateStride")
"""The fields of a ``clips`` clip set that expand its ``templateAssetPath`` (``templateActiveOffset`` shifts only
when each clip is active, not its file)."""
LEGACY_TEMPLATE = "clipTemplateAssetPath"
"""The clip template metadata before the ``clips`` dictionary; its times are ``clipTemplateStartTime`` ..."""
_LEGACY_FIELD = re.compile(r"^\s*clipTemplate(AssetPath|StartTime|EndTime|Stride)\s*=\s*(@[^@]*@|\S+)", re.M)
TimeFields = Tuple[Any, Any, Any]
"""A clip template's start time, end time and stride, as authored (None where not)."""


class UsdUnavailable(ImportError):
    """``pxr`` cannot be imported."""


@dataclass(frozen=True)
class NotRead:
    """A layer OpenUSD was kept from reading: the layer that loads it, the path as authored there, the file, why."""

    holder: str
    asset: str
    path: str
    reason: str


@dataclass(frozen=True)
class LayerRead:
    """What a layer loads, ``(holding layer, asset path as authored)`` in OpenUSD's order; the layers not read."""

    assets: Tuple[Tuple[str, str], ...]
    not_read: Tuple[NotRead, ...]


def check_layer(path: str) -> None:
    """Raise ``UnreadableFile`` unless OpenUSD may open ``path``: a regular file of at most ``MAX_LAYER_BYTES``
    whose text layers (the file itself, or those a ``.usdz`` package holds) nest at most ``MAX_NESTING`` deep.
    Crate (binary) layers are OpenUSD's to bound. A text layer is read through a memory map, never held whole."""
    if regular_file_size(path, MAX_LAYER_BYTES, "the layer") == 0:
        return
    try:
        with open(path, "rb") as stream:
            problem = _package_problem(stream) if stream.read(4) == b"PK\x03\x04" else _mapped_problem(stream)
    except OSError as error:
        raise UnreadableFile(f"cannot read the layer ({error.strerror})") from None
    if problem:
        raise UnreadableFile(problem)


def _mapped_problem(stream: BinaryIO) -> str:
    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _text_problem(data)


def _text_problem(data: Union[bytes, mmap.mmap]) -> str:
    """Why OpenUSD must not read the layer ``data`` holds (not a package), or nothing."""
    if data[:8] == b"PXR-USDC":
        return _crate_problem(data)
    return TOO_DEEP if _too_deep(data) else ""


def _crate_problem(data: Union[bytes, mmap.mmap]) -> str:
    """Why OpenUSD must not read a crate layer, or nothing: its table of contents must lie in the file, and so
    must each section it lists (OpenUSD trusts them, and a section claiming a terabyte costs it gigabytes)."""
    size = len(data)
    toc = int.from_bytes(data[16:24], "little", signed=True) if size >= 24 else -1
    count = int.from_bytes(data[toc : toc + 8], "little") if 24 <= toc <= size - 8 else -1
    if not 0 <= count <= MAX_CRATE_SECTIONS or toc + 8 + count * 32 > size:
        return DAMAGED_CRATE
    for index in range(count):
        entry = toc + 8 + index * 32 + 16  # each section: its name in 16 bytes, then start and size
        start = int.from_bytes(data[entry : entry + 8], "little", signed=True)
        length = int.from_bytes(data[entry + 8 : entry + 16], "little", signed=True)
        if start < 0 or length < 0 or start + length > size:
            return DAMAGED_CRATE
    return ""


def _package_problem(stream: BinaryIO) -> str:
    """Why OpenUSD must not read a layer of the package ``stream`` holds (packages in it too), or nothing."""
    try:
        with zipfile.ZipFile(stream) as package:
            for entry in package.infolist():
                if entry.compress_type != zipfile.ZIP_STORED:
                    continue  # OpenUSD reads no compressed entry
                data = package.read(entry)
                problem = _package_problem(io.BytesIO(data)) if data[:4] == b"PK\x03\x04" else _text_problem(data)
                if problem:
                    return f"{entry.filename} in it: {problem}"
    except (zipfile.BadZipFile, EOFError, NotImplementedError):
        return "a damaged package; not read"
    return ""


def _too_deep(data: Union[bytes, mmap.mmap]) -> bool:
    """Whether the brackets of a text layer's code nest deeper than ``MAX_NESTING``. Strings and comments out in
    one pass (the code left is at most the layer's size, less than OpenUSD's own read of it takes), then the code
    a chunk at a time as steps, each bracket pair with nothing between taken out first (arrays of tuples)."""
    code = _NOT_CODE.sub(b"", data)
    depth = 0
    for start in range(0, len(code), _CHUNK):
        steps = code[start : start + _CHUNK].translate(_STEPS, _NOT_BRACKETS).replace(b"\x02\x00", b"")
        deepest = max(map(sub, accumulate(steps, initial=0), count()))  # opening minus closing, at each bracket
        if depth + deepest + 1 > MAX_NESTING:  # + 1: a pair taken out went one level deeper than its place
            return True
        depth += len(steps) - 2 * steps.count(0)
    return False


def clip_paths(template: str, times: TimeFields) -> List[str]:
    """The clip files a value-clip template names over ``times``, by OpenUSD's rules: in the file name, a ``#`` run
    is the time's integer part zero-padded to its length, ``#.##`` adds that many decimals (``s.###.##.usd`` at
    1.25: ``s.001.25.usd``); from the start time to the end time by the stride. ``ValueError`` says why not."""
    folder, slash, name = template.rpartition("/")
    parts = name.split(".")
    runs = [index for index, part in enumerate(parts) if part and part == "#" * len(part)]
    if not runs:
        raise ValueError("a value-clip template with no # frame number in its file name")
    if any(not isinstance(value, (int, float)) or not math.isfinite(value) for value in times):
        raise ValueError("a value-clip template needs a start time, end time and stride")
    start, end, stride = (float(value) for value in times)
    if stride <= 0:
        raise ValueError("a value-clip template's stride must be above 0")
    clips = max(0, math.floor((end - start) / stride + 1e-9) + 1)
    if too_many_frames(clips):
        raise ValueError(f"a value-clip template of {too_many_frames(clips)}")
    whole = runs[0]
    decimals = len(parts[whole + 1]) if whole + 1 in runs else 0
    paths = []
    for step in range(clips):
        number, _, fraction = f"{start + step * stride:.{decimals}f}".partition(".")
        digits = ("-" if number.startswith("-") else "") + number.lstrip("-").zfill(len(parts[whole]))
        filled = [*parts[:whole], digits, *([fraction] if decimals else []), *parts[whole + 1 + (decimals > 0) :]]
        paths.append(folder + slash + ".".join(filled))
    return paths


@cache
def renderman_shaders() -> FrozenSet[str]:
    """The shader names RenderMan ships (``data/renderman_shaders.txt``): as an asset path, an identifier."""
    text = resources.files("accsyn_dcc").joinpath("data/renderman_shaders.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


def is_usd(path: str) -> bool:
    return path.lower().endswith(USD_EXTENSIONS)


def layer_assets(path: str) -> LayerRead:
    """What ``path`` loads (``LayerRead``). Raises ``UsdUnavailable`` without ``pxr``, ``UnreadableFile`` when
    the layer itself cannot be read."""
    with _reading(path) as gate:
        return gate.assets(path)


def layer_references(
    path: str, node: Optional[str] = None, attribute: Optional[str] = None
) -> Tuple[List[FileReference], List[Unresolved]]:
    """One reference per asset path ``path`` loads, and one finding per layer not read: on ``node``/``attribute``
    (naming the holding layer), or on the holding layer itself for a layer scanned on its own."""
    return _references(layer_assets(path), node, attribute)


def _references(
    read: LayerRead, node: Optional[str], attribute: Optional[str]
) -> Tuple[List[FileReference], List[Unresolved]]:
    def where(layer: str) -> Tuple[str, str]:
        return (node, f"{attribute} > {layer}") if node is not None else (layer, "asset")

    references: List[FileReference] = []
    for layer, asset in dict.fromkeys(read.assets):
        if asset in renderman_shaders():  # no folder, no extension: an identifier the render node's RenderMan has
            references.append(FileReference(*where(layer), asset, asset, "shader", frame_dependent=False,
                                            provided_by="RenderMan"))  # fmt: skip
            continue
        absolute = _anchored(asset, layer)
        kind = KINDS.get(os.path.splitext(asset)[1].lower(), "file")
        if absolute is None:
            references.append(FileReference(*where(layer), asset, None, kind,
                                             condition="an asset path no file-system resolver can place"))  # fmt: skip
            continue
        references.append(FileReference(*where(layer), asset, absolute, kind, frame_dependent=False))
    not_read = [Unresolved(*where(item.holder), quoted_value(item.asset), f"USD layer {item.path}: {item.reason}")
                for item in read.not_read]  # fmt: skip
    return references, not_read


class _Gate:
    """The layers one read lets OpenUSD open, each checked and opened here first (or muted) and held while the
    read lasts."""

    def __init__(self, ar: Any, sdf: Any, usd: Any) -> None:
        self._ar, self._sdf, self._usd = ar, sdf, usd
        self._held: Dict[str, Any] = {}
        self._not_read: Dict[str, NotRead] = {}
        self._templates: Dict[str, Dict[str, List[TimeFields]]] = {}

    def open_root(self, path: str) -> None:
        """The layer a read starts from: ``UnreadableFile`` when it fails the check or OpenUSD cannot parse it."""
        if self._sdf.Layer.Find(path) is None:
            check_layer(path)
        try:
            self._held[path] = self._sdf.Layer.FindOrOpen(path)
        except Exception as error:  # pxr raises Tf.ErrorException for a layer it cannot parse
            raise UnreadableFile(f"OpenUSD could not read it ({type(error).__name__})") from None
        if not self._held[path]:  # some damaged layers raise nothing: OpenUSD simply opens no layer
            raise UnreadableFile("OpenUSD could not read it (not a layer it can open)")

    def assets(self, path: str) -> LayerRead:
        """Every asset path OpenUSD finds from ``path`` on, each layer among them let in (``admit``) first."""
        from pxr import UsdUtils

        found: List[Tuple[str, str]] = []

        def visit(layer: Any, info: Any) -> Any:
            holder = str(layer.realPath or layer.identifier)
            asset = str(info.assetPath)
            clips = self._clip_sets(layer).get(asset) if "#" in asset else None
            if clips is not None:  # OpenUSD reads the clips it is given as the template's dependencies
                return UsdUtils.DependencyInfo(asset, self.expand(layer, holder, asset, clips, found))
            found.append((holder, asset))
            for dependency in (asset, *info.dependencies):
                self.admit(layer, holder, str(dependency))
            return info

        roots = [path]
        for root in roots:  # the layer, then each clip a legacy template names (OpenUSD reads those no more)
            try:
                layers, _, _ = UsdUtils.ComputeAllDependencies(self._sdf.AssetPath(root), visit)
            except Exception as error:  # what OpenUSD still could not read (a layer no file-system path names)
                raise UnreadableFile(f"OpenUSD could not read it ({type(error).__name__})") from None
            for layer in layers:
                holder = str(layer.realPath or layer.identifier)
                for template, times in _legacy_templates(layer):
                    clips = self.expand(layer, holder, template, [times], found)
                    roots += [path for path in map(str, (self._sdf.ComputeAssetPathRelativeToLayer(layer, clip)
                              for clip in clips)) if path not in roots and self._held.get(path)]  # fmt: skip
        return LayerRead(tuple(found), tuple(self._not_read.values()))

    def _clip_sets(self, layer: Any) -> Dict[str, List[TimeFields]]:
        """The times of each clip template ``layer``'s ``clips`` dictionaries name, by template."""
        if layer.identifier not in self._templates:
            templates: Dict[str, List[TimeFields]] = {}

            def visit(path: Any) -> None:
                spec = _prim_spec(layer, path)
                for clip_set in (spec.GetInfo("clips") if spec and spec.HasInfo("clips") else {}).values():
                    template = clip_set.get("templateAssetPath") if isinstance(clip_set, dict) else None
                    if template is not None:
                        times = tuple(clip_set.get(field) for field in CLIP_TIMES)
                        templates.setdefault(getattr(template, "path", str(template)), []).append(times)

            layer.Traverse(layer.pseudoRoot.path, visit)
            self._templates[layer.identifier] = templates
        return self._templates[layer.identifier]

    def expand(
        self, layer: Any, holder: str, template: str, sets: Sequence[TimeFields], found: List[Tuple[str, str]]
    ) -> List[str]:
        """The clips ``template`` names over each of its clip sets' times, each listed on ``holder`` and let in
        (``admit``); a template that cannot be expanded is named, not read."""
        clips: Dict[str, None] = {}
        for times in sets:
            try:
                clips.update(dict.fromkeys(clip_paths(template, times)))
            except ValueError as error:
                path = str(self._sdf.ComputeAssetPathRelativeToLayer(layer, template))
                self._not_read[f"{holder}\0{template}"] = NotRead(holder, template, path, str(error))
        for clip in clips:
            found.append((holder, clip))
            self.admit(layer, holder, clip)
        return list(clips)

    def admit(self, layer: Any, holder: str, asset: str) -> None:
        """Open the layer ``asset`` names (from ``layer``) before OpenUSD does, or mute it (it then opens empty)."""
        path = str(self._sdf.ComputeAssetPathRelativeToLayer(layer, asset))
        if path in self._held or not self._usd.Stage.IsSupportedFile(path):
            return  # held already, or not a layer OpenUSD would open
        file_path = str(self._sdf.Layer.SplitIdentifier(path)[0])  # ``deep.usda:SDF_FORMAT_ARGS:...`` too
        resolved = str(self._ar.GetResolver().Resolve(file_path))
        if not os.path.isfile(resolved):
            return  # missing (OpenUSD opens nothing), or in a package (checked with it), or not a file at all
        opened = self._sdf.Layer.Find(path)  # a layer the host has open is read already
        try:
            if opened is None:
                if is_usd(file_path):  # OpenUSD's own formats; a plug-in's (.abc, .mtlx) reads with its own library
                    check_layer(resolved)
                opened = self._sdf.Layer.FindOrOpen(path)
            reason = "" if opened else "OpenUSD could not read it (not a layer it can open)"
        except UnreadableFile as error:
            reason = str(error)
        except Exception as error:  # pxr raises Tf.ErrorException for a layer it cannot parse
            reason = f"OpenUSD could not read it ({type(error).__name__})"
        if reason:
            self._not_read[path] = NotRead(holder, asset, file_path, reason)
            self._sdf.Layer.AddToMutedLayers(path)  # a muted layer opens empty: its file is never read
            opened = self._sdf.Layer.FindOrOpen(path)
        self._held[path] = opened

    def release(self) -> None:
        """Let go of every layer held, and unmute those muted; one still open elsewhere (a host's stage took it
        meanwhile) stays muted, as unmuting it would read its file."""
        self._held.clear()
        for path in self._not_read:
            if self._sdf.Layer.Find(path) is None:
                self._sdf.Layer.RemoveFromMutedLayers(path)


@contextlib.contextmanager
def _reading(path: str) -> Iterator[_Gate]:
    """A gate holding ``path`` open (``UnreadableFile`` when it cannot be), with OpenUSD's diagnostics held (on
    the command line); everything the gate opened is let go after."""
    regular_file_size(path, MAX_LAYER_BYTES, "the layer")
    try:
        from pxr import Ar, Sdf, Usd
    except ImportError:
        raise UsdUnavailable(NO_USD) from None
    gate = _Gate(Ar, Sdf, Usd)
    with openusd_held():
        try:
            gate.open_root(path)
            yield gate
        finally:
            gate.release()


def _legacy_templates(layer: Any) -> List[Tuple[str, TimeFields]]:
    """Each legacy clip template of a text layer (``clipTemplateAssetPath`` and its times on one prim), as authored;
    OpenUSD no longer reads these fields, so they are read from each prim's own metadata as text."""
    path = str(layer.realPath or "")
    if not _holds(path, LEGACY_TEMPLATE.encode()):
        return []
    templates: List[Tuple[str, TimeFields]] = []

    def visit(spec_path: Any) -> None:
        spec = _prim_spec(layer, spec_path)
        if not spec:
            return
        fields = dict(_LEGACY_FIELD.findall(spec.GetAsText().partition("\n{")[0]))
        if "AssetPath" in fields:
            times = tuple(_number(fields.get(name)) for name in ("StartTime", "EndTime", "Stride"))
            templates.append((fields["AssetPath"].strip("@"), times))  # type: ignore[arg-type]

    layer.Traverse(layer.pseudoRoot.path, visit)
    return templates


def _prim_spec(layer: Any, path: Any) -> Any:
    """The prim (or variant) spec at ``path`` in ``layer``, None for a property's path."""
    return layer.GetPrimAtPath(path) if path.IsPrimPath() or path.IsPrimVariantSelectionPath() else None


def _holds(path: str, marker: bytes) -> bool:
    """Whether the text layer file ``path`` holds ``marker`` (a crate or package layer: no)."""
    try:
        with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data[:8] != b"PXR-USDC" and data[:4] != b"PK\x03\x04" and data.find(marker) >= 0
    except (OSError, ValueError):  # not a file, or an empty one
        return False


def _number(text: Optional[str]) -> Optional[float]:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def layer_dependencies(layer: Dependency, index: DirectoryIndex) -> Tuple[List[Dependency], List[Unresolved]]:
    """What a found ``.usd*`` dependency loads, on its node and attribute; what stays unresolved, named."""
    if not layer.exists or not is_usd(layer.path):
        return [], []
    concrete = _first_on_disk(layer, index) if layer.frames else layer.path
    if concrete is None:
        return [], []
    try:
        references, not_read = layer_references(concrete, layer.node, layer.knob)
    except (UsdUnavailable, UnreadableFile) as error:
        return [], [Unresolved(layer.node, layer.knob, quoted_value(layer.path), f"USD layer: {error}")]
    dependencies, unresolved = checked(references, index)
    return dependencies, unresolved + not_read


def checked(references: List[FileReference], index: DirectoryIndex) -> Tuple[List[Dependency], List[Unresolved]]:
    """Each reference checked on its own: a layer's assets bring nothing further (OpenUSD listed them all)."""
    dependencies: List[Dependency] = []
    unresolved: List[Unresolved] = []
    for reference in references:
        result = check_reference(reference, None, index)
        if isinstance(result, Unresolved):
            unresolved.append(result)
        else:
            dependencies.append(result)
    return dependencies, unresolved


def scan_file(path: str, frames: Optional[FrameRange] = None, **options: object) -> ScanResult:
    """``accsyn-dcc scan layer.usda``: every layer and asset it loads, each with the layer that holds it."""
    absolute = os.path.abspath(path)
    result = ScanResult(scene=absolute)
    try:
        with _reading(absolute) as gate:  # the stage is opened while the layers the gate let in are held
            references, not_read = _references(gate.assets(absolute), None, None)
            result.frame_range, result.outputs = render_products(absolute)
    except (UsdUnavailable, UnreadableFile) as error:
        raise AccsynDccError(f"{absolute}: {error}") from None
    result.dependencies, result.unresolved = checked(references, DirectoryIndex())
    result.unresolved += not_read
    result.facts["layers"] = sorted({dep.path for dep in result.dependencies if dep.kind == "usd"})
    return result


def render_products(path: str) -> Tuple[Optional[FrameRange], List[Output]]:
    """The stage's authored frame range, and one output per ``RenderProduct`` (its ``productName``), as
    husk renders them; payloads are not loaded to find them. Opened while a gate holds the layers it reads."""
    from pxr import Usd

    try:
        stage = Usd.Stage.Open(path, Usd.Stage.LoadNone)
    except Exception:  # already reported: the layer's dependencies could not be listed either
        return None, []
    frames: Optional[FrameRange] = None
    if stage.HasAuthoredTimeCodeRange():
        frames = saved_range(stage.GetStartTimeCode(), stage.GetEndTimeCode())
    outputs: List[Output] = []
    for prim in stage.Traverse():
        if prim.GetTypeName() != "RenderProduct":
            continue
        name = prim.GetAttribute("productName").Get() if prim.HasAttribute("productName") else None
        if name:
            product = str(name)
            absolute = _anchored(product, path) or product
            extension = os.path.splitext(product)[1].lstrip(".").lower()
            outputs.append(Output(node=str(prim.GetPath()), path=absolute, range=frames, file_type=extension))
    return frames, outputs


def _first_on_disk(layer: Dependency, index: DirectoryIndex) -> Optional[str]:
    """For a per-frame layer sequence, the first needed frame's file on disk (frames share what they load)."""
    pattern = PathPattern.parse(layer.path)
    for frame in FrameRange.parse(layer.frames or ""):
        candidate = pattern.with_values(frame)
        if index.exists(candidate):
            return candidate
    return None


def _anchored(asset: str, layer: str) -> Optional[str]:
    """``asset`` as a file path: absolute as authored, else relative to the layer's folder; None for a URI."""
    if "://" in asset or asset.startswith(("omniverse:", "http:", "https:")):
        return None
    if os.path.isabs(asset) or (len(asset) > 2 and asset[1] == ":" and asset[2] in "/\\"):
        return asset
    return os.path.normpath(os.path.join(os.path.dirname(layer), asset))
