"""Render layers, their cameras and frame ranges, and the image files each writes, from a ``MayaScene``.

Render Setup layers (``renderSetupLayer`` nodes) are used when the scene has any, else legacy
``renderLayer`` nodes; the default layer is ``masterLayer``. A layer's own range and cameras come from
the overrides inside it: ``startFrame``/``endFrame``/``byFrameStep`` on ``defaultRenderGlobals`` (absolute,
or relative: the value below it times ``multiply`` plus ``offset``, in the order the file lists them) and
``renderable`` on camera shapes its collections select. The image prefix is the renderer's own
(Arnold and Maya: ``defaultRenderGlobals``; V-Ray: ``vraySettings``; Redshift: ``redshiftOptions``;
RenderMan: ``rmanGlobals``), below the project's ``images`` rule.
"""

from __future__ import annotations

import fnmatch
import math
import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from accsyn_dcc.ranges import FrameRange, saved_range
from accsyn_dcc.references import is_absolute_path
from accsyn_dcc.scan.maya.model import AttributeName as A
from accsyn_dcc.scan.maya.model import MayaNode, MayaScene, on_off
from accsyn_dcc.scan.maya.node_types import CONVERTED_TEXTURES
from accsyn_dcc.scan.maya.project import MayaProject
from accsyn_dcc.scan.records import Output

DEFAULT_LAYER = "masterLayer"
DEFAULT_LEGACY_LAYER = "defaultRenderLayer"
RENDER_GLOBALS = "defaultRenderGlobals"

START, END, STEP = A("startFrame", "fs"), A("endFrame", "ef"), A("byFrameStep", "bfs")
ANIMATION = A("animation", "an")
PREFIX = A("imageFilePrefix", "ifp")
RENDERER = A("currentRenderer", "ren")
PADDING = A("extensionPadding", "pad")
IMAGE_KEY = A("imfPluginKey", "imfkey")
VERSION = A("renderVersion", "rv")
RENDERABLE = A("renderable", "rndr")
CAMERA_RENDERABLE = A("renderable", "rnd")
OVERRIDE_ATTRIBUTE = A("attribute", "atr")
OVERRIDE_VALUE = A("attrValue", "atv")
OVERRIDE_TARGET = A("targetNodeName", "tgName")
OVERRIDE_ENABLED = A("enabled", "en")
STATIC_SELECTION = A("staticSelection", "ssl")
PATTERN = A("pattern", "pat")
CURRENT_TIME = A("outTime", "o")
RELATIVE_OVERRIDES = ("relOverride", "relUniqueOverride")
OVERRIDES = ("absOverride", "absUniqueOverride", *RELATIVE_OVERRIDES)
MULTIPLY, OFFSET = A("multiply", "mul"), A("offset", "ofs")
PARENT, SELECTOR, LEGACY_LAYER = A("parentList", "pls"), A("selector", "sel"), A("legacyRenderLayer", "lrl")
CONNECTED = (PARENT, SELECTOR, LEGACY_LAYER)
"""Plugs whose incoming connections tell how layers, collections and overrides hang together."""
ADJUSTMENTS = A("adjustments", "adjs")
"""A legacy render layer's overrides: ``adjs[i].plg`` is wired from the plug it changes, ``adjs[i].val``
holds the value."""
_ADJUSTMENT = re.compile(r"^(?:adjs|adjustments)\[(\d+)\]\.(?:plg|plug)$")
RENDER_SETUP_TYPES = ("renderSetupLayer", "collection", "renderSettingsCollection", *OVERRIDES)

TIME_UNITS: Dict[str, float] = {"game": 15, "film": 24, "pal": 25, "ntsc": 30, "show": 48, "palf": 50, "ntscf": 60}


@dataclass(frozen=True)
class RendererOutput:
    """Where a renderer keeps its image prefix and image format."""

    prefix_node: str
    prefix_type: str
    prefix: A
    format_node: str
    format_type: str
    format: A
    default_format: str
    formats: Tuple[str, ...] = ()
    """For a format saved as a number: the extension of each value."""


RENDERERS: Dict[str, RendererOutput] = {
    "arnold": RendererOutput(RENDER_GLOBALS, "renderGlobals", PREFIX, "defaultArnoldDriver", "aiAOVDriver",
                             A("ai_translator", "ai_translator"), "exr"),
    "vray": RendererOutput("vraySettings", "VRaySettingsNode", A("fileNamePrefix", "fnprx"), "vraySettings",
                           "VRaySettingsNode", A("imageFormatStr", "imageFormatStr"), "exr"),
    "redshift": RendererOutput("redshiftOptions", "RedshiftOptions", A("imageFilePrefix", "imageFilePrefix"),
                               "redshiftOptions", "RedshiftOptions", A("imageFormat", "imageFormat"), "exr",
                               ("iff", "exr", "png", "tga", "jpg", "tif")),
    "renderman": RendererOutput("rmanGlobals", "rmanGlobals", A("imageFileFormat", "imageFileFormat"), "rmanGlobals",
                                "rmanGlobals", A("imageFormat", "imageFormat"), "exr"),
}  # fmt: skip
MAYA_RENDERER = RendererOutput(RENDER_GLOBALS, "renderGlobals", PREFIX, RENDER_GLOBALS, "renderGlobals", IMAGE_KEY,
                               "iff")  # fmt: skip

RANGE_DEFAULTS: Dict[str, Tuple[A, float]] = {START.long: (START, 1), END.long: (END, 10), STEP.long: (STEP, 1)}
"""``defaultRenderGlobals``' range attributes, by long name, with Maya's defaults (what a relative override
changes when no value is saved)."""
ADJUSTED = {spelling: name.long for name in (START, END, STEP, CAMERA_RENDERABLE) for spelling in name.spellings}
"""The attributes a legacy layer's adjustments are read for, by either spelling."""

_OVERRIDE_ATTRIBUTES = (OVERRIDE_ATTRIBUTE, OVERRIDE_VALUE, OVERRIDE_TARGET, OVERRIDE_ENABLED)
_RELATIVE_ATTRIBUTES = (OVERRIDE_ATTRIBUTE, MULTIPLY, OFFSET, OVERRIDE_TARGET, OVERRIDE_ENABLED)
SETTINGS_ATTRIBUTES: Dict[str, Tuple[A, ...]] = {
    "renderGlobals": (START, END, STEP, ANIMATION, PREFIX, RENDERER, PADDING, IMAGE_KEY, VERSION),
    "renderLayer": (RENDERABLE,),
    "camera": (CAMERA_RENDERABLE,),
    "time": (CURRENT_TIME,),
    "simpleSelector": (STATIC_SELECTION, PATTERN),
    "absOverride": _OVERRIDE_ATTRIBUTES,
    "absUniqueOverride": _OVERRIDE_ATTRIBUTES,
    "relOverride": _RELATIVE_ATTRIBUTES,
    "relUniqueOverride": _RELATIVE_ATTRIBUTES,
}
for _converted in CONVERTED_TEXTURES.values():
    if _converted.options_type:
        SETTINGS_ATTRIBUTES[_converted.options_type] = _converted.switches
for _renderer in RENDERERS.values():
    for _type, _attribute in ((_renderer.prefix_type, _renderer.prefix), (_renderer.format_type, _renderer.format)):
        SETTINGS_ATTRIBUTES[_type] = tuple(dict.fromkeys((*SETTINGS_ATTRIBUTES.get(_type, ()), _attribute)))
SETTINGS_TYPES = frozenset(SETTINGS_ATTRIBUTES) | frozenset(RENDER_SETUP_TYPES)
"""Node types whose saved values layers, ranges and outputs are read from (every value kept by the reader)."""


@dataclass(frozen=True)
class RenderLayer:
    """One render layer as the render sees it."""

    name: str
    """The name artists see and ``<RenderLayer>`` becomes (``masterLayer``, ``beauty``)."""
    legacy_name: str
    """The ``renderLayer`` node Maya's ``Render -rl`` takes (``defaultRenderLayer``, ``rs_beauty``)."""
    renderable: bool
    frames: FrameRange
    cameras: Tuple[str, ...]
    """Renderable cameras, by transform name."""


def scene_range(scene: MayaScene) -> FrameRange:
    """The render range of ``defaultRenderGlobals`` (the current frame when animation is off)."""
    globals_node = scene.node(RENDER_GLOBALS) or MayaNode("renderGlobals", RENDER_GLOBALS)
    return _range(globals_node, {}, scene)


def current_time(scene: MayaScene) -> Optional[float]:
    """``time1``'s current time as saved, a fraction kept (103.75); None when it is not a finite number."""
    time_node = scene.node("time1")
    time = time_node.number(CURRENT_TIME, 1) if time_node else 1
    return time if math.isfinite(time) else None


def subframe_problem(scene: MayaScene) -> str:
    """What to say when the render is of the current time alone (animation off) and that time is a fraction of
    a frame: Maya would render it there, the job renders the whole frame it rounds to."""
    globals_node = scene.node(RENDER_GLOBALS) or MayaNode("renderGlobals", RENDER_GLOBALS)
    time = current_time(scene)
    if globals_node.flag(ANIMATION, False) or time is None or time == round(time):
        return ""
    return (f"{RENDER_GLOBALS}: animation is off, so Maya renders the current time {time:g}; "
            f"the job renders the whole frame {scene_range(scene)}")  # fmt: skip


def render_layers(scene: MayaScene) -> List[RenderLayer]:
    """Every render layer of the scene, the default one first."""
    globals_node = scene.node(RENDER_GLOBALS) or MayaNode("renderGlobals", RENDER_GLOBALS)
    cameras = scene.of_type("camera")

    def layer(name: str, legacy: str, overrides: Dict[str, Dict[str, str]]) -> RenderLayer:
        legacy_node = scene.node(legacy)
        return RenderLayer(
            name,
            legacy,
            legacy_node.flag(RENDERABLE, True) if legacy_node else True,
            _range(globals_node, overrides.get(RENDER_GLOBALS, {}), scene),
            tuple(_camera_name(camera) for camera in cameras if _renderable(camera, overrides)),
        )

    layers = [layer(DEFAULT_LAYER, DEFAULT_LEGACY_LAYER, _adjustments(scene, DEFAULT_LEGACY_LAYER))]
    setup_layers = scene.of_type("renderSetupLayer")
    for setup_layer in setup_layers:
        legacy = next(iter(scene.sources(setup_layer.name, LEGACY_LAYER.spellings)), f"rs_{setup_layer.name}")
        layers.append(layer(setup_layer.name, legacy, _layer_overrides(scene, setup_layer.name)))
    if not setup_layers:
        for legacy_node in scene.of_type("renderLayer"):
            if legacy_node.name != DEFAULT_LEGACY_LAYER and ":" not in legacy_node.name:
                layers.append(layer(legacy_node.name, legacy_node.name, _adjustments(scene, legacy_node.name)))
    return layers


def _adjustments(scene: MayaScene, layer: str) -> Dict[str, Dict[str, str]]:
    """``{node: {attribute: value}}`` of a legacy render layer's adjustments of ranges and renderable cameras."""
    node = scene.node(layer)
    found: Dict[str, Dict[str, str]] = {}
    if node is None:
        return found
    for connection in scene.connections:
        adjustment = _ADJUSTMENT.match(connection.target_attribute)
        attribute = ADJUSTED.get(connection.source_attribute)
        if connection.target_node != node.name or adjustment is None or attribute is None:
            continue
        index = adjustment.group(1)
        value = node.attributes.get(f"adjs[{index}].val", node.attributes.get(f"adjustments[{index}].value"))
        source = scene.node(connection.source_node)
        if value is not None:
            found.setdefault(source.name if source else connection.source_node, {})[attribute] = value
    return found


def layer_outputs(scene: MayaScene, project: MayaProject, layers: Sequence[RenderLayer]) -> List[Output]:
    """One output per renderable layer, or per layer and camera when it renders several or its prefix names one."""
    renderable = [layer for layer in layers if layer.renderable]
    globals_node = scene.node(RENDER_GLOBALS) or MayaNode("renderGlobals", RENDER_GLOBALS)
    renderer_name = (globals_node.value(RENDERER) or "mayaSoftware").strip()
    renderer = RENDERERS.get(renderer_name, MAYA_RENDERER)
    prefix, extension = _prefix_and_format(scene, renderer)
    animation = globals_node.flag(ANIMATION, False)
    padding = max(1, min(int(globals_node.number(PADDING, 4)), 10))
    scene_name = os.path.splitext(os.path.basename(scene.path))[0]
    several_layers = len(renderable) > 1
    outputs: List[Output] = []
    for layer in renderable:
        cameras = layer.cameras or ("",)
        per_camera = "<Camera>" in prefix or "%c" in prefix or len(cameras) > 1
        for camera in cameras if per_camera else cameras[:1]:
            name = prefix or "<Scene>"
            if several_layers and not any(token in name for token in ("<RenderLayer>", "<Layer>", "%l")):
                name = "<RenderLayer>/" + name
            if len(cameras) > 1 and "<Camera>" not in name and "%c" not in name:
                name = "<Camera>/" + name
            values = {
                "<Scene>": scene_name, "%s": scene_name, "<RenderLayer>": layer.name, "<Layer>": layer.name,
                "%l": layer.name, **({"<Camera>": camera, "%c": camera} if camera else {}),
                "<Version>": globals_node.value(VERSION) or "", "<ws>": project.root, "<ext>": extension,
                "<scene>": scene_name, "<layer>": layer.name, "<camera>": camera,
            }  # fmt: skip
            for token, value in values.items():
                name = name.replace(token, value)
            frame = f".{'#' * padding}" if animation and "<f" not in name else ""
            tail = "" if name.endswith(f".{extension}") else f"{frame}.{extension}"
            path = name + tail if is_absolute_path(name) else f"{project.folder('images')}/{name}{tail}"
            outputs.append(
                Output(
                    node=f"{layer.name}/{camera}" if per_camera and camera else layer.name,
                    path=path.replace("\\", "/"),
                    range=layer.frames,
                    file_type=extension,
                )
            )
    return outputs


def _prefix_and_format(scene: MayaScene, renderer: RendererOutput) -> Tuple[str, str]:
    prefix_node = scene.node(renderer.prefix_node)
    prefix = (prefix_node.value(renderer.prefix) if prefix_node else None) or ""
    if not prefix and renderer.prefix_node != RENDER_GLOBALS:
        globals_node = scene.node(RENDER_GLOBALS)
        prefix = (globals_node.value(PREFIX) if globals_node else None) or ""
    format_node = scene.node(renderer.format_node)
    value = (format_node.value(renderer.format) if format_node else None) or renderer.default_format
    if renderer.formats and value.isdigit():
        number = int(value)
        value = renderer.formats[number] if number < len(renderer.formats) else renderer.default_format
    words = value.strip().lstrip(".").lower().split()  # V-Ray: "exr (multichannel)"
    return prefix.strip(), words[0] if words else renderer.default_format


def _range(globals_node: MayaNode, overrides: Dict[str, str], scene: MayaScene) -> FrameRange:
    def number(attribute: A, default: float) -> float:
        text = overrides.get(attribute.long)
        return _number(text, default) if text is not None else globals_node.number(attribute, default)

    if not globals_node.flag(ANIMATION, False) and "startFrame" not in overrides:
        current = current_time(scene)
        return saved_range(current, current) if current is not None else saved_range(1, 1)
    return saved_range(number(START, 1), number(END, 10), number(STEP, 1))


def _layer_overrides(scene: MayaScene, layer: str) -> Dict[str, Dict[str, str]]:
    """``{target node: {attribute: value}}`` of the enabled overrides inside ``layer``: an absolute one sets the
    value, a relative one of a range attribute sets the value below it (an earlier override's, else the target's
    own) times ``multiply`` plus ``offset``."""
    found: Dict[str, Dict[str, str]] = {}
    for override in scene.of_type(*OVERRIDES):
        if not override.flag(OVERRIDE_ENABLED, True):
            continue
        chain = _ancestors(scene, override.name)
        if layer not in chain:
            continue
        attribute = override.value(OVERRIDE_ATTRIBUTE)
        if not attribute:
            continue
        target = override.value(OVERRIDE_TARGET)
        targets = [target] if target else _selected(scene, chain[0] if chain else "")
        for name in targets:
            values = found.setdefault(name, {})
            value = _override_value(scene, override, name, attribute, values)
            if value is not None:
                values[attribute] = value
    return found


def _override_value(
    scene: MayaScene, override: MayaNode, target: str, attribute: str, values: Dict[str, str]
) -> Optional[str]:
    """The value an override gives ``target.attribute``, ``values`` holding what earlier overrides gave."""
    if override.type not in RELATIVE_OVERRIDES:
        return override.value(OVERRIDE_VALUE)
    if attribute not in RANGE_DEFAULTS:
        return None
    plug, default = RANGE_DEFAULTS[attribute]
    node = scene.node(target)
    below = (
        _number(values[attribute], default) if attribute in values else node.number(plug, default) if node else default
    )
    return repr(below * override.number(MULTIPLY, 1) + override.number(OFFSET, 0))


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def _ancestors(scene: MayaScene, name: str) -> List[str]:
    """The collections and layer above a render-setup node, nearest first (cycles cut)."""
    chain: List[str] = []
    current: Optional[str] = name
    while current is not None and len(chain) < 64:
        parents = scene.sources(current, PARENT.spellings)
        current = parents[0] if parents else None
        if current is None or current in chain:
            break
        chain.append(current)
    return chain


def _selected(scene: MayaScene, collection: str) -> List[str]:
    """Full names of the nodes a collection's selector picks: its static list, then its name patterns."""
    selectors = [scene.node(name) for name in scene.sources(collection, SELECTOR.spellings)]
    names: List[str] = []
    for selector in selectors:
        if selector is None:
            continue
        for entry in (selector.value(STATIC_SELECTION) or "").splitlines():
            node = scene.node(entry.strip())
            names.append(node.name if node else entry.strip().lstrip(":"))
        patterns = [part.strip() for part in (selector.value(PATTERN) or "").split(",") if part.strip()]
        if patterns:
            names += [node.name for node in scene.nodes if _matches(node, patterns)]
    return names


def _matches(node: MayaNode, patterns: List[str]) -> bool:
    """Render Setup name patterns: ``*`` wildcards, ``::`` any namespace, ``-`` excludes."""
    chosen = False
    for pattern in patterns:
        exclude = pattern.startswith("-")
        text = pattern[1:] if exclude else pattern
        name = node.short_name if text.startswith("::") else node.leaf_name
        if fnmatch.fnmatchcase(name, text.lstrip(":")):
            chosen = not exclude
    return chosen


def _camera_name(camera: MayaNode) -> str:
    transform = camera.parent or camera.name.rpartition("|")[0] or camera.name
    return transform.rpartition("|")[2].replace(":", "_")


def _renderable(camera: MayaNode, overrides: Dict[str, Dict[str, str]]) -> bool:
    """A camera's ``renderable`` with a layer's override on its shape or its transform applied."""
    transform = camera.parent or camera.name.rpartition("|")[0]
    override = overrides.get(camera.name, overrides.get(transform, {})).get("renderable")
    return on_off(override, camera.flag(CAMERA_RENDERABLE, True))
