"""Which Maya node types name files, in which attributes, and how their paths hold frames and tiles.

Kept as data, one row per (node type, attribute), shared by the offline ``.ma`` reader and the live
scan. Attribute names are given long (what ``maya.cmds`` uses) and short (what ``.ma`` files save).
A node type not listed is still looked at: the live scan asks Maya for every attribute flagged
``usedAsFilename``, the offline reader for string values shaped like a file path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Tuple

from accsyn_dcc.scan.maya.model import AttributeName as A

SEQUENCE = "sequence"
"""The path names one frame (``plate.0001.exr``); an on/off attribute makes it a sequence."""
OWN_TOKENS = "tokens"
"""The path holds its own frame tokens (``<f>``, ``####``, ``%04d``) that follow the render frame."""
SINGLE = "single"
"""One file, whatever the frame."""


@dataclass(frozen=True)
class FileAttribute:
    """One attribute of one node type that names a file the render reads."""

    node_type: str
    attribute: A
    kind: str
    frames: str = SINGLE
    switch: Optional[A] = None
    """For ``SEQUENCE``: the on/off attribute that makes the path a sequence (``useFrameExtension``)."""
    frame_offset: Optional[A] = None
    tiling: Optional[A] = None
    """An attribute choosing how UV tiles are named (``uvTilingMode``: 0 none, 1 ``u0_v0``, 2 ``u1_v1``, 3 UDIM)."""
    enabled: Optional[A] = None
    """An on/off attribute without which the file is not read (``configFileEnabled``)."""
    many: bool = False
    """A string array (``abc_layerFiles``): each entry is a file."""
    suffix: str = ""
    """Appended to the value to make the file name (a cacheFile's ``cacheName`` + ``.xml``)."""
    folder: Optional[A] = None
    """An attribute holding the folder the value is relative to (a cacheFile's ``cachePath``)."""


USE_FRAME_EXTENSION = A("useFrameExtension", "ufe")
FRAME_OFFSET = A("frameOffset", "fo")

FILE_ATTRIBUTES: Tuple[FileAttribute, ...] = (
    FileAttribute("file", A("fileTextureName", "ftn"), "texture", SEQUENCE, USE_FRAME_EXTENSION, FRAME_OFFSET,
                  tiling=A("uvTilingMode", "uvt")),
    FileAttribute("psdFileTex", A("fileTextureName", "ftn"), "texture", SEQUENCE, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileAttribute("imagePlane", A("imageName", "imn"), "image plane", SEQUENCE, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileAttribute("aiImage", A("filename", "filename"), "texture", OWN_TOKENS),
    FileAttribute("aiPhotometricLight", A("aiFilename", "aifn"), "ies profile"),
    FileAttribute("aiStandIn", A("dso", "dso"), "proxy", SEQUENCE, USE_FRAME_EXTENSION, A("frameOffset", "fo")),
    FileAttribute("aiVolume", A("filename", "fn"), "volume", OWN_TOKENS),
    FileAttribute("AlembicNode", A("abc_File", "fn"), "cache"),
    FileAttribute("AlembicNode", A("abc_layerFiles", "fns"), "cache", many=True),
    FileAttribute("gpuCache", A("cacheFileName", "cfn"), "cache"),
    FileAttribute("cacheFile", A("cacheName", "cn"), "cache", suffix=".xml", folder=A("cachePath", "cp")),
    FileAttribute("audio", A("filename", "f"), "audio"),
    FileAttribute("assemblyReference", A("definition", "def"), "reference"),
    FileAttribute("mayaUsdProxyShape", A("filePath", "fp"), "usd"),
    FileAttribute("pxrUsdReferenceAssembly", A("filePath", "fp"), "usd"),
    FileAttribute("xgmPalette", A("xgFileName", "xfn"), "xgen"),
    FileAttribute("pgYetiMaya", A("cacheFileName", "cfn"), "cache", OWN_TOKENS),
    FileAttribute("VRayMesh", A("fileName", "fn"), "proxy", OWN_TOKENS),
    FileAttribute("VRayVolumeGrid", A("inPath", "inPath"), "volume", OWN_TOKENS),
    FileAttribute("VRayScene", A("FilePath", "fpth"), "proxy", OWN_TOKENS),
    FileAttribute("RedshiftProxyMesh", A("fileName", "fn"), "proxy", SEQUENCE, USE_FRAME_EXTENSION,
                  A("frameOffset", "fo")),
    FileAttribute("RedshiftVolumeShape", A("fileName", "fn"), "volume", OWN_TOKENS),
    FileAttribute("RedshiftDomeLight", A("tex0", "tex0"), "texture"),
    FileAttribute("RedshiftNormalMap", A("tex0", "tex0"), "texture"),
    FileAttribute("RedshiftIESLight", A("profile", "profile"), "ies profile"),
    FileAttribute("colorManagementGlobals", A("configFilePath", "cfp"), "ocio", enabled=A("configFileEnabled", "cfe")),
)  # fmt: skip

RULES_BY_TYPE: Dict[str, Tuple[FileAttribute, ...]] = {}
for _rule in FILE_ATTRIBUTES:
    RULES_BY_TYPE[_rule.node_type] = (*RULES_BY_TYPE.get(_rule.node_type, ()), _rule)

NOT_INPUT_TYPES: FrozenSet[str] = frozenset({
    # Render settings and outputs: their string attributes name what the render writes, not reads.
    "renderGlobals", "aiOptions", "aiAOVDriver", "aiAOV", "VRaySettingsNode", "RedshiftOptions", "rmanGlobals",
    "rmanDisplay", "renderLayer", "renderSetupLayer", "renderSetup", "collection", "renderSettingsCollection",
    "simpleSelector", "absOverride", "absUniqueOverride", "relOverride", "relUniqueOverride", "reference",
    "script", "shared", "nodeGraphEditorInfo", "lightLinker", "displayLayer", "renderLayerManager",
    "displayLayerManager", "hyperGraphInfo", "hyperLayout", "objectSet", "shadingEngine", "materialInfo",
    "expression", "animCurveTL", "animCurveTA", "animCurveTU", "time", "timeEditor", "sequenceManager",
    "mesh", "transform", "camera", "nurbsCurve", "groupId", "place2dTexture", "place3dTexture",
})  # fmt: skip
"""Node types whose string values never name an input file (checked only by the path-shaped fallback)."""


@dataclass(frozen=True)
class ConvertedTexture:
    """A renderer's own conversion of a texture, made beside it, which that renderer reads in its place."""

    suffix: str
    keeps_extension: bool
    """True when the suffix follows the whole name (RenderMan's ``image.png.tex``), else it replaces the extension."""
    options_node: str = ""
    options_type: str = ""
    switches: Tuple[A, ...] = ()
    """On/off attributes of ``options_node``, each on by default: the conversion is read when any is on."""


CONVERTED_KIND = "converted texture"
AUTO_TX, USE_EXISTING_TX = A("autotx", "autotx"), A("use_existing_tiled_textures", "use_existing_tiled_textures")
CONVERTED_TEXTURES: Dict[str, ConvertedTexture] = {
    # MtoA reads an existing .tx when "Use Existing .tx Textures" or "Auto-convert Textures" (which forces it) is on.
    "arnold": ConvertedTexture(".tx", False, "defaultArnoldRenderOptions", "aiOptions", (AUTO_TX, USE_EXISTING_TX)),
    "renderman": ConvertedTexture(".tex", True),
    "redshift": ConvertedTexture(".rstexbin", False),
}  # fmt: skip
"""By ``defaultRenderGlobals.currentRenderer``: the converted file each renderer reads when it lies beside the
texture (sent with the texture, which stays sent: a conversion may be older than its source)."""

PROVIDED_BY = "Maya"
INSTALL_PATH_STARTS: Tuple[str, ...] = ("<MAYA_RESOURCES>", "$MAYA_LOCATION", "${MAYA_LOCATION}", "%MAYA_LOCATION%")
"""How a saved path that names a file of Maya's own install starts (the default OCIO config
``<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio``): the render node's Maya provides it."""

SHARED_NODE_TYPES: Dict[str, str] = {
    "defaultRenderGlobals": "renderGlobals",
    "defaultResolution": "resolution",
    "defaultColorMgtGlobals": "colorManagementGlobals",
    "time1": "time",
}
"""Maya's default nodes a ``.ma`` file edits with ``select -ne :name`` instead of creating them."""
