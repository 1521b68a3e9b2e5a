"""Every file a USD layer loads, through OpenUSD's own ``UsdUtils.ComputeAllDependencies``.

Sublayers, references, payloads, variants, value clips and asset-valued attributes (textures, ``.mtlx``,
UDIM tiles) are found by OpenUSD itself (``pxr``: inside Houdini, maya-usd, Blender and Nuke 14+, or
``usd-core`` from the package index for the command line); each asset path is kept with the layer
that holds it, made absolute against that layer, and checked against disk with the core's rules (UDIM
tiles listed). Token-valued shader identifiers are not asset paths, so they never appear. Used for
``accsyn-dcc scan file.usd[a|c|z]`` (with the stage's render products as its outputs, as husk renders
them) and for every ``.usd*`` dependency any host finds (of a per-frame
layer sequence, the first frame on disk is read: the frames of a cache load the same files).
"""

from __future__ import annotations

import os
from typing import Any, List, Optional, Tuple

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange, saved_range
from accsyn_dcc.references import FileReference, check_reference
from accsyn_dcc.scan.library_warnings import openusd_held
from accsyn_dcc.scan.readable import UnreadableFile, regular_file_size
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex
from accsyn_dcc.tokens import PathPattern

USD_EXTENSIONS = (".usd", ".usda", ".usdc", ".usdz")
MAX_LAYER_BYTES = 4 * 1024 * 1024 * 1024
KINDS = {
    ".usd": "usd", ".usda": "usd", ".usdc": "usd", ".usdz": "usd", ".mtlx": "materialx", ".vdb": "volume",
    ".abc": "cache", ".exr": "texture", ".tx": "texture", ".tex": "texture", ".png": "texture", ".jpg": "texture",
    ".jpeg": "texture", ".tif": "texture", ".tiff": "texture", ".hdr": "texture", ".rat": "texture",
}  # fmt: skip
NO_USD = "OpenUSD (pxr) is not importable here, so the files this layer loads were not listed"


class UsdUnavailable(ImportError):
    """``pxr`` cannot be imported."""


def is_usd(path: str) -> bool:
    return path.lower().endswith(USD_EXTENSIONS)


def layer_assets(path: str) -> List[Tuple[str, str]]:
    """``(holding layer, asset path as authored)`` for everything ``path`` loads, in OpenUSD's order.

    Raises ``UsdUnavailable`` without ``pxr``, ``UnreadableFile`` when the layer cannot be read.
    """
    regular_file_size(path, MAX_LAYER_BYTES, "the layer")
    try:
        from pxr import Sdf, UsdUtils
    except ImportError:
        raise UsdUnavailable(NO_USD) from None
    found: List[Tuple[str, str]] = []

    def visit(layer: Any, info: Any) -> Any:
        found.append((str(layer.realPath or layer.identifier), str(info.assetPath)))
        return info

    try:
        with openusd_held():
            layers, _assets, _unresolved = UsdUtils.ComputeAllDependencies(Sdf.AssetPath(path), visit)
    except Exception as error:  # pxr raises Tf.ErrorException for a layer it cannot parse
        raise UnreadableFile(f"OpenUSD could not read it ({type(error).__name__})") from None
    if not layers:  # some damaged layers raise nothing: the root layer is then simply not among those opened
        raise UnreadableFile("OpenUSD could not read it (not a layer it can open)")
    return found


def layer_references(path: str, node: Optional[str] = None, attribute: Optional[str] = None) -> List[FileReference]:
    """One reference per asset path ``path`` loads: on ``node``/``attribute`` (naming the holding layer),
    or on the holding layer itself for a layer scanned on its own."""
    references: List[FileReference] = []
    for layer, asset in dict.fromkeys(layer_assets(path)):
        absolute = _anchored(asset, layer)
        kind = KINDS.get(os.path.splitext(asset)[1].lower(), "file")
        where = (node, f"{attribute} > {layer}") if node is not None else (layer, "asset")
        if absolute is None:
            references.append(FileReference(where[0], where[1], asset, None, kind,
                                             condition="an asset path no file-system resolver can place"))  # fmt: skip
            continue
        references.append(FileReference(where[0], where[1], asset, absolute, kind, frame_dependent=False))
    return references


def layer_dependencies(layer: Dependency, index: DirectoryIndex) -> Tuple[List[Dependency], List[Unresolved]]:
    """What a found ``.usd*`` dependency loads, on its node and attribute; what stays unresolved, named."""
    if not layer.exists or not is_usd(layer.path):
        return [], []
    concrete = _first_on_disk(layer, index) if layer.frames else layer.path
    if concrete is None:
        return [], []
    try:
        references = layer_references(concrete, layer.node, layer.knob)
    except (UsdUnavailable, UnreadableFile) as error:
        return [], [Unresolved(layer.node, layer.knob, quoted_value(layer.path), f"USD layer: {error}")]
    return checked(references, index)


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
        references = layer_references(absolute)
    except (UsdUnavailable, UnreadableFile) as error:
        raise AccsynDccError(f"{absolute}: {error}") from None
    result.dependencies, result.unresolved = checked(references, DirectoryIndex())
    result.facts["layers"] = sorted({dep.path for dep in result.dependencies if dep.kind == "usd"})
    result.frame_range, result.outputs = render_products(absolute)
    return result


def render_products(path: str) -> Tuple[Optional[str], List[Output]]:
    """The stage's authored frame range, and one output per ``RenderProduct`` (its ``productName``), as
    husk renders them; payloads are not loaded to find them."""
    from pxr import Usd

    try:
        with openusd_held():
            stage = Usd.Stage.Open(path, Usd.Stage.LoadNone)
    except Exception:  # already reported: the layer's dependencies could not be listed either
        return None, []
    frames: Optional[str] = None
    if stage.HasAuthoredTimeCodeRange():
        frames = str(saved_range(stage.GetStartTimeCode(), stage.GetEndTimeCode()))
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
