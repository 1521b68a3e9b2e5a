"""One Maya scene described once, written as Maya ASCII (short names, as Maya saves) and loaded into the
``maya.cmds`` stand-in (long names, as ``cmds.getAttr`` answers), so the offline reader and the live scan
can be held to the same records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ma_files import FOOTER, HEADER


@dataclass
class Attr:
    long: str
    short: str
    value: Any
    type: str = ""
    """``string``, ``stringArray``, or empty for numbers and booleans."""


@dataclass
class Node:
    type: str
    name: str
    parent: Optional[str] = None
    attrs: List[Attr] = field(default_factory=list)
    shared: bool = False
    """A default node the file edits with ``select -ne :name``."""

    @property
    def path(self) -> str:
        return f"{self.parent}|{self.name}" if self.parent else self.name


@dataclass
class Link:
    source: str
    source_attr: Tuple[str, str]
    target: str
    target_attr: Tuple[str, str]
    """(long, short) attribute names."""


@dataclass
class Reference:
    path: str
    namespace: str
    node: str
    loaded: bool = True
    file_type: str = "mayaAscii"
    children: List[Reference] = field(default_factory=list)


@dataclass
class SceneDescription:
    path: Path
    nodes: List[Node] = field(default_factory=list)
    links: List[Link] = field(default_factory=list)
    references: List[Reference] = field(default_factory=list)
    requires: Dict[str, str] = field(default_factory=dict)

    def node(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name or node.path == name)


def ma_value(attr: Attr) -> str:
    if attr.type == "string":
        return f'-type "string" "{escape(str(attr.value))}"'
    if attr.type == "stringArray":
        items = " ".join(f'"{escape(item)}"' for item in attr.value)
        return f'-type "stringArray" {len(attr.value)} {items}'
    if isinstance(attr.value, bool):
        return "yes" if attr.value else "no"
    return str(attr.value)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def to_ma(scene: SceneDescription) -> str:
    """The scene as Maya 2024 saves it."""
    name = scene.path.name
    lines = [HEADER.format(name=name)]
    for reference in _all_references(scene.references):
        depth, item = reference
        typ = "mayaBinary" if item.path.endswith(".mb") else "mayaAscii"
        dr = "" if item.loaded else " -dr 1"
        lines.append(f'file -rdi {depth} -ns "{item.namespace}" -rfn "{item.node}"{dr} -typ "{typ}" "{item.path}";\n')
    for item in scene.references:
        typ = "mayaBinary" if item.path.endswith(".mb") else "mayaAscii"
        dr = "" if item.loaded else " -dr 1"
        lines.append(f'file -r -ns "{item.namespace}"{dr} -rfn "{item.node}" -op "v=0;" -typ "{typ}" "{item.path}";\n')
    lines.append('requires maya "2024";\n')
    for plugin, version in scene.requires.items():
        lines.append(f'requires -nodeType "{plugin}Node" "{plugin}" "{version}";\n')
    lines.append("currentUnit -l centimeter -a degree -t film;\n")
    lines.append('fileInfo "application" "maya";\n')
    for node in [node for node in scene.nodes if not node.shared]:
        parent = f' -p "{node.parent}"' if node.parent else ""
        lines.append(f'createNode {node.type} -n "{node.name}"{parent};\n')
        lines.append('\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000245";\n')
        lines += [f'\tsetAttr ".{attr.short}" {ma_value(attr)};\n' for attr in node.attrs]
    for node in [node for node in scene.nodes if node.shared]:
        lines.append(f"select -ne :{node.name};\n")
        lines += [f'\tsetAttr ".{attr.short}" {ma_value(attr)};\n' for attr in node.attrs]
    for link in scene.links:
        lines.append(f'connectAttr "{link.source}.{link.source_attr[1]}" "{link.target}.{link.target_attr[1]}";\n')
    lines.append(FOOTER.format(name=name))
    return "".join(lines)


def _all_references(references: List[Reference], depth: int = 1) -> List[Tuple[int, Reference]]:
    found: List[Tuple[int, Reference]] = []
    for reference in references:
        found.append((depth, reference))
        found += _all_references(reference.children, depth + 1)
    return found


def write_ma(scene: SceneDescription) -> Path:
    scene.path.parent.mkdir(parents=True, exist_ok=True)
    scene.path.write_text(to_ma(scene), encoding="utf-8")
    return scene.path


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def string(long: str, short: str, value: str) -> Attr:
    return Attr(long, short, value, "string")


def every_kind_scene(root: Path) -> SceneDescription:
    """A shot using every node kind the scan knows, with UDIM tiles and sequence frames partly missing."""
    project = root / "shot"
    (project / "workspace.mel").parent.mkdir(parents=True, exist_ok=True)
    (project / "workspace.mel").write_text(
        '//Maya 2024 Project Definition\n\nworkspace -fr "images" "renders";\n'
        'workspace -fr "sourceImages" "textures";\n'
    )
    tex = project / "textures"
    cache = project / "cache"
    for tile in (1001, 1002, 1011):
        touch(tex / f"skin.{tile}.exr")
    for frame in range(1, 11):
        if frame not in (4, 5):
            touch(tex / "flip" / f"flip.{frame:04d}.png")
    touch(tex / "bg.exr")
    touch(project / "cache" / "char.abc")
    touch(project / "cache" / "char_fix.abc")
    touch(project / "cache" / "rock.abc")
    for frame in range(1, 11):
        touch(project / "cache" / "smoke" / f"smoke.{frame:04d}.vdb")
        touch(project / "cache" / "crowd" / f"crowd.{frame:04d}.ass")
    touch(project / "cache" / "cloth" / "clothShape.xml")
    touch(project / "sound" / "dialog.wav")
    touch(project / "proxies" / "tree.vrmesh")
    touch(project / "proxies" / "bush.rs")
    touch(project / "usd" / "set.usda", b"#usda 1.0\n")
    touch(project / "xgen" / "collections" / "hair" / "hairDesc" / "guides.abc")
    (project / "xgen" / "shot__hair.xgen").write_text(
        "# XGen Collection File\n#\nFileVersion 18\n\nPalette\n\tname\t\t\thair\n\tparent\t\t\t\n"
        "\txgDataPath\t\t${PROJECT}xgen/collections/hair\n\txgProjectPath\t\t" + f"{project}/\n"
        "\txgDogTag\t\t\nendAttrs\n\nDescription\n\tname\t\t\thairDesc\nendAttrs\n"
    )
    touch(project / "ies" / "spot.ies")
    touch(project / "yeti" / "fur.0001.fur")
    touch(project / "bifrost" / "splash.bob")
    ocio = project / "ocio" / "config.ocio"
    touch(project / "ocio" / "luts" / "log.spi1d")
    ocio.write_text(
        "ocio_profile_version: 2\nsearch_path: luts\nroles:\n  default: raw\n  scene_linear: lin\n"
        "displays:\n  sRGB:\n    - !<View> {name: Raw, colorspace: raw}\n"
        "colorspaces:\n  - !<ColorSpace>\n    name: raw\n  - !<ColorSpace>\n    name: lin\n"
        "  - !<ColorSpace>\n    name: log\n    to_scene_reference: !<FileTransform> {src: log.spi1d}\n"
    )
    scene = SceneDescription(project / "scenes" / "shot.ma", requires={"mtoa": "5.3.4.1"})
    scene.nodes += [
        Node("transform", "shotCam"),
        Node("camera", "shotCamShape", "shotCam", [Attr("renderable", "rnd", True)]),
        Node("file", "skinTex", attrs=[string("fileTextureName", "ftn", str(tex / "skin.1001.exr")),
                                       Attr("uvTilingMode", "uvt", 3)]),
        Node("file", "flipTex", attrs=[string("fileTextureName", "ftn", str(tex / "flip" / "flip.0001.png")),
                                       Attr("useFrameExtension", "ufe", True)]),
        Node("file", "relTex", attrs=[string("fileTextureName", "ftn", "textures/bg.exr")]),
        Node("file", "gone", attrs=[string("fileTextureName", "ftn", "/mnt/old_show/tex/gone.tif")]),
        Node("file", "envTex", attrs=[string("fileTextureName", "ftn", "$SHOT_TEX/bg.exr")]),
        Node("file", "secretTex", attrs=[string("fileTextureName", "ftn", "$ACCSYN_API_KEY/x.exr")]),
        Node("aiImage", "flipImage", attrs=[string("filename", "filename", str(tex / "flip" / "flip.<f4>.png"))]),
        Node("AlembicNode", "charAbc", attrs=[string("abc_File", "fn", str(project / "cache" / "char.abc")),
                                              Attr("abc_layerFiles", "fns", [str(project / "cache" / "char_fix.abc")],
                                                   "stringArray")]),
        Node("transform", "rock"),
        Node("gpuCache", "rockShape", "rock", [string("cacheFileName", "cfn", str(project / "cache" / "rock.abc"))]),
        Node("aiVolume", "smokeShape", attrs=[string("filename", "fn",
                                                     str(project / "cache" / "smoke" / "smoke.####.vdb"))]),
        Node("aiStandIn", "crowdShape", attrs=[string("dso", "dso", str(cache / "crowd" / "crowd.0001.ass")),
                                               Attr("useFrameExtension", "ufe", True)]),
        Node("cacheFile", "clothCache", attrs=[string("cachePath", "cp", str(project / "cache" / "cloth")),
                                               string("cacheName", "cn", "clothShape")]),
        Node("audio", "dialog", attrs=[string("filename", "f", str(project / "sound" / "dialog.wav"))]),
        Node("imagePlane", "refPlaneShape", attrs=[string("imageName", "imn", str(tex / "bg.exr"))]),
        Node("VRayMesh", "treeMesh", attrs=[string("fileName", "fn", str(project / "proxies" / "tree.vrmesh"))]),
        Node("RedshiftProxyMesh", "bushProxy", attrs=[string("fileName", "fn", str(project / "proxies" / "bush.rs"))]),
        Node("mayaUsdProxyShape", "setShape", attrs=[string("filePath", "fp", str(project / "usd" / "set.usda"))]),
        Node("xgmPalette", "hair", attrs=[string("xgFileName", "xfn", str(project / "xgen" / "shot__hair.xgen"))]),
        Node("aiPhotometricLight", "spotShape",
             attrs=[string("aiFilename", "aifn", str(project / "ies" / "spot.ies"))]),
        Node("pgYetiMaya", "furShape", attrs=[string("cacheFileName", "cfn", str(project / "yeti" / "fur.%04d.fur"))]),
        Node("bifrostGraphShape", "splashShape", attrs=[string("cachePath", "cachePath",
                                                               str(project / "bifrost" / "splash.bob"))]),
        Node("colorManagementGlobals", "defaultColorMgtGlobals", shared=True,
             attrs=[Attr("configFileEnabled", "cfe", True), string("configFilePath", "cfp", str(ocio))]),
        Node("renderGlobals", "defaultRenderGlobals", shared=True,
             attrs=[string("currentRenderer", "ren", "arnold"), Attr("animation", "an", True),
                    Attr("startFrame", "fs", 1), Attr("endFrame", "ef", 10), Attr("extensionPadding", "pad", 4),
                    string("imageFilePrefix", "ifp", "<Scene>/<RenderLayer>")]),
    ]  # fmt: skip
    return scene


PARENT = ("parentList", "pls")
LIST_ITEMS = ("listItems", "lit")


def layered_scene(root: Path) -> SceneDescription:
    """Three Render Setup layers: ``beauty`` (scene range), ``fx`` (frames 20-30 and also the side camera),
    ``shadow`` (not renderable), the default layer off, a .mb reference, one texture."""
    project = root / "show"
    touch(project / "sourceimages" / "wood.png")
    touch(project / "assets" / "chair.mb")
    scene = SceneDescription(project / "scenes" / "layers.ma")
    scene.references.append(Reference((project / "assets" / "chair.mb").as_posix(), "chair", "chairRN",
                                      file_type="mayaBinary"))  # fmt: skip
    scene.nodes += [
        Node("transform", "shotCam"),
        Node("camera", "shotCamShape", "shotCam"),
        Node("transform", "side"),
        Node("camera", "sideShape", "side", [Attr("renderable", "rnd", False)]),
        Node("file", "woodFile", attrs=[string("fileTextureName", "ftn", "sourceimages/wood.png")]),
        Node("renderSetup", "renderSetup"),
        Node("renderLayer", "defaultRenderLayer", attrs=[Attr("renderable", "rndr", False)]),
        Node("renderGlobals", "defaultRenderGlobals", shared=True,
             attrs=[string("currentRenderer", "ren", "arnold"), Attr("animation", "an", True),
                    Attr("startFrame", "fs", 1001), Attr("endFrame", "ef", 1048), Attr("extensionPadding", "pad", 4),
                    string("imageFilePrefix", "ifp", "<RenderLayer>/<Camera>/<Scene>")]),
    ]  # fmt: skip
    for name, renderable in (("beauty", True), ("fx", True), ("shadow", False)):
        scene.nodes += [
            Node("renderSetupLayer", name),
            Node("renderLayer", f"rs_{name}", attrs=[Attr("renderable", "rndr", renderable)]),
        ]
        scene.links += [
            Link(f"rs_{name}", ("message", "msg"), name, ("legacyRenderLayer", "lrl")),
            Link("renderSetup", LIST_ITEMS, name, PARENT),
        ]
    scene.nodes += [
        Node("renderSettingsCollection", "fxSettings"),
        Node("simpleSelector", "fxSettingsSelector",
             attrs=[string("staticSelection", "ssl", "defaultRenderGlobals\ndefaultResolution")]),
        Node("absUniqueOverride", "fxStart", attrs=[string("attribute", "atr", "startFrame"),
                                                    Attr("attrValue", "atv", 20),
                                                    string("targetNodeName", "tgName", "defaultRenderGlobals")]),
        Node("absUniqueOverride", "fxEnd", attrs=[string("attribute", "atr", "endFrame"),
                                                  Attr("attrValue", "atv", 30),
                                                  string("targetNodeName", "tgName", "defaultRenderGlobals")]),
        Node("collection", "fxCameras"),
        Node("simpleSelector", "fxCamerasSelector", attrs=[string("pattern", "pat", "side*")]),
        Node("absOverride", "fxSideRenderable", attrs=[string("attribute", "atr", "renderable"),
                                                      Attr("attrValue", "atv", True)]),
    ]  # fmt: skip
    scene.links += [
        Link("fx", LIST_ITEMS, "fxSettings", PARENT),
        Link("fxSettingsSelector", ("output", "c"), "fxSettings", ("selector", "sel")),
        Link("fxSettings", LIST_ITEMS, "fxStart", PARENT),
        Link("fxSettings", LIST_ITEMS, "fxEnd", PARENT),
        Link("fx", LIST_ITEMS, "fxCameras", PARENT),
        Link("fxCamerasSelector", ("output", "c"), "fxCameras", ("selector", "sel")),
        Link("fxCameras", LIST_ITEMS, "fxSideRenderable", PARENT),
    ]
    return scene


def legacy_layers_scene(root: Path) -> SceneDescription:
    """Legacy render layers (no Render Setup): ``bg`` adjusts the range to 20-30 and makes the side camera
    renderable; the master layer's own values sit in ``defaultRenderLayer``'s adjustments."""
    scene = SceneDescription(root / "old" / "scenes" / "legacy.ma")
    scene.nodes += [
        Node("transform", "shotCam"),
        Node("camera", "shotCamShape", "shotCam"),
        Node("transform", "side"),
        Node("camera", "sideShape", "side", [Attr("renderable", "rnd", False)]),
        Node("renderLayerManager", "renderLayerManager"),
        Node("renderLayer", "defaultRenderLayer", attrs=[
            Attr("adjustments[0].value", "adjs[0].val", 1), Attr("adjustments[1].value", "adjs[1].val", 48),
            Attr("adjustments[2].value", "adjs[2].val", False)]),
        Node("renderLayer", "bg", attrs=[
            Attr("adjustments[0].value", "adjs[0].val", 20), Attr("adjustments[1].value", "adjs[1].val", 30),
            Attr("adjustments[2].value", "adjs[2].val", True)]),
        Node("renderLayer", "fg", attrs=[Attr("renderable", "rndr", False)]),
        Node("renderGlobals", "defaultRenderGlobals", shared=True,
             attrs=[string("currentRenderer", "ren", "mayaSoftware"), Attr("animation", "an", True),
                    Attr("startFrame", "fs", 1), Attr("endFrame", "ef", 48),
                    string("imageFilePrefix", "ifp", "<RenderLayer>/<Camera>/<Scene>")]),
    ]  # fmt: skip
    for layer in ("defaultRenderLayer", "bg"):
        scene.links += [
            Link("defaultRenderGlobals", ("startFrame", "fs"), layer, ("adjustments[0].plug", "adjs[0].plg")),
            Link("defaultRenderGlobals", ("endFrame", "ef"), layer, ("adjustments[1].plug", "adjs[1].plg")),
            Link("sideShape", ("renderable", "rnd"), layer, ("adjustments[2].plug", "adjs[2].plg")),
        ]
    return scene


MAYA_OCIO = "<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio"


def real_forms_scene(root: Path) -> SceneDescription:
    """A USD reference assembly, Maya's default OCIO config, a relative range override, a texture with its .tx,
    a fractional current time."""
    project = root / "show"
    touch(project / "sourceimages" / "wood.png")
    touch(project / "sourceimages" / "wood.tx")
    touch(project / "usd" / "set.usda", b"#usda 1.0\n")
    scene = SceneDescription(project / "scenes" / "real.ma")
    scene.nodes += [
        Node("transform", "shotCam"),
        Node("camera", "shotCamShape", "shotCam"),
        Node("transform", "setGroup"),
        Node("pxrUsdReferenceAssembly", "set", "setGroup", [string("filePath", "fp", "usd/set.usda")]),
        Node("file", "woodFile", attrs=[string("fileTextureName", "ftn", "sourceimages/wood.png")]),
        Node("aiOptions", "defaultArnoldRenderOptions", attrs=[Attr("use_existing_tiled_textures",
                                                                    "use_existing_tiled_textures", True)]),
        Node("colorManagementGlobals", "defaultColorMgtGlobals", shared=True,
             attrs=[Attr("configFileEnabled", "cfe", True), string("configFilePath", "cfp", MAYA_OCIO)]),
        Node("renderGlobals", "defaultRenderGlobals", shared=True,
             attrs=[string("currentRenderer", "ren", "arnold"), Attr("animation", "an", True),
                    Attr("startFrame", "fs", 1), Attr("endFrame", "ef", 10),
                    string("imageFilePrefix", "ifp", "<RenderLayer>/<Scene>")]),
        Node("time", "time1", shared=True, attrs=[Attr("outTime", "o", 103.75)]),
        Node("renderSetup", "renderSetup"),
        Node("renderSetupLayer", "long"),
        Node("renderLayer", "rs_long"),
        Node("renderSettingsCollection", "longSettings"),
        Node("relUniqueOverride", "longEnd", attrs=[string("attribute", "atr", "endFrame"),
                                                    Attr("multiply", "mul", 1), Attr("offset", "ofs", 10),
                                                    string("targetNodeName", "tgName", "defaultRenderGlobals")]),
    ]  # fmt: skip
    scene.links += [
        Link("rs_long", ("message", "msg"), "long", ("legacyRenderLayer", "lrl")),
        Link("renderSetup", LIST_ITEMS, "long", PARENT),
        Link("long", LIST_ITEMS, "longSettings", PARENT),
        Link("longSettings", LIST_ITEMS, "longEnd", PARENT),
    ]
    return scene
